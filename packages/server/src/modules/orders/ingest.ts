/**
 * Paid-order ingest as a set (group commit): the state a batch of order events needs is read with a few
 * `= ANY(…)` queries, every order is attributed and evaluated in memory, one after another (so two orders of one
 * customer in the same batch see each other exactly as they would one by one), and the results are written with one
 * multi-row statement per table and one ledger append. A single order is a batch of one: there is one code path.
 *
 * A unit that fails validation is reported with its own error and writes nothing; the others go on.
 */
import {
  accrue,
  type BindingState,
  type CommissionLineDraft,
  type CustomerRewardEvent,
  customerRewardFor,
  evaluateOrder,
  explainLine,
  type LedgerTxDraft,
  minor,
  type OrderInput,
  type PlanDocument,
  type PromoterNode,
  parsePlan,
  periodOf,
} from "@fenxiao/core";
import { bulkInsert, type Column } from "../../db/bulk.ts";
import type { Sql } from "../../db/client.ts";
import { ApiError } from "../../http/errors.ts";
import { newId } from "../../ids.ts";
import { type AttributionSource, attributeWith, type ClickSignal, upsertBindings } from "../attribution/service.ts";
import { insertCommissionLines, type NewCommissionLine } from "../commissions/repository.ts";
import { postTxs } from "../ledger/repository.ts";
import { PROGRAM_COLS, type Program, pickProgram } from "../programs/repository.ts";
import type { PaidOrderBody } from "./schema.ts";
import type { OrderView } from "./service.ts";

export type UnitResult = { ok: true; view: OrderView } | { ok: false; error: unknown };

type Member = {
  programId: string;
  promoterId: string;
  code: string;
  inviterId: string | null;
  inviter2Id: string | null;
  rank: string | null;
  status: PromoterNode["status"];
  joinedAt: string;
};
type Customer = { id: string; ref: string; referrerCustomerId: string | null; phone: string | null; name: string | null; dirty: boolean };

const iso = (d: Date | string) => new Date(d).toISOString();
const k2 = (a: string, b: string) => `${a}\u0000${b}`;

/** Parsed plan documents by merchant/program/version: published versions never change, so this is safe to keep. */
const PLAN_CACHE_MAX = 500;
const planCache = new Map<string, PlanDocument>();
function parsedPlan(key: string, document: unknown): PlanDocument {
  let p = planCache.get(key);
  if (!p) {
    const r = parsePlan(document);
    if (!r.ok) throw new Error(`stored plan version ${key} no longer parses`);
    p = r.plan;
    if (planCache.size >= PLAN_CACHE_MAX) planCache.delete(planCache.keys().next().value as string);
    planCache.set(key, p);
  }
  return p;
}

type MemberRow = {
  program_id: string;
  promoter_id: string;
  code: string;
  inviter_id: string | null;
  inviter2_id: string | null;
  rank: string | null;
  status: Member["status"];
  joined_at: string;
};
type ClickRow = { id: string; token: string; promoter_id: string; program_id: string; clicked_at: string; customer_id: string | null };
interface BatchState {
  programs: Program[];
  existing: string[];
  customers: { id: string; customer_ref: string; referrer_customer_id: string | null; phone: string | null; name: string | null }[];
  members: MemberRow[];
  token_clicks: ClickRow[];
  customer_clicks: ClickRow[];
  bindings: { program_id: string; customer_id: string; promoter_id: string; bound_at: string; expires_at: string }[];
  prior: string[];
  products: { id: string; name: string; category_id: string | null }[];
  plans: { program_id: string; version: number; effective_from: string; document: unknown }[];
  closed: { program_id: string; period_key: string }[];
  stats: { program_id: string; promoter_id: string; period_key: string; net: number }[];
}

/** Clicks read per batch at most (a customer's clicks are few; this bounds a pathological history). */
const BATCH_CLICKS_MAX = 20_000;

/**
 * Everything a batch reads, as one JSON document: $1 merchant, $2 order refs, $3 customer refs (incl. referrers),
 * $4 promo codes, $5 click tokens, $6 product ids. Members are those a signal may attribute to, and their uplines.
 */
const STATE_SQL = `
WITH cust AS (SELECT id, customer_ref, referrer_customer_id, phone, name FROM customers WHERE merchant_id = $1 AND customer_ref = ANY($3::text[])),
coded AS (SELECT promoter_id FROM memberships WHERE merchant_id = $1 AND code = ANY($4::text[])),
tok AS (SELECT id, token, promoter_id, program_id, clicked_at, customer_id FROM clicks WHERE merchant_id = $1 AND token = ANY($5::text[])),
cclk AS (SELECT id, token, promoter_id, program_id, clicked_at, customer_id FROM clicks WHERE merchant_id = $1 AND customer_id IN (SELECT id FROM cust)
         ORDER BY clicked_at DESC, id LIMIT ${BATCH_CLICKS_MAX}),
bnd AS (SELECT program_id, customer_id, promoter_id, bound_at, expires_at FROM bindings WHERE merchant_id = $1 AND customer_id IN (SELECT id FROM cust)),
wanted AS (SELECT promoter_id FROM coded UNION SELECT promoter_id FROM tok UNION SELECT promoter_id FROM cclk UNION SELECT promoter_id FROM bnd),
mem AS (SELECT program_id, promoter_id, code, inviter_id, inviter2_id, rank, status, joined_at FROM memberships WHERE merchant_id = $1 AND promoter_id IN (SELECT promoter_id FROM wanted)),
allmem AS (
  SELECT * FROM mem
  UNION
  SELECT program_id, promoter_id, code, inviter_id, inviter2_id, rank, status, joined_at FROM memberships
  WHERE merchant_id = $1 AND promoter_id IN (SELECT inviter_id FROM mem UNION SELECT inviter2_id FROM mem)
)
SELECT json_build_object(
  'programs', (SELECT coalesce(json_agg(p ORDER BY p."createdAt"), '[]') FROM (SELECT ${PROGRAM_COLS} FROM programs WHERE merchant_id = $1) p),
  'existing', (SELECT coalesce(json_agg(order_ref), '[]') FROM orders WHERE merchant_id = $1 AND order_ref = ANY($2::text[])),
  'customers', (SELECT coalesce(json_agg(cust), '[]') FROM cust),
  'members', (SELECT coalesce(json_agg(allmem), '[]') FROM allmem),
  'token_clicks', (SELECT coalesce(json_agg(tok), '[]') FROM tok),
  'customer_clicks', (SELECT coalesce(json_agg(cclk ORDER BY cclk.clicked_at DESC, cclk.id), '[]') FROM cclk),
  'bindings', (SELECT coalesce(json_agg(bnd), '[]') FROM bnd),
  'prior', (SELECT coalesce(json_agg(c.id), '[]') FROM cust c
            WHERE EXISTS (SELECT 1 FROM orders o WHERE o.merchant_id = $1 AND o.customer_id = c.id AND o.status IN ('paid', 'completed'))),
  'products', (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'category_id', category_id)), '[]') FROM products
               WHERE merchant_id = $1 AND id = ANY($6::text[])),
  'plans', (SELECT coalesce(json_agg(v ORDER BY v.program_id, v.effective_from DESC, v.version DESC), '[]')
            FROM (SELECT program_id, version, effective_from, document FROM plan_versions WHERE merchant_id = $1 AND status = 'published') v),
  'closed', (SELECT coalesce(json_agg(json_build_object('program_id', program_id, 'period_key', period_key)), '[]') FROM period_closes WHERE merchant_id = $1),
  'stats', (SELECT coalesce(json_agg(json_build_object('program_id', program_id, 'promoter_id', promoter_id, 'period_key', period_key, 'net', sales_minor - refunded_minor)), '[]')
            FROM promoter_period_stats WHERE merchant_id = $1 AND promoter_id IN (SELECT promoter_id FROM allmem))
) AS state`;

export async function ingestPaidOrders(q: Sql, merchantId: string, bodies: readonly PaidOrderBody[], now: Date): Promise<UnitResult[]> {
  const M = merchantId;
  const upper = (s: string) => s.toUpperCase();
  const customerRefs = [...new Set(bodies.flatMap((b) => [b.customer.ref, ...(b.referrerCustomerRef ? [b.referrerCustomerRef] : [])]))];
  const codes = [...new Set(bodies.flatMap((b) => (b.promoCode ? [upper(b.promoCode)] : [])))];
  const tokens = [...new Set(bodies.flatMap((b) => (b.clickToken ? [b.clickToken] : [])))];
  const productIds = [...new Set(bodies.flatMap((b) => b.lines.map((l) => l.productId)))];

  // ---- read the state of the whole batch, in one statement
  const [row] = await q.query<{ state: BatchState }>(STATE_SQL, [
    M,
    bodies.map((b) => b.orderRef),
    customerRefs,
    codes,
    tokens,
    productIds,
  ]);
  const st = row?.state;
  if (!st) throw new Error("batch state query returned nothing");
  const programs = st.programs;
  const existingRefs = new Set(st.existing);
  const customers = new Map<string, Customer>(
    st.customers.map((c) => [
      c.customer_ref,
      { id: c.id, ref: c.customer_ref, referrerCustomerId: c.referrer_customer_id, phone: c.phone, name: c.name, dirty: false },
    ]),
  );
  const members = new Map<string, Member>(); // program|promoter → member
  const byCode = new Map<string, Member>();
  for (const r of st.members) {
    const m: Member = {
      programId: r.program_id,
      promoterId: r.promoter_id,
      code: r.code,
      inviterId: r.inviter_id,
      inviter2Id: r.inviter2_id,
      rank: r.rank,
      status: r.status,
      joinedAt: iso(r.joined_at),
    };
    members.set(k2(m.programId, m.promoterId), m);
    byCode.set(m.code, m);
  }
  const toClick = (c: ClickRow): ClickSignal & { token: string } => ({
    id: c.id,
    token: c.token,
    promoterId: c.promoter_id,
    programId: c.program_id,
    clickedAt: iso(c.clicked_at),
    customerId: c.customer_id,
  });
  const clicksByToken = new Map(st.token_clicks.map((c) => [c.token, toClick(c)]));
  const clicksByCustomer = new Map<string, ClickSignal[]>(); // newest first
  for (const c of st.customer_clicks) {
    const arr = clicksByCustomer.get(c.customer_id as string) ?? [];
    arr.push(toClick(c));
    clicksByCustomer.set(c.customer_id as string, arr);
  }
  const bindings = new Map<string, BindingState>(); // program|customer → binding
  for (const b of st.bindings)
    bindings.set(k2(b.program_id, b.customer_id), { promoterId: b.promoter_id, boundAt: iso(b.bound_at), expiresAt: iso(b.expires_at) });
  const hasPriorOrder = new Set(st.prior);
  const catalogue = new Map(st.products.map((p) => [p.id, p]));
  const plans = st.plans;
  const closed = new Set(st.closed.map((r) => k2(r.program_id, r.period_key)));
  const stats = new Map<string, number>(); // program|promoter|period → net sales so far
  const statKey = (programId: string, promoterId: string, periodKey: string) => `${programId}\u0000${promoterId}\u0000${periodKey}`;
  for (const s of st.stats) stats.set(statKey(s.program_id, s.promoter_id, s.period_key), Number(s.net));

  // ---- decide, one order after another, in memory
  const out: UnitResult[] = [];
  const seenRefs = new Set<string>();
  const newBindings = new Map<string, { programId: string; customerId: string; binding: BindingState; source: string }>();
  const clickLinks = new Map<string, string>();
  const orderRows: unknown[][] = [];
  const lineRows: unknown[][] = [];
  const eventRows: unknown[][] = [];
  const statDelta = new Map<string, StatDelta>();
  const commissionRows: { program: Program; rows: NewCommissionLine[] }[] = [];
  const ledger: LedgerTxDraft[] = [];

  for (const b of bodies) {
    try {
      const program = pickProgram(programs, b.programId);
      const currency = b.currency ?? program.currency;
      if (currency !== program.currency)
        throw new ApiError("VALIDATION_FAILED", `currency: the program pays in ${program.currency}`, {
          issues: [{ path: "currency", message: `the program pays in ${program.currency}` }],
        });
      if (existingRefs.has(b.orderRef) || seenRefs.has(b.orderRef)) throw new ApiError("ORDER_EXISTS", undefined, { orderRef: b.orderRef });
      let referrer: Customer | null = null;
      if (b.referrerCustomerRef) {
        referrer = customers.get(b.referrerCustomerRef) ?? null;
        if (!referrer)
          throw new ApiError("VALIDATION_FAILED", "referrerCustomerRef: no customer with this reference", {
            issues: [{ path: "referrerCustomerRef", message: "no customer with this reference" }],
          });
      }
      const paidAt = new Date(b.paidAt);
      const orderId = newId("ord");
      // Customer: found or new; phone and name filled in when given; the first referrer is kept.
      let customer = customers.get(b.customer.ref);
      const staged: Customer = customer
        ? { ...customer }
        : { id: newId("cus"), ref: b.customer.ref, referrerCustomerId: null, phone: null, name: null, dirty: true };
      if (b.customer.phone && b.customer.phone !== staged.phone) Object.assign(staged, { phone: b.customer.phone, dirty: true });
      if (b.customer.name && b.customer.name !== staged.name) Object.assign(staged, { name: b.customer.name, dirty: true });
      if (!staged.referrerCustomerId && referrer && referrer.id !== staged.id)
        Object.assign(staged, { referrerCustomerId: referrer.id, dirty: true });

      // Attribution over the batch's maps; writes are staged and kept only if the unit succeeds.
      const unitBindings = new Map<string, { programId: string; customerId: string; binding: BindingState; source: string }>();
      const unitLinks = new Map<string, string>();
      const bindingOf = (customerId: string) => {
        const key = k2(program.id, customerId);
        return unitBindings.get(key)?.binding ?? bindings.get(key) ?? null;
      };
      const src: AttributionSource = {
        memberByCode: async (code) => {
          const m = byCode.get(code);
          return m ? { promoterId: m.promoterId, programId: m.programId, status: m.status } : null;
        },
        memberStatus: async (promoterId) => members.get(k2(program.id, promoterId))?.status ?? null,
        clickByToken: async (token) => {
          const c = clicksByToken.get(token);
          return c ? { ...c, customerId: c.customerId ?? clickLinks.get(c.id) ?? null } : null;
        },
        lastClick: async (customerId, at) => {
          const t = at.getTime();
          const linked = [...clicksByToken.values()].filter((c) => (clickLinks.get(c.id) ?? c.customerId) === customerId);
          const all = [...(clicksByCustomer.get(customerId) ?? []), ...linked].filter(
            (c) => c.programId === program.id && Date.parse(c.clickedAt) <= t,
          );
          all.sort((x, y) => Date.parse(y.clickedAt) - Date.parse(x.clickedAt) || (x.id < y.id ? -1 : 1));
          return all[0] ?? null;
        },
        binding: async (customerId) => bindingOf(customerId),
        saveBinding: async (customerId, binding, source) => {
          unitBindings.set(k2(program.id, customerId), { programId: program.id, customerId, binding, source });
        },
        linkClick: async (clickId, customerId) => {
          if (!clickLinks.has(clickId)) unitLinks.set(clickId, customerId);
        },
      };
      const att = await attributeWith(src, program, {
        customerId: staged.id,
        at: paidAt,
        promoCode: b.promoCode,
        clickToken: b.clickToken,
        referrerCustomerId: referrer?.id ?? staged.referrerCustomerId,
        source: "order",
      });
      const first = !hasPriorOrder.has(staged.id);
      const ownPeriod = periodOf(paidAt.toISOString(), program.periodKind, program.timezone).key;
      const periodKey = closed.has(k2(program.id, ownPeriod))
        ? periodOf(now.toISOString(), program.periodKind, program.timezone).key
        : ownPeriod;
      const lines = b.lines.map((l, i) => ({
        lineNo: i + 1,
        productId: l.productId,
        productName: l.productName ?? catalogue.get(l.productId)?.name ?? null,
        categoryId: l.categoryId ?? catalogue.get(l.productId)?.category_id ?? null,
        quantity: l.quantity,
        netAmountMinor: minor(l.netAmountMinor),
        marginMinor: l.marginMinor === undefined ? null : minor(l.marginMinor),
      }));
      const amountMinor = lines.reduce((s, l) => s + l.netAmountMinor, 0);
      const notes = [...att.notes];
      const sellerId = att.promoterId;
      let drafts: CommissionLineDraft[] = [];
      let planVersion: number | null = null;
      let rewardEvents: CustomerRewardEvent[] = [];
      const orderInput: OrderInput = {
        orderId,
        orderRef: b.orderRef,
        paidAt: paidAt.toISOString(),
        channel: b.channel,
        currency,
        customerRef: b.customer.ref,
        isFirstOrder: first,
        attributionPath: att.path ?? "binding",
        lines,
        referrerCustomerRef: att.path === "referral" ? (b.referrerCustomerRef ?? null) : null,
      };
      const sk = sellerId ? statKey(program.id, sellerId, periodKey) : "";
      if (sellerId && program.status === "active") {
        const version = plans.find((p) => p.program_id === program.id && new Date(p.effective_from).getTime() <= paidAt.getTime());
        const seller = members.get(k2(program.id, sellerId));
        if (!version) notes.push("no_plan_in_force");
        else if (seller) {
          const node = (m: Member): PromoterNode => ({ promoterId: m.promoterId, rank: m.rank, status: m.status, joinedAt: m.joinedAt });
          const uplines: PromoterNode[] = [];
          for (const id of [seller.inviterId, seller.inviter2Id]) {
            const m = id ? members.get(k2(program.id, id)) : undefined;
            if (!m) break;
            uplines.push(node(m));
          }
          const plan = parsedPlan(`${M}/${program.id}/${version.version}`, version.document);
          planVersion = version.version;
          drafts = evaluateOrder(plan, orderInput, {
            seller: node(seller),
            uplines,
            periodSalesBeforeMinor: minor(stats.get(sk) ?? 0),
            roundingMode: program.roundingMode,
          });
          const reward = customerRewardFor(plan, orderInput, sellerId);
          if (reward) rewardEvents = [reward];
        }
      } else if (sellerId) notes.push("program_not_active");

      // ---- the unit succeeded: stage its writes and commit its effects on the batch state
      seenRefs.add(b.orderRef);
      if (!customer) {
        customer = staged;
        customers.set(staged.ref, staged);
      } else Object.assign(customer, staged);
      hasPriorOrder.add(staged.id);
      for (const [key, v] of unitBindings) {
        bindings.set(key, v.binding);
        newBindings.set(key, v);
      }
      for (const [clickId, customerId] of unitLinks) clickLinks.set(clickId, customerId);
      if (sellerId) {
        stats.set(sk, (stats.get(sk) ?? 0) + amountMinor);
        const d = statDelta.get(sk) ?? { programId: program.id, promoterId: sellerId, periodKey, sales: 0, orders: 0 };
        d.sales += amountMinor;
        d.orders += 1;
        statDelta.set(sk, d);
      }
      orderRows.push([
        orderId,
        program.id,
        b.orderRef,
        staged.id,
        b.channel,
        currency,
        amountMinor,
        b.shippingMinor,
        sellerId,
        att.path,
        JSON.stringify({
          path: att.path,
          promoterId: sellerId,
          clickId: att.clickId,
          promoCode: b.promoCode ?? null,
          bound: att.bind,
          notes,
        }),
        first,
        planVersion,
        periodKey,
        paidAt.toISOString(),
      ]);
      for (const l of lines)
        lineRows.push([orderId, l.lineNo, l.productId, l.productName, l.categoryId, l.quantity, l.netAmountMinor, l.marginMinor]);
      eventRows.push([newId("evt"), orderId, "paid", JSON.stringify(b), paidAt.toISOString()]);
      // Customer-to-customer referral: the referring customer's non-cash reward, kept for the shop to fetch.
      for (const r of rewardEvents) eventRows.push([newId("evt"), orderId, "customer_reward", JSON.stringify(r), paidAt.toISOString()]);
      const names = new Map(lines.map((l) => [l.lineNo, l.productName]));
      const rows: NewCommissionLine[] = drafts.map((d) => {
        const extras = {
          orderRef: b.orderRef,
          productName: d.lineNo ? (names.get(d.lineNo) ?? null) : null,
          currency: program.currency,
          periodKey: null,
        };
        return {
          id: newId("com"),
          orderId,
          lineNo: d.lineNo,
          beneficiaryId: d.beneficiaryId,
          level: d.level,
          kind: d.kind,
          baseMinor: d.baseMinor,
          rateBps: d.trace.rateBps ?? null,
          amountMinor: d.amountMinor,
          attributionPath: att.path,
          planVersion,
          periodKey,
          trace: d.trace,
          explanationZh: explainLine(d, "zh", extras),
          explanationEn: explainLine(d, "en", extras),
          availableAt: null,
          adjustmentKey: null,
          refundBaseMinor: null,
        };
      });
      commissionRows.push({ program, rows });
      const tx = accrue(
        M,
        currency,
        `order:${orderId}:paid`,
        `订单 #${b.orderRef} 佣金计提 / commission accrued`,
        drafts.map((d) => ({ promoterId: d.beneficiaryId, amountMinor: d.amountMinor })),
      );
      if (tx) ledger.push(tx);
      out.push({
        ok: true,
        view: {
          orderId,
          orderRef: b.orderRef,
          programId: program.id,
          status: "paid",
          amountMinor,
          refundedMinor: 0,
          promoterId: sellerId,
          attributionPath: att.path,
          isFirstOrder: first,
          commissions: rows.map((r) => ({
            id: r.id,
            beneficiaryId: r.beneficiaryId,
            level: r.level,
            kind: r.kind,
            lineNo: r.lineNo,
            amountMinor: r.amountMinor,
            reversedMinor: 0,
            state: "pending",
            explanation: { zh: r.explanationZh, en: r.explanationEn },
          })),
          rewardEvents,
        },
      });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      out.push({ ok: false, error });
    }
  }

  // ---- write the set
  await writeSet(q, M, now, {
    customers: [...customers.values()].filter((c) => c.dirty),
    bindings: [...newBindings.values()],
    clickLinks,
    orderRows,
    lineRows,
    eventRows,
    stats: [...statDelta.values()],
  });
  const byProgram = new Map<string, { program: Program; rows: NewCommissionLine[] }>();
  for (const c of commissionRows) {
    const g = byProgram.get(c.program.id) ?? { program: c.program, rows: [] };
    g.rows.push(...c.rows);
    byProgram.set(c.program.id, g);
  }
  for (const g of byProgram.values()) await insertCommissionLines(q, M, g.program.id, g.program.currency, now, g.rows);
  await postTxs(q, M, ledger, now);
  return out;
}

type StatDelta = { programId: string; promoterId: string; periodKey: string; sales: number; orders: number };
type Row = unknown[];
const col = (name: string, type: string, i: number): Column<Row> => [name, type, (r) => r[i]];
const ORDER_COLUMNS = [
  col("id", "text", 0),
  col("program_id", "text", 1),
  col("order_ref", "text", 2),
  col("customer_id", "text", 3),
  col("channel", "text", 4),
  col("currency", "text", 5),
  col("amount_minor", "bigint", 6),
  col("shipping_minor", "bigint", 7),
  col("promoter_id", "text", 8),
  col("attribution_path", "text", 9),
  col("attribution", "jsonb", 10),
  col("is_first_order", "boolean", 11),
  col("plan_version", "int", 12),
  col("period_key", "text", 13),
  col("paid_at", "timestamptz", 14),
];
const LINE_COLUMNS = [
  col("order_id", "text", 0),
  col("line_no", "int", 1),
  col("product_id", "text", 2),
  col("product_name", "text", 3),
  col("category_id", "text", 4),
  col("quantity", "int", 5),
  col("net_amount_minor", "bigint", 6),
  col("margin_minor", "bigint", 7),
];
const EVENT_COLUMNS = [
  col("id", "text", 0),
  col("order_id", "text", 1),
  col("type", "text", 2),
  col("payload", "jsonb", 3),
  col("occurred_at", "timestamptz", 4),
];

async function writeSet(
  q: Sql,
  M: string,
  now: Date,
  s: {
    customers: Customer[];
    bindings: { programId: string; customerId: string; binding: BindingState; source: string }[];
    clickLinks: Map<string, string>;
    orderRows: unknown[][];
    lineRows: unknown[][];
    eventRows: unknown[][];
    stats: StatDelta[];
  },
): Promise<void> {
  await bulkInsert(
    q,
    "customers",
    { merchant_id: M, created_at: now },
    [
      ["id", "text", (c: Customer) => c.id],
      ["customer_ref", "text", (c: Customer) => c.ref],
      ["phone", "text", (c: Customer) => c.phone],
      ["name", "text", (c: Customer) => c.name],
      ["referrer_customer_id", "text", (c: Customer) => c.referrerCustomerId],
    ],
    s.customers,
    `ON CONFLICT (merchant_id, customer_ref) DO UPDATE SET phone = coalesce(EXCLUDED.phone, customers.phone), name = coalesce(EXCLUDED.name, customers.name),
       referrer_customer_id = coalesce(customers.referrer_customer_id, EXCLUDED.referrer_customer_id)`,
  );
  await upsertBindings(q, M, s.bindings);
  if (s.clickLinks.size)
    await q.query(
      `UPDATE clicks SET customer_id = v.customer_id FROM (SELECT unnest($2::text[]) AS id, unnest($3::text[]) AS customer_id) v
       WHERE clicks.merchant_id = $1 AND clicks.id = v.id AND clicks.customer_id IS NULL`,
      [M, [...s.clickLinks.keys()], [...s.clickLinks.values()]],
    );
  await bulkInsert(q, "orders", { merchant_id: M, created_at: now, status: "paid" }, ORDER_COLUMNS, s.orderRows);
  await bulkInsert(q, "order_lines", { merchant_id: M }, LINE_COLUMNS, s.lineRows);
  await bulkInsert(q, "order_events", { merchant_id: M, created_at: now }, EVENT_COLUMNS, s.eventRows);
  await bulkInsert(
    q,
    "promoter_period_stats",
    { merchant_id: M, refunded_minor: 0 },
    [
      ["program_id", "text", (d: StatDelta) => d.programId],
      ["promoter_id", "text", (d: StatDelta) => d.promoterId],
      ["period_key", "text", (d: StatDelta) => d.periodKey],
      ["sales_minor", "bigint", (d: StatDelta) => d.sales],
      ["orders", "int", (d: StatDelta) => d.orders],
    ],
    s.stats,
    `ON CONFLICT (merchant_id, program_id, promoter_id, period_key) DO UPDATE SET sales_minor = promoter_period_stats.sales_minor + EXCLUDED.sales_minor,
       orders = promoter_period_stats.orders + EXCLUDED.orders`,
  );
}
