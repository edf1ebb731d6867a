import { type CompliancePolicy, lintPlan, parsePlan } from "@fenxiao/core";
import type { z } from "zod";
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { newId } from "../../ids.ts";
import { emitEvent } from "../events/outbox.ts";
import { getPlanVersion, type Program, publishedFrom } from "./repository.ts";
import type { JoinPolicy, programPatch, programSettings } from "./schema.ts";

/**
 * `createdAt` is when the program begins to exist (the server's clock): orders paid before it are refused
 * (orders/plausibility.ts). Without it, the database's clock.
 */
export async function createProgram(
  q: Sql,
  merchantId: string,
  s: Omit<z.infer<typeof programSettings>, "joinPolicy"> & { joinPolicy?: JoinPolicy },
  id = newId("prg"),
  createdAt: Date | null = null,
): Promise<string> {
  await q.query(
    `INSERT INTO programs (merchant_id, id, name, currency, timezone, hold_days, click_window_days, binding_policy, protection_days,
       rounding_mode, compliance_policy, period_kind, landing_url, close_grace_days, join_policy, created_at, attribution_precedence)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, coalesce($16::timestamptz, now()), $17)`,
    [
      merchantId,
      id,
      s.name,
      s.currency,
      s.timezone,
      s.holdDays,
      s.clickWindowDays,
      s.bindingPolicy,
      s.protectionDays,
      s.roundingMode,
      s.compliancePolicy,
      s.periodKind,
      s.landingUrl,
      s.closeGraceDays,
      s.joinPolicy ?? "open",
      createdAt,
      s.attributionPrecedence ?? "code-first",
    ],
  );
  return id;
}

const PATCH_COLUMNS: Record<string, string> = {
  name: "name",
  currency: "currency",
  timezone: "timezone",
  holdDays: "hold_days",
  clickWindowDays: "click_window_days",
  bindingPolicy: "binding_policy",
  attributionPrecedence: "attribution_precedence",
  protectionDays: "protection_days",
  roundingMode: "rounding_mode",
  compliancePolicy: "compliance_policy",
  periodKind: "period_kind",
  landingUrl: "landing_url",
  closeGraceDays: "close_grace_days",
  joinPolicy: "join_policy",
  status: "status",
};

export async function updateProgram(q: Sql, merchantId: string, programId: string, patch: z.infer<typeof programPatch>): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [merchantId, programId];
  for (const [k, v] of Object.entries(patch)) {
    const col = PATCH_COLUMNS[k];
    if (!col || v === undefined) continue;
    params.push(v);
    sets.push(`${col} = $${params.length}`);
  }
  if (sets.length === 0) return;
  await q.query(`UPDATE programs SET ${sets.join(", ")} WHERE merchant_id = $1 AND id = $2`, params);
}

/**
 * Parse the document and run the compliance linter under the program's policy. The linter works on the raw JSON, so
 * compliance errors (e.g. too many upline levels) are reported even when the document does not parse.
 */
export function lintDocument(program: Program, document: unknown) {
  const parsed = parsePlan(document);
  const lint = lintPlan(document, program.compliancePolicy);
  return { valid: parsed.ok, issues: parsed.ok ? [] : parsed.issues, errors: lint.errors, warnings: lint.warnings };
}

export async function createDraftPlan(q: Sql, program: Program, document: unknown, at: Date) {
  const parsed = parsePlan(document);
  if (!parsed.ok)
    fail("PLAN_INVALID", `${parsed.issues[0]?.path ?? "document"}: ${parsed.issues[0]?.message ?? "invalid"}`, { issues: parsed.issues });
  const lint = lintPlan(document, program.compliancePolicy);
  const [row] = await q.query<{ v: number }>(
    "SELECT coalesce(max(version), 0) + 1 AS v FROM plan_versions WHERE merchant_id = $1 AND program_id = $2",
    [program.merchantId, program.id],
  );
  const version = Number(row?.v ?? 1);
  await q.query(
    "INSERT INTO plan_versions (merchant_id, program_id, version, status, document, lint, created_at) VALUES ($1, $2, $3, 'draft', $4, $5, $6)",
    [program.merchantId, program.id, version, JSON.stringify(parsed.plan), JSON.stringify(lint), at],
  );
  return { version, status: "draft" as const, lint };
}

/** A version can be published only if it parses and passes the linter under the program's policy; returns the lint. */
export function assertPublishable(program: Program, document: unknown) {
  const parsed = parsePlan(document);
  if (!parsed.ok) fail("PLAN_INVALID", undefined, { issues: parsed.issues });
  const lint = lintPlan(document, program.compliancePolicy);
  if (lint.errors.length > 0) fail("PLAN_LINT_FAILED", lint.errors[0]?.messageEn, { errors: lint.errors, warnings: lint.warnings });
  return lint;
}

export async function publishPlan(q: Sql, program: Program, version: number, document: unknown, effectiveFrom: Date, at: Date) {
  const lint = assertPublishable(program, document);
  await q.query(
    `UPDATE plan_versions SET status = 'published', effective_from = $4, published_at = $5, lint = $6
     WHERE merchant_id = $1 AND program_id = $2 AND version = $3 AND status = 'draft'`,
    [program.merchantId, program.id, version, effectiveFrom, at, JSON.stringify(lint)],
  );
  const published = await getPlanVersion(q, program.merchantId, program.id, version);
  await emitEvent(
    q,
    program.merchantId,
    {
      type: "plan.published",
      subject: `plan:${program.id}:${version}`,
      data: {
        programId: program.id,
        version,
        effectiveFrom: effectiveFrom.toISOString(),
        publishedAt: at.toISOString(),
        document: published.document,
      },
    },
    at,
  );
  return published;
}

/**
 * A compliance policy change is refused while a published version that pays orders from now on (the one in force, or a
 * later-dated one) breaks the new policy: the change would otherwise be accepted and that plan keep paying as before.
 * The error names the version and the rule; publishing a compliant version first lets the change through.
 */
export async function checkPolicyChange(q: Sql, program: Program, policy: CompliancePolicy, now: Date): Promise<void> {
  if (policy === program.compliancePolicy) return;
  for (const v of await publishedFrom(q, program.merchantId, program.id, now)) {
    const lint = lintPlan(v.document, policy, { skipSchema: true });
    const e = lint.errors[0];
    if (!e) continue;
    const effectiveFrom = new Date(v.effectiveFrom as string).toISOString();
    const when = Date.parse(effectiveFrom) <= now.getTime() ? "in force" : `in force from ${effectiveFrom}`;
    const message = `compliancePolicy: plan version ${v.version} (${when}) breaks the ${policy} policy: ${e.code} at ${e.path}: ${e.messageEn}`;
    fail("PLAN_BREAKS_POLICY", message, {
      field: "compliancePolicy",
      issues: [{ path: "compliancePolicy", message }],
      policy,
      version: v.version,
      effectiveFrom,
      rule: e.code,
      path: e.path,
      errors: lint.errors,
    });
  }
}
