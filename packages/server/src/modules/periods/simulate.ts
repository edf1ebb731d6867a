/**
 * What-if over stored history: the program's orders, refunds, completions, cancellations, contributions and closed
 * periods become a replay scenario, which core replays under the current plan and under the draft.
 * Orders keep the promoter they were attributed to (the history is replayed as if each carried that promoter's code).
 */
import { lintPlan, parsePlan, type Scenario, simulatePlans } from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { type Program, planInForce } from "../programs/repository.ts";

/** Orders replayed per simulation at most (the newest are kept). */
export const SIMULATION_ORDERS_MAX = 100_000;

export async function historyScenario(q: Sql, program: Program, now: Date, range: { from?: string; to?: string } = {}): Promise<Scenario> {
  const M = program.merchantId;
  const from = range.from ? new Date(range.from) : new Date(0);
  const to = range.to ? new Date(range.to) : now;
  const promoters = (
    await q.query<{
      promoter_id: string;
      inviter_id: string | null;
      rank: string | null;
      status: "active" | "suspended" | "left";
      joined_at: Date;
    }>(
      "SELECT promoter_id, inviter_id, rank, status, joined_at FROM memberships WHERE merchant_id = $1 AND program_id = $2 ORDER BY joined_at, promoter_id",
      [M, program.id],
    )
  ).map((r) => ({
    id: r.promoter_id,
    inviterId: r.inviter_id,
    // a rank stored empty before ranks were checked is the base rank, not a scenario that fails to parse
    rank: r.rank === null || r.rank.trim() === "" ? null : r.rank,
    status: r.status,
    joinedAt: new Date(r.joined_at).toISOString(),
  }));
  const orders = await q.query<{
    id: string;
    order_ref: string;
    promoter_id: string;
    channel: string;
    paid_at: Date;
    customer_ref: string;
  }>(
    `SELECT o.id, o.order_ref, o.promoter_id, o.channel, o.paid_at, c.customer_ref FROM orders o JOIN customers c ON c.merchant_id = o.merchant_id AND c.id = o.customer_id
     WHERE o.merchant_id = $1 AND o.program_id = $2 AND o.promoter_id IS NOT NULL AND o.paid_at >= $3 AND o.paid_at < $4 ORDER BY o.paid_at DESC LIMIT ${SIMULATION_ORDERS_MAX}`,
    [M, program.id, from, to],
  );
  const ids = orders.map((o) => o.id);
  const lines = await q.query<{
    order_id: string;
    line_no: number;
    product_id: string;
    category_id: string | null;
    quantity: number;
    net_amount_minor: number;
    margin_minor: number | null;
  }>(
    "SELECT order_id, line_no, product_id, category_id, quantity, net_amount_minor, margin_minor FROM order_lines WHERE merchant_id = $1 AND order_id = ANY($2) ORDER BY order_id, line_no",
    [M, ids],
  );
  const byOrder = new Map<string, typeof lines>();
  for (const l of lines) byOrder.set(l.order_id, [...(byOrder.get(l.order_id) ?? []), l]);
  const events = await q.query<{ order_id: string; type: string; payload: { perLine?: Record<string, number> }; occurred_at: Date }>(
    "SELECT order_id, type, payload, occurred_at FROM order_events WHERE merchant_id = $1 AND order_id = ANY($2) AND type <> 'paid' ORDER BY occurred_at, id",
    [M, ids],
  );
  const out: Scenario["events"] = [];
  for (const o of orders) {
    out.push({
      type: "order_paid",
      at: new Date(o.paid_at).toISOString(),
      orderId: o.id,
      orderRef: o.order_ref,
      customerRef: o.customer_ref,
      channel: o.channel,
      promoterId: o.promoter_id,
      lines: (byOrder.get(o.id) ?? []).map((l) => ({
        lineNo: l.line_no,
        productId: l.product_id,
        categoryId: l.category_id,
        quantity: l.quantity,
        netAmountMinor: Number(l.net_amount_minor),
        marginMinor: l.margin_minor === null ? null : Number(l.margin_minor),
      })),
    });
  }
  for (const e of events) {
    const at = new Date(e.occurred_at).toISOString();
    if (e.type === "refund") {
      const per = Object.entries(e.payload.perLine ?? {})
        .map(([lineNo, amountMinor]) => ({ lineNo: Number(lineNo), amountMinor: Number(amountMinor) }))
        .filter((x) => x.amountMinor > 0);
      if (per.length) out.push({ type: "order_refunded", at, orderId: e.order_id, lines: per });
    } else if (e.type === "complete") out.push({ type: "order_completed", at, orderId: e.order_id });
    else if (e.type === "cancel") out.push({ type: "order_cancelled", at, orderId: e.order_id });
  }
  const contributions = await q.query<{ promoter_id: string; type: string; count: number; occurred_at: Date }>(
    "SELECT promoter_id, type, count, occurred_at FROM contribution_events WHERE merchant_id = $1 AND program_id = $2 AND occurred_at >= $3 AND occurred_at < $4 ORDER BY occurred_at, id",
    [M, program.id, from, to],
  );
  for (const c of contributions)
    out.push({
      type: "contribution",
      at: new Date(c.occurred_at).toISOString(),
      promoterId: c.promoter_id,
      contributionType: c.type,
      count: c.count,
    });
  const closes = await q.query<{ period_key: string; ends_at: Date }>(
    "SELECT period_key, ends_at FROM period_closes WHERE merchant_id = $1 AND program_id = $2 AND ends_at <= $3 ORDER BY ends_at",
    [M, program.id, to],
  );
  for (const c of closes) out.push({ type: "period_close", at: new Date(c.ends_at).toISOString(), period: c.period_key });
  out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return {
    program: {
      merchantId: M,
      currency: program.currency,
      timeZone: program.timezone,
      holdDays: program.holdDays,
      clickWindowDays: program.clickWindowDays,
      bindingPolicy: program.bindingPolicy,
      attributionPrecedence: program.attributionPrecedence,
      protectionDays: program.protectionDays,
      roundingMode: program.roundingMode,
      compliancePolicy: program.compliancePolicy,
    },
    plans: [{ effectiveFrom: "1970-01-01T00:00:00Z", plan: {} }],
    promoters,
    events: out,
    asOf: to.toISOString(),
  };
}

export async function simulateDraft(q: Sql, program: Program, document: unknown, now: Date, range: { from?: string; to?: string }) {
  const draft = parsePlan(document);
  if (!draft.ok)
    fail("PLAN_INVALID", `${draft.issues[0]?.path ?? "document"}: ${draft.issues[0]?.message ?? "invalid"}`, { issues: draft.issues });
  const current = await planInForce(q, program.merchantId, program.id, now);
  if (!current) fail("NO_PLAN_IN_FORCE");
  const cur = parsePlan(current.document);
  if (!cur.ok) throw new Error(`stored plan version ${current.version} no longer parses`);
  const history = await historyScenario(q, program, now, range);
  const result = simulatePlans(history, cur.plan, draft.plan);
  return {
    currentVersion: current.version,
    orders: history.events.filter((e) => e.type === "order_paid").length,
    lint: lintPlan(document, program.compliancePolicy),
    ...result,
  };
}
