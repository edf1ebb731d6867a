/**
 * Join policies and the merchant's queue of applications (分销员申请).
 *
 * A program's `joinPolicy` decides what a sign-up does: `open` and `invite` make the member at once (`invite` only with
 * a member's invite code), `approval` files an application that the merchant approves (then the member is made, under
 * the inviter the application named) or rejects with a reason. Every decision is audited.
 */
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { decodeCursor, page } from "../../http/pagination.ts";
import { newId } from "../../ids.ts";
import { audit } from "../audit/repository.ts";
import type { CodeSource } from "../codes/service.ts";
import type { Program } from "../programs/repository.ts";
import { getMembership, membershipByCode } from "./repository.ts";
import { joinProgram } from "./service.ts";

/** The longest reason a rejection may give (kept in the application and the audit log). */
export const APPLICATION_REASON_MAX = 500;

/**
 * What a sign-up to `program` does under its join policy: make the member now, or file an application. Refuses a
 * sign-up without an invite code where the policy is `invite`.
 */
export function admissionOf(program: Pick<Program, "joinPolicy">, inviteCode: string | null | undefined): "member" | "application" {
  if (program.joinPolicy === "invite" && !inviteCode) fail("INVITE_REQUIRED", undefined, { field: "inviteCode" });
  return program.joinPolicy === "approval" ? "application" : "member";
}

export interface Application {
  id: string;
  merchantId: string;
  programId: string;
  promoterId: string;
  inviteCode: string | null;
  status: "pending" | "approved" | "rejected";
  reason: string | null;
  appliedAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
}

const APPLICATION_COLS = `a.id, a.merchant_id AS "merchantId", a.program_id AS "programId", a.promoter_id AS "promoterId",
  a.invite_code AS "inviteCode", a.status, a.reason, a.applied_at AS "appliedAt", a.decided_at AS "decidedAt", a.decided_by AS "decidedBy"`;

/**
 * File an application to join a program that needs the merchant's approval. The invite code (if any) must be a
 * member's of this program; refused when the promoter is a member already (ALREADY_MEMBER) or has an application
 * waiting (APPLICATION_PENDING).
 */
export async function applyToJoin(
  q: Sql,
  a: { merchantId: string; programId: string; promoterId: string; inviteCode?: string | null; actor: string; at: Date },
): Promise<Application> {
  if (await getMembership(q, a.merchantId, a.programId, a.promoterId)) fail("ALREADY_MEMBER");
  let inviteCode: string | null = null;
  if (a.inviteCode) {
    const inviter = await membershipByCode(q, a.inviteCode, a.merchantId);
    if (!inviter || inviter.programId !== a.programId) fail("INVITE_CODE_UNKNOWN", undefined, { field: "inviteCode" });
    inviteCode = inviter.code;
  }
  const id = newId("app");
  const [row] = await q.query<Application & Record<string, unknown>>(
    `INSERT INTO promoter_applications AS a (merchant_id, id, program_id, promoter_id, invite_code, status, applied_at)
     VALUES ($1, $2, $3, $4, $5, 'pending', $6)
     ON CONFLICT (merchant_id, program_id, promoter_id) WHERE status = 'pending' DO NOTHING RETURNING ${APPLICATION_COLS}`,
    [a.merchantId, id, a.programId, a.promoterId, inviteCode, a.at],
  );
  if (!row) fail("APPLICATION_PENDING");
  await audit(q, a.merchantId, a.actor, "promoter.apply", `promoter:${a.promoterId}`, { applicationId: id, programId: a.programId }, a.at);
  return row;
}

export type Decision = { approve: true } | { approve: false; reason: string };

/**
 * Approve (make the member, under the inviter the application named) or reject (with the reason) a pending
 * application. The caller holds the transaction; the application's row is locked for the decision.
 */
export async function decideApplication(
  q: Sql,
  merchantId: string,
  applicationId: string,
  decision: Decision,
  actor: string,
  at: Date,
  codes?: CodeSource,
) {
  const [app] = await q.query<Application & Record<string, unknown>>(
    `SELECT ${APPLICATION_COLS} FROM promoter_applications a WHERE a.merchant_id = $1 AND a.id = $2 FOR UPDATE`,
    [merchantId, applicationId],
  );
  if (!app) fail("NOT_FOUND", "No such application.", { applicationId });
  if (app.status !== "pending") fail("APPLICATION_DECIDED", undefined, { status: app.status });
  const membership = decision.approve
    ? await joinProgram(q, { merchantId, programId: app.programId, promoterId: app.promoterId, inviteCode: app.inviteCode, at, codes })
    : null;
  const reason = decision.approve ? null : decision.reason;
  const [row] = await q.query<Application & Record<string, unknown>>(
    `UPDATE promoter_applications a SET status = $3, reason = $4, decided_at = $5, decided_by = $6
     WHERE a.merchant_id = $1 AND a.id = $2 RETURNING ${APPLICATION_COLS}`,
    [merchantId, applicationId, decision.approve ? "approved" : "rejected", reason, at, actor],
  );
  await audit(
    q,
    merchantId,
    actor,
    decision.approve ? "promoter.application.approve" : "promoter.application.reject",
    `promoter:${app.promoterId}`,
    { applicationId, programId: app.programId, reason },
    at,
  );
  return { application: row as Application, membership };
}

export interface ApplicationQuery {
  programId?: string;
  status?: Application["status"];
  limit: number;
  cursor?: string;
}

/** The merchant's applications, oldest first (a queue), with the applicant's name, masked phone and inviter. */
export async function listApplications(q: Sql, merchantId: string, query: ApplicationQuery) {
  const after = decodeCursor(query.cursor);
  const filter = [merchantId, query.programId ?? null, query.status ?? null];
  const rows = await q.query<
    Application & { name: string; phone: string | null; inviterId: string | null; inviterName: string | null } & Record<string, unknown>
  >(
    `SELECT ${APPLICATION_COLS}, p.name, p.phone_masked AS phone, im.promoter_id AS "inviterId", ip.name AS "inviterName"
     FROM promoter_applications a JOIN promoters p ON p.id = a.promoter_id
     LEFT JOIN memberships im ON im.merchant_id = a.merchant_id AND im.code = a.invite_code
     LEFT JOIN promoters ip ON ip.id = im.promoter_id
     WHERE a.merchant_id = $1 AND ($2::text IS NULL OR a.program_id = $2) AND ($3::text IS NULL OR a.status = $3)
       AND ($4::timestamptz IS NULL OR (a.applied_at, a.id) > ($4::timestamptz, $5::text))
     ORDER BY a.applied_at, a.id LIMIT $6`,
    [...filter, after?.at ?? null, after?.id ?? null, query.limit + 1],
  );
  const [count] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM promoter_applications a
     WHERE a.merchant_id = $1 AND ($2::text IS NULL OR a.program_id = $2) AND ($3::text IS NULL OR a.status = $3)`,
    filter,
  );
  const pg = page(rows, query.limit, (r) => ({ at: r.appliedAt, id: r.id }));
  return { items: pg.items, nextCursor: pg.nextCursor, total: count?.n ?? 0 };
}

/** A promoter's own applications (newest first), with the program's name. */
export async function myApplications(q: Sql, promoterId: string) {
  return q.query(
    `SELECT ${APPLICATION_COLS}, pr.name AS "programName", mc.name AS "merchantName"
     FROM promoter_applications a JOIN programs pr ON pr.merchant_id = a.merchant_id AND pr.id = a.program_id
     JOIN merchants mc ON mc.id = a.merchant_id
     WHERE a.promoter_id = $1 ORDER BY a.applied_at DESC LIMIT 100`,
    [promoterId],
  );
}
