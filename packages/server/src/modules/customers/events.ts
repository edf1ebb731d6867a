/**
 * P15 event rewards: a customer registers or joins a community through a promoter → a fixed reward for the promoter.
 * Each (trigger, customer) pays at most once per program: the line's adjustment key is unique.
 */
import { accrue, type CustomerEventTrigger, evaluateEvent, explainLine, parsePlan } from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import { newId } from "../../ids.ts";
import { insertCommissionLines } from "../commissions/repository.ts";
import { postTx } from "../ledger/repository.ts";
import { openPeriodKeyFor } from "../periods/service.ts";
import { type Program, planInForce } from "../programs/repository.ts";
import { maskRef } from "./mask.ts";

export async function rewardCustomerEvent(
  q: Sql,
  program: Program,
  e: { trigger: CustomerEventTrigger; customerId: string; customerRef: string; promoterId: string; at: Date },
  now: Date,
): Promise<{ promoterId: string; amountMinor: number; explanation: { zh: string; en: string } }[]> {
  const key = `event:${e.trigger}:${e.customerId}`;
  const [done] = await q.query(
    "SELECT 1 FROM commission_lines WHERE merchant_id = $1 AND program_id = $2 AND adjustment_key LIKE $3 LIMIT 1",
    [program.merchantId, program.id, `${key}%`],
  );
  if (done || program.status !== "active") return [];
  const version = await planInForce(q, program.merchantId, program.id, e.at);
  if (!version) return [];
  const parsed = parsePlan(version.document);
  if (!parsed.ok) throw new Error(`stored plan version ${version.version} no longer parses`);
  const drafts = evaluateEvent(parsed.plan, e.trigger, e.promoterId);
  if (drafts.length === 0) return [];
  const periodKey = await openPeriodKeyFor(q, program, e.at, now);
  const availableAt = new Date(e.at.getTime() + program.holdDays * 86_400_000);
  const rows = drafts.map((d, i) => {
    const extras = { currency: program.currency, periodKey };
    return {
      id: newId("com"),
      orderId: null,
      lineNo: null,
      beneficiaryId: d.beneficiaryId,
      level: d.level,
      kind: d.kind,
      baseMinor: d.baseMinor,
      rateBps: null,
      amountMinor: d.amountMinor,
      attributionPath: null,
      planVersion: version.version,
      periodKey,
      trace: { ...d.trace, customerRef: e.customerRef },
      explanationZh: `${explainLine(d, "zh", extras)}（客户 ${maskRef(e.customerRef)}）`,
      explanationEn: `${explainLine(d, "en", extras)} (customer ${maskRef(e.customerRef)})`,
      availableAt,
      adjustmentKey: i === 0 ? key : `${key}:${i}`,
      refundBaseMinor: null,
    };
  });
  await insertCommissionLines(q, program.merchantId, program.id, program.currency, now, rows);
  const tx = accrue(
    program.merchantId,
    program.currency,
    key,
    e.trigger === "customer_registered" ? "客户注册奖励 / registration reward" : "入群奖励 / community reward",
    drafts.map((d) => ({ promoterId: d.beneficiaryId, amountMinor: d.amountMinor })),
  );
  if (tx) await postTx(q, program.merchantId, tx, now);
  return rows.map((r) => ({
    promoterId: r.beneficiaryId,
    amountMinor: r.amountMinor,
    explanation: { zh: r.explanationZh, en: r.explanationEn },
  }));
}
