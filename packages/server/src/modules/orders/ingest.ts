/**
 * Paid-order ingest as a set (group commit): the state a set of order events needs is read with one call
 * (`fenxiao_ingest_state`, which first locks the merchant's ledger head), every order is attributed and evaluated in
 * memory, one after another (so two orders of one customer in the same set see each other exactly as they would one
 * by one), and everything the set produced — customers, bindings, orders, lines, events, period stats, commission
 * lines, the ledger append and the idempotency keys — is written with one call (`fenxiao_ingest_write`). A single
 * order is a set of one: there is one code path. See routines.ts.
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
import type { Sql } from "../../db/client.ts";
import { ApiError } from "../../http/errors.ts";
import { newId } from "../../ids.ts";
import { type AttributionSource, attributeWith, type ClickSignal } from "../attribution/service.ts";
import type { NewCommissionLine } from "../commissions/repository.ts";
import { chainTxs, netPostings } from "../ledger/repository.ts";
import { type Program, pickProgram } from "../programs/repository.ts";
import { checkPaidAt } from "./plausibility.ts";
import { rowsJson } from "./routines.ts";
import type { PaidOrderBody } from "./schema.ts";
import type { OrderView } from "./service.ts";
import { warningsOf } from "./warnings.ts";

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
const planKey = (merchantId: string, programId: string, version: number) => `${merchantId}/${programId}/${version}`;
function cachePlan(key: string, document: unknown): void {
  const r = parsePlan(document);
  if (!r.ok) throw new Error(`stored plan version ${key} no longer parses`);
  if (planCache.size >= PLAN_CACHE_MAX) planCache.delete(planCache.keys().next().value as string);
  planCache.set(key, r.plan);
}

/** Make sure every published version the set may use is parsed and cached (reads only the documents not seen yet). */
async function loadPlans(q: Sql, merchantId: string, versions: readonly { program_id: string; version: number }[]): Promise<void> {
  const missing = versions.filter((v) => !planCache.has(planKey(merchantId, v.program_id, v.version)));
  if (missing.length === 0) return;
  const rows = await q.query<{ program_id: string; version: number; document: unknown }>(
    `SELECT v.program_id, v.version, v.document FROM plan_versions v
     JOIN unnest($2::text[], $3::int[]) AS w(program_id, version) ON w.program_id = v.program_id AND w.version = v.version
     WHERE v.merchant_id = $1`,
    [merchantId, missing.map((v) => v.program_id), missing.map((v) => v.version)],
  );
  for (const r of rows) cachePlan(planKey(merchantId, r.program_id, r.version), r.document);
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
/** What fenxiao_ingest_state returns (routines.ts). */
export interface SetState {
  head: { seq: number; hash: string };
  keys: { key: string; request_hash: string; status_code: number; response: unknown }[];
  programs: Program[];
  existing: string[];
  customers: { id: string; customer_ref: string; referrer_customer_id: string | null; phone: string | null; name: string | null }[];
  members: MemberRow[];
  token_clicks: ClickRow[];
  customer_clicks: ClickRow[];
  bindings: { program_id: string; customer_id: string; promoter_id: string; bound_at: string; expires_at: string }[];
  prior: string[];
  products: { id: string; name: string; category_id: string | null }[];
  plans: { program_id: string; version: number; effective_from: string }[];
  closed: { program_id: string; period_key: string }[];
  stats: { program_id: string; promoter_id: string; period_key: string; net: number }[];
}

/**
 * The lowest period key a set may count sales in: the year before the earliest payment (a period's key begins with
 * its year; a program's time zone or an ISO week-year moves a payment's period by days, never by a year). The
 * periods an order counts in are its own and, when that one is closed, the current one, which is later.
 */
export function statsFromYear(bodies: readonly Pick<PaidOrderBody, "paidAt">[]): string {
  const years = bodies.map((b) => new Date(b.paidAt).getUTCFullYear()).filter((y) => Number.isFinite(y));
  const y = years.length > 0 ? Math.min(...years) - 1 : 0;
  return String(Math.max(0, y)).padStart(4, "0");
}

/**
 * Lock the merchant's ledger head and read everything a set of paid orders needs, including the stored idempotency
 * keys of `keys` in `scope`, in one call. Must run inside the set's transaction.
 */
export async function readSetState(
  q: Sql,
  merchantId: string,
  bodies: readonly PaidOrderBody[],
  scope: string,
  keys: readonly string[],
): Promise<SetState> {
  const upper = (s: string) => s.toUpperCase();
  const customerRefs = [...new Set(bodies.flatMap((b) => [b.customer.ref, ...(b.referrerCustomerRef ? [b.referrerCustomerRef] : [])]))];
  const codes = [...new Set(bodies.flatMap((b) => (b.promoCode ? [upper(b.promoCode)] : [])))];
  const tokens = [...new Set(bodies.flatMap((b) => (b.clickToken ? [b.clickToken] : [])))];
  const productIds = [...new Set(bodies.flatMap((b) => b.lines.map((l) => l.productId)))];
  const [row] = await q.query<{ state: SetState }>("SELECT fenxiao_ingest_state($1, $2, $3, $4, $5, $6, $7, $8, $9) AS state", [
    merchantId,
    bodies.map((b) => b.orderRef),
    customerRefs,
    codes,
    tokens,
    productIds,
    scope,
    keys,
    statsFromYear(bodies),
  ]);
  const st = row?.state;
  if (!st) throw new Error("ingest state returned nothing");
  await loadPlans(q, merchantId, st.plans);
  return st;
}

/** Everything a set produced, as rows keyed by column name, for fenxiao_ingest_write. */
export interface SetWrites {
  customers: Record<string, unknown>[];
  bindings: Record<string, unknown>[];
  clickLinks: Record<string, unknown>[];
  orders: Record<string, unknown>[];
  lines: Record<string, unknown>[];
  events: Record<string, unknown>[];
  stats: Record<string, unknown>[];
  commissions: Record<string, unknown>[];
  ledger: LedgerTxDraft[];
}

/** Ingest paid orders as one set (no idempotency keys): read, decide in memory, write. */
export async function ingestPaidOrders(q: Sql, merchantId: string, bodies: readonly PaidOrderBody[], now: Date): Promise<UnitResult[]> {
  const st = await readSetState(q, merchantId, bodies, "", []);
  const { results, writes } = await planSet(merchantId, bodies, st, now);
  await writeSet(q, merchantId, now, st.head, writes, "", []);
  return results;
}

/**
 * Attribute and evaluate each order of the set in memory, one after another, over the state read by readSetState.
 * Pure apart from new ids: nothing is written.
 */
export async function planSet(
  merchantId: string,
  bodies: readonly PaidOrderBody[],
  st: SetState,
  now: Date,
): Promise<{ results: UnitResult[]; writes: SetWrites }> {
  const M = merchantId;
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
  const orderRows: Record<string, unknown>[] = [];
  const lineRows: Record<string, unknown>[] = [];
  const eventRows: Record<string, unknown>[] = [];
  const statDelta = new Map<string, StatDelta>();
  const commissionRows: Record<string, unknown>[] = [];
  const ledger: LedgerTxDraft[] = [];

  for (const b of bodies) {
    try {
      const program = pickProgram(programs, b.programId);
      checkPaidAt(new Date(b.paidAt), now, program.createdAt);
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
          const plan = planCache.get(planKey(M, program.id, version.version));
          if (!plan) throw new Error(`plan version ${version.version} of ${program.id} was not loaded`);
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
      orderRows.push({
        id: orderId,
        program_id: program.id,
        order_ref: b.orderRef,
        customer_id: staged.id,
        channel: b.channel,
        currency,
        amount_minor: amountMinor,
        shipping_minor: b.shippingMinor,
        promoter_id: sellerId,
        attribution_path: att.path,
        attribution: {
          path: att.path,
          promoterId: sellerId,
          clickId: att.clickId,
          promoCode: b.promoCode ?? null,
          bound: att.bind,
          notes,
        },
        is_first_order: first,
        plan_version: planVersion,
        period_key: periodKey,
        paid_at: paidAt.toISOString(),
      });
      for (const l of lines)
        lineRows.push({
          order_id: orderId,
          line_no: l.lineNo,
          product_id: l.productId,
          product_name: l.productName,
          category_id: l.categoryId,
          quantity: l.quantity,
          net_amount_minor: l.netAmountMinor,
          margin_minor: l.marginMinor,
        });
      const event = (type: string, payload: unknown) => ({
        id: newId("evt"),
        order_id: orderId,
        type,
        payload,
        occurred_at: paidAt.toISOString(),
      });
      eventRows.push(event("paid", b));
      // Customer-to-customer referral: the referring customer's non-cash reward, kept for the shop to fetch.
      for (const r of rewardEvents) eventRows.push(event("customer_reward", r));
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
      for (const r of rows)
        commissionRows.push({
          id: r.id,
          program_id: program.id,
          currency: program.currency,
          order_id: r.orderId,
          line_no: r.lineNo,
          beneficiary_id: r.beneficiaryId,
          level: r.level,
          kind: r.kind,
          base_minor: r.baseMinor,
          rate_bps: r.rateBps,
          amount_minor: r.amountMinor,
          attribution_path: r.attributionPath,
          plan_version: r.planVersion,
          period_key: r.periodKey,
          trace: r.trace,
          explanation_zh: r.explanationZh,
          explanation_en: r.explanationEn,
        });
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
          warnings: warningsOf(att.notes),
        },
      });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      out.push({ ok: false, error });
    }
  }

  const writes: SetWrites = {
    customers: [...customers.values()]
      .filter((c) => c.dirty)
      .map((c) => ({ id: c.id, customer_ref: c.ref, phone: c.phone, name: c.name, referrer_customer_id: c.referrerCustomerId })),
    bindings: [...newBindings.values()].map((v) => ({
      program_id: v.programId,
      customer_id: v.customerId,
      promoter_id: v.binding.promoterId,
      source: v.source,
      bound_at: v.binding.boundAt,
      expires_at: v.binding.expiresAt,
    })),
    clickLinks: [...clickLinks].map(([id, customerId]) => ({ id, customer_id: customerId })),
    orders: orderRows,
    lines: lineRows,
    events: eventRows,
    stats: [...statDelta.values()].map((d) => ({
      program_id: d.programId,
      promoter_id: d.promoterId,
      period_key: d.periodKey,
      sales_minor: d.sales,
      orders: d.orders,
    })),
    commissions: commissionRows,
    ledger,
  };
  return { results: out, writes };
}

type StatDelta = { programId: string; promoterId: string; periodKey: string; sales: number; orders: number };

/** A stored idempotency key with the response it returns. */
export interface KeyRow {
  key: string;
  request_hash: string;
  status_code: number;
  response: unknown;
}

/** Write everything a set produced, append its ledger transactions after `head`, and store its idempotency keys: one call. */
export async function writeSet(
  q: Sql,
  merchantId: string,
  now: Date,
  head: { seq: number; hash: string },
  w: SetWrites,
  scope: string,
  keys: readonly KeyRow[],
): Promise<void> {
  const { posted, head: next } = chainTxs(head, w.ledger, now);
  const createdAt = now.toISOString();
  const txs = posted.map((p) => ({
    created_at_text: createdAt,
    seq: p.seq,
    kind: p.draft.kind,
    cause_ref: p.draft.causeRef,
    memo: p.draft.memo,
    prev_hash: p.prevHash,
    hash: p.hash,
  }));
  const postings = posted.flatMap((p) =>
    p.draft.postings.map((x, idx) => ({ tx_seq: p.seq, idx, account: x.account, amount_minor: x.amountMinor, currency: x.currency })),
  );
  const balances = netPostings(w.ledger.flatMap((d) => d.postings)).map((b) => ({
    account: b.account,
    currency: b.currency,
    balance_minor: b.amount,
  }));
  await q.query("SELECT fenxiao_ingest_write($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)", [
    merchantId,
    createdAt,
    scope,
    posted.length ? next.seq : null,
    posted.length ? next.hash : null,
    rowsJson("customers", w.customers),
    rowsJson("bindings", w.bindings),
    rowsJson("clickLinks", w.clickLinks),
    rowsJson("orders", w.orders),
    rowsJson("lines", w.lines),
    rowsJson("events", w.events),
    rowsJson("stats", w.stats),
    rowsJson("commissions", w.commissions),
    rowsJson("txs", txs),
    rowsJson("postings", postings),
    rowsJson("balances", balances),
    rowsJson("keys", keys),
  ]);
}
