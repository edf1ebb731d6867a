/**
 * A merchant's admin users (商家管理员): list, invite another admin, disable and enable.
 *
 * An invited admin gets a one-time initial password, shown once to the inviting admin (who hands it over in person or
 * through the merchant's own channel); it is stored only as a hash. At the first login the new admin must choose a
 * password of their own before anything else (403 PASSWORD_CHANGE_REQUIRED, see http/auth.ts). The platform sends
 * no e-mail, so no invite link can be lost in a mailbox or forwarded; docs/operations.md says the same.
 *
 * Disabling keeps the user's row (the audit log names it), ends its sessions at once and refuses its logins. The
 * merchant keeps at least one active admin (LAST_ADMIN), and an admin cannot disable their own account (NOT_YOURSELF).
 */
import { randomBytes } from "node:crypto";
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { audit } from "../audit/repository.ts";
import { hashPassword, requireStrongPassword, type ScryptCost } from "../auth/passwords.ts";
import { createUser } from "../auth/service.ts";

export interface MerchantUserView {
  id: string;
  email: string;
  name: string;
  role: "merchant_admin";
  status: "active" | "disabled";
  passwordChangeRequired: boolean;
  createdAt: string;
  disabledAt: string | null;
}

const USER_COLUMNS = `id, email, name, role, CASE WHEN disabled_at IS NULL THEN 'active' ELSE 'disabled' END AS status,
  password_change_required AS "passwordChangeRequired", created_at AS "createdAt", disabled_at AS "disabledAt"`;

export function listMerchantUsers(q: Sql, merchantId: string): Promise<MerchantUserView[]> {
  return q.query<MerchantUserView & Record<string, unknown>>(
    `SELECT ${USER_COLUMNS} FROM users WHERE merchant_id = $1 AND role = 'merchant_admin' ORDER BY created_at, id LIMIT 1000`,
    [merchantId],
  );
}

async function userOf(q: Sql, merchantId: string, userId: string): Promise<MerchantUserView> {
  const [u] = await q.query<MerchantUserView & Record<string, unknown>>(
    `SELECT ${USER_COLUMNS} FROM users WHERE merchant_id = $1 AND role = 'merchant_admin' AND id = $2`,
    [merchantId, userId],
  );
  if (!u) fail("NOT_FOUND", "No admin of this merchant with this id.", { field: "userId" });
  return u;
}

/** A random password that passes the password rules (16 characters of base64url: 96 random bits). */
export function oneTimePassword(email: string): string {
  for (;;) {
    const p = randomBytes(12).toString("base64url");
    try {
      requireStrongPassword(p, "initialPassword", email);
      return p;
    } catch {
      /* drawn again: a random 16-character string is never common, this only keeps the rule in one place */
    }
  }
}

export interface InitialPassword {
  password: string;
  hash: string;
}

/** A one-time initial password and its hash (computed before the transaction: hashing takes a while on purpose). */
export async function initialPassword(email: string, cost?: ScryptCost): Promise<InitialPassword> {
  const password = oneTimePassword(email);
  return { password, hash: await hashPassword(password, cost) };
}

/** Creates an admin of the merchant who must change the initial password at the first login; audited. */
export async function inviteAdmin(
  q: Sql,
  i: { merchantId: string; email: string; name: string; passwordHash: string; actor: string; at: Date },
): Promise<MerchantUserView> {
  const id = await createUser(q, {
    email: i.email,
    passwordHash: i.passwordHash,
    name: i.name,
    role: "merchant_admin",
    merchantId: i.merchantId,
  });
  await q.query("UPDATE users SET password_change_required = true WHERE id = $1", [id]);
  await audit(q, i.merchantId, i.actor, "user.invite", `user:${id}`, { email: i.email.trim().toLowerCase() }, i.at);
  return userOf(q, i.merchantId, id);
}

/**
 * Disable an admin: not oneself, not the last active admin (the merchant's admins are locked for the check, so two
 * admins disabling each other at once cannot leave none). Sessions end at once. Disabling a disabled user changes nothing.
 */
export async function disableAdmin(
  q: Sql,
  d: { merchantId: string; userId: string; actorUserId: string | null; actor: string; reason: string | null; at: Date },
): Promise<MerchantUserView> {
  if (d.userId === d.actorUserId) fail("NOT_YOURSELF", undefined, { field: "userId" });
  const admins = await q.query<{ id: string; disabled_at: Date | null }>(
    "SELECT id, disabled_at FROM users WHERE merchant_id = $1 AND role = 'merchant_admin' ORDER BY id FOR UPDATE",
    [d.merchantId],
  );
  const target = admins.find((a) => a.id === d.userId);
  if (!target) fail("NOT_FOUND", "No admin of this merchant with this id.", { field: "userId" });
  if (target.disabled_at) return userOf(q, d.merchantId, d.userId);
  if (admins.filter((a) => !a.disabled_at && a.id !== d.userId).length === 0) fail("LAST_ADMIN", undefined, { field: "userId" });
  await q.query("UPDATE users SET disabled_at = $2 WHERE id = $1", [d.userId, d.at]);
  const ended = await q.query("DELETE FROM sessions WHERE user_id = $1 RETURNING 1", [d.userId]);
  await audit(q, d.merchantId, d.actor, "user.disable", `user:${d.userId}`, { reason: d.reason, sessionsEnded: ended.length }, d.at);
  return userOf(q, d.merchantId, d.userId);
}

export async function enableAdmin(q: Sql, e: { merchantId: string; userId: string; actor: string; at: Date }): Promise<MerchantUserView> {
  const u = await userOf(q, e.merchantId, e.userId);
  if (u.status === "active") return u;
  await q.query("UPDATE users SET disabled_at = NULL WHERE id = $1", [e.userId]);
  await audit(q, e.merchantId, e.actor, "user.enable", `user:${e.userId}`, {}, e.at);
  return userOf(q, e.merchantId, e.userId);
}
