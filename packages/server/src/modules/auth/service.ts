/**
 * Accounts and sessions: creating users, logging in, changing and resetting passwords.
 * Password hashes are computed outside database transactions (they take a few hundred milliseconds on purpose).
 */
import { randomBytes } from "node:crypto";
import type { Db, Sql } from "../../db/client.ts";
import { sha256 } from "../../http/auth.ts";
import { fail } from "../../http/errors.ts";
import { newId } from "../../ids.ts";
import { audit } from "../audit/repository.ts";
import {
  dummyHash,
  hashPassword,
  needsRehash,
  PASSWORD_COST,
  requireStrongPassword,
  type ScryptCost,
  verifyPassword,
} from "./passwords.ts";

export type Role = "platform_admin" | "merchant_admin" | "promoter";

export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  role: Role;
  name: string;
  merchant_id: string | null;
  promoter_id: string | null;
  disabled_at: Date | null;
  password_change_required: boolean;
  merchant_status: string | null;
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** Check a new password against the rules (naming `field` when it fails) and hash it. Call before the transaction. */
export async function newPasswordHash(password: string, field: string, cost: ScryptCost = PASSWORD_COST, email?: string): Promise<string> {
  requireStrongPassword(password, field, email);
  return hashPassword(password, cost);
}

export async function createUser(
  q: Sql,
  u: { email: string; passwordHash: string; name: string; role: Role; merchantId?: string | null; promoterId?: string | null },
): Promise<string> {
  const email = normalizeEmail(u.email);
  const [taken] = await q.query("SELECT 1 FROM users WHERE email = $1", [email]);
  if (taken) fail("EMAIL_TAKEN", undefined, { field: "email" });
  const id = newId("usr");
  await q.query("INSERT INTO users (id, email, password_hash, name, role, merchant_id, promoter_id) VALUES ($1, $2, $3, $4, $5, $6, $7)", [
    id,
    email,
    u.passwordHash,
    u.name,
    u.role,
    u.merchantId ?? null,
    u.promoterId ?? null,
  ]);
  return id;
}

export async function userByEmail(q: Sql, email: string): Promise<UserRow | null> {
  const [u] = await q.query<UserRow & Record<string, unknown>>(
    `SELECT u.id, u.email, u.password_hash, u.role, u.name, u.merchant_id, u.promoter_id, u.disabled_at, u.password_change_required,
            m.status AS merchant_status
     FROM users u LEFT JOIN merchants m ON m.id = u.merchant_id WHERE u.email = $1`,
    [normalizeEmail(email)],
  );
  return u ?? null;
}

/**
 * The user whose password this is, or null. An unknown e-mail is checked against a dummy hash so that it takes as long
 * as a known one. A hash weaker than `cost` is replaced by one at `cost` (unless another request changed it meanwhile).
 */
export async function checkCredentials(db: Db, email: string, password: string, cost: ScryptCost = PASSWORD_COST): Promise<UserRow | null> {
  const u = await db.read((q) => userByEmail(q, email));
  const ok = await verifyPassword(password, u?.password_hash ?? (await dummyHash(cost)));
  if (!u || !ok) return null;
  if (needsRehash(u.password_hash, cost)) {
    const stronger = await hashPassword(password, cost);
    await db.tx((q) =>
      q.query("UPDATE users SET password_hash = $2 WHERE id = $1 AND password_hash = $3", [u.id, stronger, u.password_hash]),
    );
  }
  return u;
}

export async function createSession(q: Sql, userId: string, now: Date, hours: number): Promise<{ token: string; expiresAt: string }> {
  const token = `fxs_${randomBytes(24).toString("base64url")}`;
  const expiresAt = new Date(now.getTime() + hours * 3_600_000);
  await q.query("INSERT INTO sessions (token_hash, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4)", [
    sha256(token),
    userId,
    expiresAt,
    now,
  ]);
  return { token, expiresAt: expiresAt.toISOString() };
}

export async function login(db: Db, email: string, password: string, opts: { now: Date; hours: number; cost?: ScryptCost }) {
  const u = await checkCredentials(db, email, password, opts.cost);
  // A disabled user is told nothing more than a wrong password would be; a suspended merchant's admin, who knows the
  // password, is told why.
  if (!u || u.disabled_at) fail("UNAUTHENTICATED", "Wrong email or password.");
  if (u.merchant_status === "suspended") fail("MERCHANT_SUSPENDED");
  const session = await db.tx((q) => createSession(q, u.id, opts.now, opts.hours));
  return {
    ...session,
    user: {
      id: u.id,
      name: u.name,
      role: u.role,
      merchantId: u.merchant_id,
      promoterId: u.promoter_id,
      passwordChangeRequired: u.password_change_required,
    },
  };
}

/** Store a new password hash and end the user's sessions, all but `keepTokenHash` (the caller's own). */
async function setPasswordHash(q: Sql, userId: string, passwordHash: string, keepTokenHash: string | null): Promise<number> {
  await q.query("UPDATE users SET password_hash = $2, password_change_required = false WHERE id = $1", [userId, passwordHash]);
  const ended = await q.query("DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2 RETURNING 1", [
    userId,
    keepTokenHash,
  ]);
  return ended.length;
}

/**
 * A user changes their own password: the current one must match (403 PASSWORD_INCORRECT naming currentPassword), the
 * new one must pass the rules; every other session of the user ends, the calling one stays.
 */
export async function changePassword(
  db: Db,
  c: { userId: string; sessionTokenHash: string; currentPassword: string; newPassword: string; cost?: ScryptCost },
): Promise<{ sessionsEnded: number }> {
  const [u] = await db.read((q) =>
    q.query<{ email: string; password_hash: string }>("SELECT email, password_hash FROM users WHERE id = $1", [c.userId]),
  );
  if (!u) fail("UNAUTHENTICATED");
  requireStrongPassword(c.newPassword, "newPassword", u.email);
  if (!(await verifyPassword(c.currentPassword, u.password_hash)))
    fail("PASSWORD_INCORRECT", "currentPassword: this is not the account's current password.", { field: "currentPassword" });
  const passwordHash = await hashPassword(c.newPassword, c.cost);
  const sessionsEnded = await db.tx((q) => setPasswordHash(q, c.userId, passwordHash, c.sessionTokenHash));
  return { sessionsEnded };
}

/** A platform admin sets a new password for a merchant's user: all of that user's sessions end; audited in the merchant's log. */
export async function resetMerchantUserPassword(
  db: Db,
  r: { actorUserId: string; userId: string; newPassword: string; now: Date; cost?: ScryptCost },
): Promise<{ userId: string; sessionsEnded: number }> {
  const [u] = await db.read((q) =>
    q.query<{ email: string; role: Role; merchant_id: string | null }>("SELECT email, role, merchant_id FROM users WHERE id = $1", [
      r.userId,
    ]),
  );
  if (u?.role !== "merchant_admin" || !u.merchant_id) fail("NOT_FOUND", "No merchant user with this id.");
  const merchantId = u.merchant_id;
  const passwordHash = await newPasswordHash(r.newPassword, "newPassword", r.cost, u.email);
  const sessionsEnded = await db.tx(async (q) => {
    const n = await setPasswordHash(q, r.userId, passwordHash, null);
    await audit(q, merchantId, `user:${r.actorUserId}`, "user.password_reset", `user:${r.userId}`, { sessionsEnded: n }, r.now);
    return n;
  });
  return { userId: r.userId, sessionsEnded };
}

/** A platform admin (`fenxiao admin create`): the password must pass the rules and is hashed at the production cost. */
export async function createPlatformAdmin(db: Db, a: { email: string; name: string; password: string }): Promise<string> {
  const passwordHash = await newPasswordHash(a.password, "password", PASSWORD_COST, a.email);
  return db.tx((q) => createUser(q, { email: a.email, passwordHash, name: a.name, role: "platform_admin" }));
}
