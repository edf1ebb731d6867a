/**
 * Steps 2–4 of paid-order ingest (ingest.ts): over the state read for a set (set-state.ts), each order is attributed,
 * evaluated and posted in memory, one after another, so that two orders of one customer in the same set see each
 * other exactly as they would one by one. Pure apart from new ids and sealing (a customer's new phone or name is sealed
 * here, in Node: customers/sealing.ts): nothing is written here (set-write.ts writes).
 *
 * An order that fails (an ApiError) is reported with its own error and leaves the set's state as it was: every
 * effect of an order is applied only once all of its checks passed (`commitOrder`).
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
  type PromoterNode,
  periodOf,
} from "@fenxiao/core";
import type { KeyRing } from "../../crypto/sealed.ts";
import { ApiError } from "../../http/errors.ts";
import { newId } from "../../ids.ts";
import { type Attribution, type AttributionSource, attributeWith, type ClickSignal } from "../attribution/service.ts";
import { customerContactColumns, customerIndex } from "../customers/sealing.ts";
import { type Program, pickProgram } from "../programs/repository.ts";
import { paidOrderEvents } from "./domain-events.ts";
import { checkPaidAt } from "./plausibility.ts";
import type { PaidOrderBody } from "./schema.ts";
import { type ClickRow, cachedPlan, type SetState } from "./set-state.ts";
import type { SetWrites } from "./set-write.ts";
import type { OrderView } from "./view.ts";
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
/**
 * A customer as the set knows it: the blind indexes of its phone and name (under the current key), and the clear value
 * of either only when an order of this set brings a new one — sealed when the set's rows are collected, never kept.
 */
type Customer = {
  id: string;
  ref: string;
  referrerCustomerId: string | null;
  phoneIndex: string | null;
  nameIndex: string | null;
  phone: string | null;
  name: string | null;
  dirty: boolean;
};
type Click = ClickSignal & { token: string };
type NewBinding = { programId: string; customerId: string; binding: BindingState; source: string };
type StatDelta = { programId: string; promoterId: string; periodKey: string; sales: number; orders: number };
type Rows = Record<string, unknown>[];

const iso = (d: Date | string) => new Date(d).toISOString();
const k2 = (a: string, b: string) => `${a}\u0000${b}`;
const statKey = (programId: string, promoterId: string, periodKey: string) => `${programId}\u0000${promoterId}\u0000${periodKey}`;

/** The set's state as maps, updated as each order of the set succeeds, and what the set has produced so far. */
interface SetIndex {
  ring: KeyRing;
  merchantId: string;
  now: Date;
  st: SetState;
  existingRefs: Set<string>;
  seenRefs: Set<string>;
  customers: Map<string, Customer>;
  members: Map<string, Member>; // program|promoter → member
  byCode: Map<string, Member>;
  clicksByToken: Map<string, Click>;
  clicksByCustomer: Map<string, ClickSignal[]>; // newest first
  bindings: Map<string, BindingState>; // program|customer → binding
  clickLinks: Map<string, string>;
  hasPriorOrder: Set<string>;
  catalogue: Map<string, { id: string; name: string; category_id: string | null }>;
  closed: Set<string>;
  stats: Map<string, number>; // program|promoter|period → net sales so far
  out: { bindings: Map<string, NewBinding>; stats: Map<string, StatDelta>; orders: Rows; lines: Rows; events: Rows; commissions: Rows };
  ledger: LedgerTxDraft[];
}

/**
 * Attribute, evaluate and post each order of the set in memory, one after another, over the state read by
 * readSetState: the pipeline of one order is `planOrder`.
 */
export async function planSet(
  ring: KeyRing,
  merchantId: string,
  bodies: readonly PaidOrderBody[],
  st: SetState,
  now: Date,
): Promise<{ results: UnitResult[]; writes: SetWrites }> {
  const ix = indexState(ring, merchantId, st, now);
  const results: UnitResult[] = [];
  for (const b of bodies) {
    try {
      results.push({ ok: true, view: await planOrder(ix, b) });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      results.push({ ok: false, error });
    }
  }
  return { results, writes: { ...collectWrites(ix), domainEvents: paidOrderEvents(bodies, results) } };
}

/** One order: check it, attribute it, evaluate it, apply its effects to the set, post its rows. */
async function planOrder(ix: SetIndex, b: PaidOrderBody): Promise<OrderView> {
  const program = pickProgram(ix.st.programs, b.programId);
  const referrer = checkOrder(ix, program, b);
  const customer = stageCustomer(ix, b, referrer);
  const attributed = await attributeOrder(ix, program, b, customer, referrer);
  const evaluated = evaluateIn(ix, program, b, customer, attributed.att);
  commitOrder(ix, program, b, customer, attributed, evaluated);
  return postOrder(ix, program, b, customer, attributed.att, evaluated);
}

// ---- read state: the maps the decisions are made over

function indexState(ring: KeyRing, merchantId: string, st: SetState, now: Date): SetIndex {
  const members = new Map<string, Member>();
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
  const toClick = (c: ClickRow): Click => ({
    id: c.id,
    token: c.token,
    promoterId: c.promoter_id,
    programId: c.program_id,
    clickedAt: iso(c.clicked_at),
    customerId: c.customer_id,
  });
  const clicksByCustomer = new Map<string, ClickSignal[]>();
  for (const c of st.customer_clicks) {
    const arr = clicksByCustomer.get(c.customer_id as string) ?? [];
    arr.push(toClick(c));
    clicksByCustomer.set(c.customer_id as string, arr);
  }
  const bindings = new Map<string, BindingState>();
  for (const b of st.bindings)
    bindings.set(k2(b.program_id, b.customer_id), { promoterId: b.promoter_id, boundAt: iso(b.bound_at), expiresAt: iso(b.expires_at) });
  const stats = new Map<string, number>();
  for (const s of st.stats) stats.set(statKey(s.program_id, s.promoter_id, s.period_key), Number(s.net));
  return {
    ring,
    merchantId,
    now,
    st,
    existingRefs: new Set(st.existing),
    seenRefs: new Set(),
    customers: new Map(
      st.customers.map((c) => [
        c.customer_ref,
        {
          id: c.id,
          ref: c.customer_ref,
          referrerCustomerId: c.referrer_customer_id,
          phoneIndex: c.phone_index,
          nameIndex: c.name_index,
          phone: null,
          name: null,
          dirty: false,
        },
      ]),
    ),
    members,
    byCode,
    clicksByToken: new Map(st.token_clicks.map((c) => [c.token, toClick(c)])),
    clicksByCustomer,
    bindings,
    clickLinks: new Map(),
    hasPriorOrder: new Set(st.prior),
    catalogue: new Map(st.products.map((p) => [p.id, p])),
    closed: new Set(st.closed.map((r) => k2(r.program_id, r.period_key))),
    stats,
    out: { bindings: new Map(), stats: new Map(), orders: [], lines: [], events: [], commissions: [] },
    ledger: [],
  };
}

/** What an order must satisfy before anything of it is decided; returns the referring customer, if any. */
function checkOrder(ix: SetIndex, program: Program, b: PaidOrderBody): Customer | null {
  checkPaidAt(new Date(b.paidAt), ix.now, program.createdAt);
  const currency = b.currency ?? program.currency;
  if (currency !== program.currency)
    throw new ApiError("VALIDATION_FAILED", `currency: the program pays in ${program.currency}`, {
      issues: [{ path: "currency", message: `the program pays in ${program.currency}` }],
    });
  if (ix.existingRefs.has(b.orderRef) || ix.seenRefs.has(b.orderRef))
    throw new ApiError("ORDER_EXISTS", undefined, { orderRef: b.orderRef });
  if (!b.referrerCustomerRef) return null;
  const referrer = ix.customers.get(b.referrerCustomerRef);
  if (!referrer)
    throw new ApiError("VALIDATION_FAILED", "referrerCustomerRef: no customer with this reference", {
      issues: [{ path: "referrerCustomerRef", message: "no customer with this reference" }],
    });
  return referrer;
}

/**
 * The order's customer as it will be: found or new; phone and name filled in when given and not the ones stored (their
 * blind indexes differ); the first referrer kept.
 */
function stageCustomer(ix: SetIndex, b: PaidOrderBody, referrer: Customer | null): Customer {
  const known = ix.customers.get(b.customer.ref);
  const staged: Customer = known
    ? { ...known }
    : {
        id: newId("cus"),
        ref: b.customer.ref,
        referrerCustomerId: null,
        phoneIndex: null,
        nameIndex: null,
        phone: null,
        name: null,
        dirty: true,
      };
  for (const field of ["phone", "name"] as const) {
    const value = b.customer[field];
    if (!value) continue;
    const index = customerIndex(ix.ring, field, ix.merchantId, value);
    if (index !== staged[`${field}Index`]) Object.assign(staged, { [field]: value, [`${field}Index`]: index, dirty: true });
  }
  if (!staged.referrerCustomerId && referrer && referrer.id !== staged.id)
    Object.assign(staged, { referrerCustomerId: referrer.id, dirty: true });
  return staged;
}

// ---- attribute

type Attributed = { att: Attribution; bindings: Map<string, NewBinding>; links: Map<string, string> };

/** Attribution over the set's maps; the bindings and click links it makes are staged, kept only if the order succeeds. */
async function attributeOrder(
  ix: SetIndex,
  program: Program,
  b: PaidOrderBody,
  customer: Customer,
  referrer: Customer | null,
): Promise<Attributed> {
  const bindings = new Map<string, NewBinding>();
  const links = new Map<string, string>();
  const src: AttributionSource = {
    memberByCode: async (code) => {
      const m = ix.byCode.get(code);
      return m ? { promoterId: m.promoterId, programId: m.programId, status: m.status } : null;
    },
    memberStatus: async (promoterId) => ix.members.get(k2(program.id, promoterId))?.status ?? null,
    clickByToken: async (token) => {
      const c = ix.clicksByToken.get(token);
      return c ? { ...c, customerId: c.customerId ?? ix.clickLinks.get(c.id) ?? null } : null;
    },
    lastClick: async (customerId, at) => lastClickOf(ix, program, customerId, at),
    binding: async (customerId) => {
      const key = k2(program.id, customerId);
      return bindings.get(key)?.binding ?? ix.bindings.get(key) ?? null;
    },
    saveBinding: async (customerId, binding, source) => {
      bindings.set(k2(program.id, customerId), { programId: program.id, customerId, binding, source });
    },
    linkClick: async (clickId, customerId) => {
      if (!ix.clickLinks.has(clickId)) links.set(clickId, customerId);
    },
  };
  const att = await attributeWith(src, program, {
    customerId: customer.id,
    at: new Date(b.paidAt),
    promoCode: b.promoCode,
    clickToken: b.clickToken,
    referrerCustomerId: referrer?.id ?? customer.referrerCustomerId,
    source: "order",
  });
  return { att, bindings, links };
}

/** The customer's latest click in the program at or before `at`, among those read and those linked by this set. */
function lastClickOf(ix: SetIndex, program: Program, customerId: string, at: Date): ClickSignal | null {
  const t = at.getTime();
  const linked = [...ix.clicksByToken.values()].filter((c) => (ix.clickLinks.get(c.id) ?? c.customerId) === customerId);
  const all = [...(ix.clicksByCustomer.get(customerId) ?? []), ...linked].filter(
    (c) => c.programId === program.id && Date.parse(c.clickedAt) <= t,
  );
  all.sort((x, y) => Date.parse(y.clickedAt) - Date.parse(x.clickedAt) || (x.id < y.id ? -1 : 1));
  return all[0] ?? null;
}

// ---- evaluate

type Line = OrderInput["lines"][number] & { productName: string | null; categoryId: string | null };
interface Evaluated {
  orderId: string;
  first: boolean;
  periodKey: string;
  lines: Line[];
  amountMinor: number;
  notes: string[];
  drafts: CommissionLineDraft[];
  planVersion: number | null;
  rewardEvents: CustomerRewardEvent[];
}

/** The order's period, lines and amount, and — when a seller of an active program has a plan in force — its commission. */
function evaluateIn(ix: SetIndex, program: Program, b: PaidOrderBody, customer: Customer, att: Attribution): Evaluated {
  const paidAt = new Date(b.paidAt);
  const ownPeriod = periodOf(paidAt.toISOString(), program.periodKind, program.timezone).key;
  const periodKey = ix.closed.has(k2(program.id, ownPeriod))
    ? periodOf(ix.now.toISOString(), program.periodKind, program.timezone).key
    : ownPeriod;
  const lines: Line[] = b.lines.map((l, i) => ({
    lineNo: i + 1,
    productId: l.productId,
    productName: l.productName ?? ix.catalogue.get(l.productId)?.name ?? null,
    categoryId: l.categoryId ?? ix.catalogue.get(l.productId)?.category_id ?? null,
    quantity: l.quantity,
    netAmountMinor: minor(l.netAmountMinor),
    marginMinor: l.marginMinor === undefined ? null : minor(l.marginMinor),
  }));
  const ev: Evaluated = {
    orderId: newId("ord"),
    first: !ix.hasPriorOrder.has(customer.id),
    periodKey,
    lines,
    amountMinor: lines.reduce((s, l) => s + l.netAmountMinor, 0),
    notes: [...att.notes],
    drafts: [],
    planVersion: null,
    rewardEvents: [],
  };
  const sellerId = att.promoterId;
  if (sellerId && program.status === "active") evaluateCommission(ix, program, b, att, sellerId, ev);
  else if (sellerId) ev.notes.push("program_not_active");
  return ev;
}

/** The engine's commission lines for the seller and uplines under the plan version in force when the order was paid. */
function evaluateCommission(ix: SetIndex, program: Program, b: PaidOrderBody, att: Attribution, sellerId: string, ev: Evaluated): void {
  const paidAt = new Date(b.paidAt);
  const version = ix.st.plans.find((p) => p.program_id === program.id && new Date(p.effective_from).getTime() <= paidAt.getTime());
  const seller = ix.members.get(k2(program.id, sellerId));
  if (!version) {
    ev.notes.push("no_plan_in_force");
    return;
  }
  if (!seller) return;
  const node = (m: Member): PromoterNode => ({ promoterId: m.promoterId, rank: m.rank, status: m.status, joinedAt: m.joinedAt });
  const uplines: PromoterNode[] = [];
  for (const id of [seller.inviterId, seller.inviter2Id]) {
    const m = id ? ix.members.get(k2(program.id, id)) : undefined;
    if (!m) break;
    uplines.push(node(m));
  }
  const plan = cachedPlan(ix.merchantId, program.id, version.version);
  if (!plan) throw new Error(`plan version ${version.version} of ${program.id} was not loaded`);
  const orderInput: OrderInput = {
    orderId: ev.orderId,
    orderRef: b.orderRef,
    paidAt: paidAt.toISOString(),
    channel: b.channel,
    currency: program.currency,
    customerRef: b.customer.ref,
    isFirstOrder: ev.first,
    attributionPath: att.path ?? "binding",
    lines: ev.lines,
    referrerCustomerRef: att.path === "referral" ? (b.referrerCustomerRef ?? null) : null,
  };
  ev.planVersion = version.version;
  ev.drafts = evaluateOrder(plan, orderInput, {
    seller: node(seller),
    uplines,
    periodSalesBeforeMinor: minor(ix.stats.get(statKey(program.id, sellerId, ev.periodKey)) ?? 0),
    roundingMode: program.roundingMode,
  });
  const reward = customerRewardFor(plan, orderInput, sellerId);
  if (reward) ev.rewardEvents = [reward];
}

/** The order succeeded: apply its effects to the set's state (later orders of the set see them). */
function commitOrder(ix: SetIndex, program: Program, b: PaidOrderBody, customer: Customer, a: Attributed, ev: Evaluated): void {
  ix.seenRefs.add(b.orderRef);
  const known = ix.customers.get(customer.ref);
  if (known) Object.assign(known, customer);
  else ix.customers.set(customer.ref, customer);
  ix.hasPriorOrder.add(customer.id);
  for (const [key, v] of a.bindings) {
    ix.bindings.set(key, v.binding);
    ix.out.bindings.set(key, v);
  }
  for (const [clickId, customerId] of a.links) ix.clickLinks.set(clickId, customerId);
  const sellerId = a.att.promoterId;
  if (!sellerId) return;
  const sk = statKey(program.id, sellerId, ev.periodKey);
  ix.stats.set(sk, (ix.stats.get(sk) ?? 0) + ev.amountMinor);
  const d = ix.out.stats.get(sk) ?? { programId: program.id, promoterId: sellerId, periodKey: ev.periodKey, sales: 0, orders: 0 };
  d.sales += ev.amountMinor;
  d.orders += 1;
  ix.out.stats.set(sk, d);
}

// ---- post: the order's rows, its commission lines, its ledger accrual and its response

function postOrder(ix: SetIndex, program: Program, b: PaidOrderBody, customer: Customer, att: Attribution, ev: Evaluated): OrderView {
  const paidAt = iso(b.paidAt);
  ix.out.orders.push({
    id: ev.orderId,
    program_id: program.id,
    order_ref: b.orderRef,
    customer_id: customer.id,
    channel: b.channel,
    currency: program.currency,
    amount_minor: ev.amountMinor,
    shipping_minor: b.shippingMinor,
    promoter_id: att.promoterId,
    attribution_path: att.path,
    attribution: {
      path: att.path,
      promoterId: att.promoterId,
      clickId: att.clickId,
      promoCode: b.promoCode ?? null,
      bound: att.bind,
      notes: ev.notes,
    },
    is_first_order: ev.first,
    plan_version: ev.planVersion,
    period_key: ev.periodKey,
    paid_at: paidAt,
  });
  for (const l of ev.lines)
    ix.out.lines.push({
      order_id: ev.orderId,
      line_no: l.lineNo,
      product_id: l.productId,
      product_name: l.productName,
      category_id: l.categoryId,
      quantity: l.quantity,
      net_amount_minor: l.netAmountMinor,
      margin_minor: l.marginMinor,
    });
  const event = (type: string, payload: unknown) => ({ id: newId("evt"), order_id: ev.orderId, type, payload, occurred_at: paidAt });
  // The order as received, without the customer's phone and name: those are kept sealed on the customer (customers/sealing.ts).
  ix.out.events.push(event("paid", { ...b, customer: { ref: b.customer.ref } }));
  // Customer-to-customer referral: the referring customer's non-cash reward, kept for the shop to fetch.
  for (const r of ev.rewardEvents) ix.out.events.push(event("customer_reward", r));
  const commissions = postCommissions(ix, program, b, att, ev);
  return {
    orderId: ev.orderId,
    orderRef: b.orderRef,
    programId: program.id,
    status: "paid",
    amountMinor: ev.amountMinor,
    refundedMinor: 0,
    promoterId: att.promoterId,
    attributionPath: att.path,
    isFirstOrder: ev.first,
    commissions,
    rewardEvents: ev.rewardEvents,
    warnings: warningsOf(att.notes),
  };
}

/** The commission line rows with their explanations, and the accrual of their amounts on the ledger. */
function postCommissions(ix: SetIndex, program: Program, b: PaidOrderBody, att: Attribution, ev: Evaluated): OrderView["commissions"] {
  const names = new Map(ev.lines.map((l) => [l.lineNo, l.productName]));
  const lines = ev.drafts.map((d) => {
    const extras = {
      orderRef: b.orderRef,
      productName: d.lineNo ? (names.get(d.lineNo) ?? null) : null,
      currency: program.currency,
      periodKey: null,
    };
    const row = {
      id: newId("com"),
      program_id: program.id,
      currency: program.currency,
      order_id: ev.orderId,
      line_no: d.lineNo,
      beneficiary_id: d.beneficiaryId,
      level: d.level,
      kind: d.kind,
      base_minor: d.baseMinor,
      rate_bps: d.trace.rateBps ?? null,
      amount_minor: d.amountMinor,
      attribution_path: att.path,
      plan_version: ev.planVersion,
      period_key: ev.periodKey,
      trace: d.trace,
      explanation_zh: explainLine(d, "zh", extras),
      explanation_en: explainLine(d, "en", extras),
    };
    ix.out.commissions.push(row);
    return {
      id: row.id,
      beneficiaryId: d.beneficiaryId,
      level: d.level,
      kind: d.kind,
      lineNo: d.lineNo,
      amountMinor: d.amountMinor,
      reversedMinor: 0,
      state: "pending",
      explanation: { zh: row.explanation_zh, en: row.explanation_en },
    };
  });
  const tx = accrue(
    ix.merchantId,
    program.currency,
    `order:${ev.orderId}:paid`,
    `订单 #${b.orderRef} 佣金计提 / commission accrued`,
    ev.drafts.map((d) => ({ promoterId: d.beneficiaryId, amountMinor: d.amountMinor })),
  );
  if (tx) ix.ledger.push(tx);
  return lines;
}

// ---- write: the set's rows as the write routine takes them (set-write.ts)

function collectWrites(ix: SetIndex): Omit<SetWrites, "domainEvents"> {
  return {
    customers: [...ix.customers.values()]
      .filter((c) => c.dirty)
      .map((c) => ({
        id: c.id,
        customer_ref: c.ref,
        ...customerContactColumns(ix.ring, ix.merchantId, c.ref, c),
        referrer_customer_id: c.referrerCustomerId,
      })),
    bindings: [...ix.out.bindings.values()].map((v) => ({
      program_id: v.programId,
      customer_id: v.customerId,
      promoter_id: v.binding.promoterId,
      source: v.source,
      bound_at: v.binding.boundAt,
      expires_at: v.binding.expiresAt,
    })),
    clickLinks: [...ix.clickLinks].map(([id, customerId]) => ({ id, customer_id: customerId })),
    orders: ix.out.orders,
    lines: ix.out.lines,
    events: ix.out.events,
    stats: [...ix.out.stats.values()].map((d) => ({
      program_id: d.programId,
      promoter_id: d.promoterId,
      period_key: d.periodKey,
      sales_minor: d.sales,
      orders: d.orders,
    })),
    commissions: ix.out.commissions,
    ledger: ix.ledger,
  };
}
