import type { RoundingMode } from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import type { JoinPolicy } from "./schema.ts";

export interface Program {
  merchantId: string;
  id: string;
  name: string;
  currency: string;
  timezone: string;
  holdDays: number;
  clickWindowDays: number;
  bindingPolicy: "sticky" | "last-click";
  attributionPrecedence: "code-first" | "binding-first";
  protectionDays: number;
  roundingMode: RoundingMode;
  compliancePolicy: "standard" | "wechat";
  periodKind: "month" | "week" | "quarter";
  closeGraceDays: number;
  landingUrl: string;
  joinPolicy: JoinPolicy;
  status: string;
  createdAt: string;
}

export const PROGRAM_COLS = `merchant_id AS "merchantId", id, name, currency, timezone, hold_days AS "holdDays", click_window_days AS "clickWindowDays",
  binding_policy AS "bindingPolicy", attribution_precedence AS "attributionPrecedence", protection_days AS "protectionDays", rounding_mode AS "roundingMode",
  compliance_policy AS "compliancePolicy", period_kind AS "periodKind", close_grace_days AS "closeGraceDays", landing_url AS "landingUrl",
  join_policy AS "joinPolicy", status, created_at AS "createdAt"`;

export async function getProgram(q: Sql, merchantId: string, programId: string): Promise<Program> {
  const [p] = await q.query<Program & Record<string, unknown>>(`SELECT ${PROGRAM_COLS} FROM programs WHERE merchant_id = $1 AND id = $2`, [
    merchantId,
    programId,
  ]);
  if (!p) fail("NOT_FOUND", "No such program.", { programId });
  return p;
}

export async function listPrograms(q: Sql, merchantId: string): Promise<Program[]> {
  return q.query<Program & Record<string, unknown>>(
    `SELECT ${PROGRAM_COLS} FROM programs WHERE merchant_id = $1 ORDER BY created_at LIMIT 100`,
    [merchantId],
  );
}

/** The program an order event belongs to: the one named, or the merchant's only active program. */
export function pickProgram(programs: readonly Program[], programId: string | undefined): Program {
  if (programId) {
    const p = programs.find((x) => x.id === programId);
    if (!p) fail("NOT_FOUND", "No such program.", { programId });
    return p;
  }
  const active = programs.filter((p) => p.status === "active");
  if (active.length === 1) return active[0] as Program;
  if (active.length === 0) fail("NOT_FOUND", "The merchant has no active program.");
  fail("PROGRAM_REQUIRED", undefined, { field: "programId" });
}

export async function resolveProgram(q: Sql, merchantId: string, programId: string | undefined): Promise<Program> {
  if (programId) return getProgram(q, merchantId, programId);
  return pickProgram(await listPrograms(q, merchantId), undefined);
}

export interface PlanVersionRow {
  version: number;
  status: "draft" | "published";
  effectiveFrom: string | null;
  document: unknown;
  lint: unknown;
  createdAt: string;
  publishedAt: string | null;
}

const PLAN_COLS = `version, status, effective_from AS "effectiveFrom", document, lint, created_at AS "createdAt", published_at AS "publishedAt"`;

/** The published version in force at `at`: the latest effective_from ≤ at (ties: the higher version). */
export async function planInForce(q: Sql, merchantId: string, programId: string, at: Date | string): Promise<PlanVersionRow | null> {
  const [row] = await q.query<PlanVersionRow & Record<string, unknown>>(
    `SELECT ${PLAN_COLS} FROM plan_versions WHERE merchant_id = $1 AND program_id = $2 AND status = 'published' AND effective_from <= $3
     ORDER BY effective_from DESC, version DESC LIMIT 1`,
    [merchantId, programId, at],
  );
  return row ?? null;
}

/**
 * The published versions that pay orders from `at` on: the one in force at `at`, then each later-dated one that is ever in
 * force (of two dated at the same instant, the higher version).
 */
export async function publishedFrom(q: Sql, merchantId: string, programId: string, at: Date | string): Promise<PlanVersionRow[]> {
  const current = await planInForce(q, merchantId, programId, at);
  const later = await q.query<PlanVersionRow & Record<string, unknown>>(
    `SELECT DISTINCT ON (effective_from) ${PLAN_COLS} FROM plan_versions
     WHERE merchant_id = $1 AND program_id = $2 AND status = 'published' AND effective_from > $3
     ORDER BY effective_from, version DESC LIMIT 200`,
    [merchantId, programId, at],
  );
  return current ? [current, ...later] : later;
}

/**
 * Lock the program's row for the rest of the transaction: a compliance policy change and a publish of the same program
 * take it, so that neither checks a plan against a policy the other is changing.
 */
export async function lockProgram(q: Sql, merchantId: string, programId: string): Promise<void> {
  await q.query("SELECT id FROM programs WHERE merchant_id = $1 AND id = $2 FOR UPDATE", [merchantId, programId]);
}

export async function listPlanVersions(q: Sql, merchantId: string, programId: string): Promise<PlanVersionRow[]> {
  return q.query<PlanVersionRow & Record<string, unknown>>(
    `SELECT ${PLAN_COLS} FROM plan_versions WHERE merchant_id = $1 AND program_id = $2 ORDER BY version DESC LIMIT 200`,
    [merchantId, programId],
  );
}

export async function getPlanVersion(q: Sql, merchantId: string, programId: string, version: number): Promise<PlanVersionRow> {
  const [row] = await q.query<PlanVersionRow & Record<string, unknown>>(
    `SELECT ${PLAN_COLS} FROM plan_versions WHERE merchant_id = $1 AND program_id = $2 AND version = $3`,
    [merchantId, programId, version],
  );
  if (!row) fail("NOT_FOUND", "No such plan version.", { version });
  return row;
}
