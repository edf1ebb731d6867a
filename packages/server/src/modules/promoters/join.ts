/**
 * Public sign-up (POST /v1/join) that does not tell whether an e-mail address has an account.
 *
 * Every join that passes the checks which do not depend on the e-mail (the password rules, the invite code, the
 * program) gets the same answer: 202 with JOIN_ACCEPTED, and no session — the client logs in next.
 * - A new e-mail: the account is created and joins the program.
 * - An e-mail of a promoter account whose password this is: that account joins the program (if it is not a member yet).
 * - Any other existing e-mail: nothing is written; logging in with this password then fails like any wrong password.
 * Each path costs one scrypt computation (a hash, or the verification of the stored hash), so they take the same time.
 *
 * The program's join policy (applications.ts) applies before the e-mail is looked at: `invite` refuses a sign-up
 * without an invite code; under `approval` "joins the program" above reads "files an application", and the answer is
 * JOIN_PENDING (it depends on the program only, so it tells nothing about the e-mail either).
 */

import type { Clock } from "../../clock.ts";
import type { KeyRing } from "../../crypto/sealed.ts";
import type { Db, Sql } from "../../db/client.ts";
import { ApiError, fail } from "../../http/errors.ts";
import { audit } from "../audit/repository.ts";
import { hashPassword, requireStrongPassword, type ScryptCost, verifyPassword } from "../auth/passwords.ts";
import { createUser, userByEmail } from "../auth/service.ts";
import type { CodeSource } from "../codes/service.ts";
import { requireActiveMerchant } from "../merchants/status.ts";
import { getProgram } from "../programs/repository.ts";
import { admissionOf, applyToJoin } from "./applications.ts";
import { membershipByCode } from "./repository.ts";
import { createPromoter, joinProgram } from "./service.ts";

export const JOIN_ACCEPTED = {
  status: "accepted",
  message: "If this e-mail address could sign up, its account is a member of the program now: log in with the e-mail and password.",
} as const;

export const JOIN_PENDING = {
  status: "pending",
  message:
    "If this e-mail address could sign up, its application to the program waits for the merchant's approval: log in with the e-mail and password to follow it.",
} as const;

type JoinAnswer = typeof JOIN_ACCEPTED | typeof JOIN_PENDING;

export interface JoinRequest {
  inviteCode?: string;
  merchantId?: string;
  programId?: string;
  name: string;
  email: string;
  password: string;
  phone?: string;
}

/** The program a join is for, by invite code or by id; refused when unknown or inactive (whoever asks). */
async function joinTarget(q: Sql, b: JoinRequest): Promise<JoinTarget> {
  let merchantId = b.merchantId as string;
  let programId = b.programId as string;
  if (b.inviteCode) {
    const inviter = await membershipByCode(q, b.inviteCode);
    if (!inviter) fail("INVITE_CODE_UNKNOWN", undefined, { field: "inviteCode" });
    merchantId = inviter.merchantId;
    programId = inviter.programId;
  }
  await requireActiveMerchant(q, merchantId);
  const program = await getProgram(q, merchantId, programId);
  if (program.status !== "active") fail("PROGRAM_INACTIVE");
  return { merchantId, programId, admission: admissionOf(program, b.inviteCode) };
}

interface JoinTarget {
  merchantId: string;
  programId: string;
  admission: "member" | "application";
}

async function joinAndAudit(q: Sql, b: JoinRequest, target: JoinTarget, promoterId: string, userId: string, at: Date, codes?: CodeSource) {
  const { merchantId, programId } = target;
  if (target.admission === "application") {
    await applyToJoin(q, { merchantId, programId, promoterId, inviteCode: b.inviteCode, actor: `user:${userId}`, at });
    return;
  }
  const m = await joinProgram(q, { merchantId, programId, promoterId, inviteCode: b.inviteCode, at, codes });
  await audit(q, m.merchantId, `user:${userId}`, "promoter.join", `promoter:${promoterId}`, { inviterId: m.inviterId }, at);
}

const isCode = (e: unknown, code: string) => e instanceof ApiError && e.code === code;
/** A concurrent sign-up with the same e-mail won the insert (PostgreSQL's unique violation on users.email). */
const lostEmailRace = (e: unknown) => (e as { code?: string; constraint?: string }).constraint === "users_email_key";

export async function publicJoin(
  db: Db,
  clock: Clock,
  ring: KeyRing,
  b: JoinRequest,
  cost?: ScryptCost,
  codes?: CodeSource,
): Promise<JoinAnswer> {
  requireStrongPassword(b.password, "password", b.email);
  const target = await db.read((q) => joinTarget(q, b));
  const answer = target.admission === "application" ? JOIN_PENDING : JOIN_ACCEPTED;
  const existing = await db.read((q) => userByEmail(q, b.email));
  if (!existing) {
    const passwordHash = await hashPassword(b.password, cost);
    try {
      await db.tx(async (q) => {
        const promoterId = await createPromoter(q, ring, { name: b.name, phone: b.phone });
        const userId = await createUser(q, { email: b.email, passwordHash, name: b.name, role: "promoter", promoterId });
        await q.query("UPDATE promoters SET user_id = $2 WHERE id = $1", [promoterId, userId]);
        await joinAndAudit(q, b, target, promoterId, userId, clock.now(), codes);
      });
    } catch (e) {
      // The same e-mail signed up a moment ago (a retry, or a race): the same answer as for any existing e-mail.
      if (!isCode(e, "EMAIL_TAKEN") && !lostEmailRace(e)) throw e;
    }
    return answer;
  }
  const owner = await verifyPassword(b.password, existing.password_hash);
  if (owner && existing.role === "promoter" && existing.promoter_id) {
    const promoterId = existing.promoter_id;
    try {
      await db.tx((q) => joinAndAudit(q, b, target, promoterId, existing.id, clock.now(), codes));
    } catch (e) {
      if (!isCode(e, "ALREADY_MEMBER") && !isCode(e, "APPLICATION_PENDING")) throw e;
    }
  }
  return answer;
}
