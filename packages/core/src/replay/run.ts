/**
 * runScenario: process a scenario fully in memory with the same core functions the server uses (attribution, evaluateOrder,
 * reversalFor, closePeriod, ledger recipes) and return every commission line and the final balances. Deterministic:
 * events are processed in time order (ties in file order) and nothing reads the clock.
 */
import { type AttributionSettings, type BindingState, precedenceOf, resolveAttribution } from "../attribution/resolve.ts";
import { type CustomerRewardEvent, customerRewardFor, evaluateOrder } from "../commission/evaluate.ts";
import { type CustomerEventTrigger, evaluateEvent } from "../commission/event.ts";
import { reversalFor } from "../commission/refund.ts";
import type { CommissionLineDraft, OrderInput, PromoterNode, Trace } from "../commission/types.ts";
import { explainLine, type Lang } from "../explain/explain.ts";
import { parseAccount } from "../ledger/accounts.ts";
import { chainHash, GENESIS_HASH, type LedgerTxDraft } from "../ledger/postings.ts";
import { accrue, type CommissionBucket, release, reverse } from "../ledger/recipes.ts";
import type { Minor } from "../money/money.ts";
import { closePeriod } from "../period/close.ts";
import { inPeriod, periodOf, periodOfKey } from "../period/period.ts";
import type { PeriodLine, PeriodSale, RankPromotion } from "../period/types.ts";
import { planForPromoter } from "../plan/experiment.ts";
import { type PlanDocument, plan as parsePlanOrThrow } from "../plan/schema.ts";
import { type ParsedScenario, type Scenario, type ScenarioEvent, ScenarioSchema } from "./scenario.ts";

export type LineState = "pending" | "available" | "reversed";

export interface ReplayLine {
  id: string;
  beneficiaryId: string;
  sellerId: string | null;
  orderId: string | null;
  lineNo: number | null;
  level: 0 | 1 | 2;
  kind: string;
  amountMinor: number;
  reversedMinor: number;
  state: LineState;
  /** Idempotency key of period-close records. */
  key: string | null;
  periodKey: string | null;
  trace: Trace;
  explanation: Record<Lang, string>;
}

export interface ReplayResult {
  name: string | null;
  asOf: string;
  lines: ReplayLine[];
  rewards: (CustomerRewardEvent & { at: string })[];
  promotions: (RankPromotion & { periodKey: string })[];
  closedPeriods: string[];
  balances: {
    promoters: Record<string, { pending: number; available: number; held: number }>;
    merchants: Record<string, { commissionExpense: number }>;
  };
  ledger: { transactions: number; head: string; txs?: LedgerTxDraft[] };
  kpis: {
    salesMinor: number;
    commissionMinor: number;
    byVariant: Record<string, { salesMinor: number; commissionMinor: number; activePromoters: number }>;
  };
}

interface OrderRec {
  input: OrderInput;
  sellerId: string;
  doc: PlanDocument;
  periodKey: string;
  remaining: Map<number, number>;
  lineAmount: Map<number, number>;
  totalMinor: number;
  completedAtMs: number | null;
  released: boolean;
  cancelled: boolean;
  variant: string;
}

interface LineRec extends ReplayLine {
  /** For order-line records: the amount this record reverses against (line amount, or remaining at close). */
  refundBaseMinor: number;
  dueAtMs: number | null;
  productName: string | null;
}

const DAY_MS = 86_400_000;

class Replay {
  readonly sc: ParsedScenario;
  readonly plans: { fromMs: number; doc: PlanDocument }[];
  readonly promoters = new Map<string, { node: PromoterNode; inviterId: string | null }>();
  readonly customers = new Map<
    string,
    { binding: BindingState | null; click: { promoterId: string; clickedAt: string } | null; registered: boolean; communities: Set<string> }
  >();
  readonly orders = new Map<string, OrderRec>();
  readonly lines: LineRec[] = [];
  readonly linesByOrder = new Map<string, LineRec[]>();
  readonly postedKeys = new Set<string>();
  readonly closed: string[] = [];
  readonly contributions = new Map<string, Map<string, number>>(); // period → "promoter|type" → count
  readonly rewards: ReplayResult["rewards"] = [];
  readonly promotions: ReplayResult["promotions"] = [];
  readonly balances = new Map<string, number>();
  txCount = 0;
  head = GENESIS_HASH;
  txs: LedgerTxDraft[] | null = null;

  constructor(sc: ParsedScenario) {
    this.sc = sc;
    this.plans = sc.plans
      .map((p) => ({ fromMs: Date.parse(p.effectiveFrom), doc: parsePlanOrThrow(p.plan) }))
      .sort((a, b) => a.fromMs - b.fromMs);
    for (const p of sc.promoters) {
      this.promoters.set(p.id, {
        node: { promoterId: p.id, rank: p.rank, joinedAt: p.joinedAt, status: p.status },
        inviterId: p.inviterId,
      });
    }
  }

  get settings(): AttributionSettings {
    const p = this.sc.program;
    return {
      clickWindowDays: p.clickWindowDays,
      bindingPolicy: p.bindingPolicy,
      protectionDays: p.protectionDays,
      precedence: precedenceOf(p.attributionPrecedence),
    };
  }

  planAt(ms: number): PlanDocument | null {
    let doc: PlanDocument | null = null;
    for (const p of this.plans) if (p.fromMs <= ms) doc = p.doc;
    return doc;
  }

  customer(ref: string) {
    let c = this.customers.get(ref);
    if (!c) {
      c = { binding: null, click: null, registered: false, communities: new Set() };
      this.customers.set(ref, c);
    }
    return c;
  }

  uplines(sellerId: string): PromoterNode[] {
    const out: PromoterNode[] = [];
    let cur = this.promoters.get(sellerId)?.inviterId ?? null;
    while (cur !== null && out.length < 2) {
      const p = this.promoters.get(cur);
      if (!p) break;
      out.push(p.node);
      cur = p.inviterId;
    }
    return out;
  }

  post(tx: LedgerTxDraft | null, at: string): void {
    if (!tx) return;
    this.txs?.push(tx);
    this.txCount++;
    this.head = chainHash(this.head, {
      seq: this.txCount,
      kind: tx.kind,
      causeRef: tx.causeRef,
      memo: tx.memo,
      createdAt: at,
      postings: tx.postings,
    });
    for (const p of tx.postings) this.balances.set(p.account, (this.balances.get(p.account) ?? 0) + p.amountMinor);
  }

  /** Add lines: accrue to pending (or straight to available when already due). */
  addLines(recs: LineRec[], causeRef: string, at: string): void {
    const m = this.sc.program.merchantId;
    const cur = this.sc.program.currency;
    this.post(
      accrue(
        m,
        cur,
        causeRef,
        "accrue",
        recs.map((r) => ({ promoterId: r.beneficiaryId, amountMinor: r.amountMinor })),
      ),
      at,
    );
    for (const r of recs) {
      this.lines.push(r);
      if (r.orderId !== null) {
        const list = this.linesByOrder.get(r.orderId);
        if (list) list.push(r);
        else this.linesByOrder.set(r.orderId, [r]);
      }
    }
    this.releaseDue(Date.parse(at), at);
  }

  newLine(d: CommissionLineDraft, o: Partial<LineRec>): LineRec {
    const lang = (l: Lang) =>
      explainLine(d, l, {
        orderRef: o.orderId ? (this.orders.get(o.orderId)?.input.orderRef ?? o.orderId) : null,
        productName: o.productName ?? null,
        currency: this.sc.program.currency,
        periodKey: o.periodKey ?? null,
      });
    return {
      id: `L${this.lines.length + 1}`,
      beneficiaryId: d.beneficiaryId,
      sellerId: null,
      orderId: null,
      lineNo: d.lineNo,
      level: d.level,
      kind: d.kind,
      amountMinor: d.amountMinor,
      reversedMinor: 0,
      state: "pending",
      key: null,
      periodKey: null,
      trace: d.trace,
      refundBaseMinor: 0,
      dueAtMs: null,
      productName: null,
      ...o,
      explanation: { zh: lang("zh"), en: lang("en") },
    };
  }

  releaseDue(nowMs: number, at: string): void {
    const due: LineRec[] = [];
    for (const l of this.lines) if (l.state === "pending" && l.dueAtMs !== null && l.dueAtMs <= nowMs) due.push(l);
    if (due.length === 0) return;
    const amounts = due.map((l) => ({ promoterId: l.beneficiaryId, amountMinor: l.amountMinor - l.reversedMinor }));
    this.post(release(this.sc.program.currency, `release:${at}:${due[0]?.id}`, "release", amounts), at);
    for (const l of due) l.state = "available";
  }

  sellerPeriodSales(sellerId: string, periodKey: string): number {
    let s = 0;
    for (const o of this.orders.values()) {
      if (o.sellerId !== sellerId || o.periodKey !== periodKey) continue;
      for (const v of o.remaining.values()) s += v;
    }
    return s;
  }

  isFirstOrder(customerRef: string): boolean {
    for (const o of this.orders.values()) {
      if (o.input.customerRef !== customerRef || o.cancelled) continue;
      let left = 0;
      for (const v of o.remaining.values()) left += v;
      if (left > 0) return false;
    }
    return true;
  }

  customerEvent(trigger: CustomerEventTrigger, e: { at: string; promoterId: string; customerRef: string }): void {
    const c = this.customer(e.customerRef);
    const p = this.promoters.get(e.promoterId);
    if (p?.node.status !== "active") return;
    if (trigger === "customer_registered") {
      if (c.registered) return;
      c.registered = true;
      const r = resolveAttribution(
        { at: e.at, codePromoterId: e.promoterId, click: null, binding: c.binding, referrerPromoterId: null },
        this.settings,
      );
      if (r.bind) c.binding = r.bind;
    } else {
      if (c.communities.has(e.promoterId)) return;
      c.communities.add(e.promoterId);
    }
    const doc = this.planAt(Date.parse(e.at));
    if (!doc) return;
    const drafts = evaluateEvent(doc, trigger, e.promoterId);
    const dueAtMs = Date.parse(e.at) + this.sc.program.holdDays * DAY_MS;
    this.addLines(
      drafts.map((d) => this.newLine(d, { sellerId: e.promoterId, dueAtMs })),
      `event:${trigger}:${e.customerRef}:${e.promoterId}`,
      e.at,
    );
  }

  orderPaid(e: Extract<ScenarioEvent, { type: "order_paid" }>): void {
    if (this.orders.has(e.orderId)) return; // idempotent
    const c = this.customer(e.customerRef);
    const code = e.promoterId && this.promoters.get(e.promoterId)?.node.status === "active" ? e.promoterId : null;
    let referrerPromoterId: string | null = null;
    if (e.referrerCustomerRef) {
      const b = this.customers.get(e.referrerCustomerRef)?.binding ?? null;
      if (b && Date.parse(b.expiresAt) > Date.parse(e.at)) referrerPromoterId = b.promoterId;
    }
    const attr = resolveAttribution(
      { at: e.at, codePromoterId: code, click: c.click, binding: c.binding, referrerPromoterId },
      this.settings,
    );
    if (attr.bind) c.binding = attr.bind;
    const isFirstOrder = this.isFirstOrder(e.customerRef);
    const input: OrderInput = {
      orderId: e.orderId,
      orderRef: e.orderRef ?? e.orderId,
      paidAt: e.at,
      channel: e.channel,
      currency: this.sc.program.currency,
      customerRef: e.customerRef,
      isFirstOrder,
      attributionPath: attr.path ?? "code",
      lines: e.lines.map((l) => ({
        lineNo: l.lineNo,
        productId: l.productId,
        productName: l.productName ?? null,
        categoryId: l.categoryId,
        quantity: l.quantity,
        netAmountMinor: l.netAmountMinor as Minor,
        marginMinor: (l.marginMinor ?? null) as Minor | null,
      })),
      referrerCustomerRef: attr.path === "referral" ? (e.referrerCustomerRef ?? null) : null,
    };
    const doc = this.planAt(Date.parse(e.at));
    if (!attr.promoterId || !doc) {
      // not attributed: remember the order for first-order detection only
      this.orders.set(e.orderId, this.orderRec(input, "", doc ?? this.plans[0]!.doc));
      return;
    }
    const sellerId = attr.promoterId;
    const rec = this.orderRec(input, sellerId, doc);
    const seller = this.promoters.get(sellerId)!.node;
    const before = this.sellerPeriodSales(sellerId, rec.periodKey);
    this.orders.set(e.orderId, rec);
    const drafts = evaluateOrder(doc, input, {
      seller,
      uplines: this.uplines(sellerId),
      periodSalesBeforeMinor: before as Minor,
      roundingMode: this.sc.program.roundingMode,
    });
    const names = new Map(e.lines.map((l) => [l.lineNo, l.productName ?? l.productId]));
    this.addLines(
      drafts.map((d) =>
        this.newLine(d, {
          sellerId,
          orderId: e.orderId,
          refundBaseMinor: d.lineNo === null ? rec.totalMinor : (rec.lineAmount.get(d.lineNo) ?? 0),
          productName: d.lineNo === null ? null : (names.get(d.lineNo) ?? null),
        }),
      ),
      `order:${e.orderId}:paid`,
      e.at,
    );
    const reward = customerRewardFor(doc, input, sellerId);
    if (reward) this.rewards.push({ ...reward, at: e.at });
  }

  orderRec(input: OrderInput, sellerId: string, doc: PlanDocument): OrderRec {
    const remaining = new Map<number, number>();
    const lineAmount = new Map<number, number>();
    let total = 0;
    for (const l of input.lines) {
      remaining.set(l.lineNo, l.netAmountMinor);
      lineAmount.set(l.lineNo, l.netAmountMinor);
      total += l.netAmountMinor;
    }
    const unit = doc.period?.unit ?? "month";
    return {
      input,
      sellerId,
      doc,
      periodKey: periodOf(input.paidAt, unit, this.sc.program.timeZone).key,
      remaining,
      lineAmount,
      totalMinor: total,
      completedAtMs: null,
      released: false,
      cancelled: false,
      variant: sellerId ? (planForPromoter(doc, sellerId).variant?.key ?? "-") : "-",
    };
  }

  /** Reverse what the order's current remaining amounts call for (P19), line by line, from each line's bucket. */
  reverseOrder(o: OrderRec, at: string, cause: string): void {
    const lines = this.linesByOrder.get(o.input.orderId) ?? [];
    let orderRemaining = 0;
    for (const v of o.remaining.values()) orderRemaining += v;
    const amounts: { promoterId: string; amountMinor: number; from: CommissionBucket }[] = [];
    for (const l of lines) {
      if (l.state === "reversed") continue;
      const remaining = l.lineNo === null ? orderRemaining : (o.remaining.get(l.lineNo) ?? 0);
      const base = l.refundBaseMinor;
      const rem = remaining > base ? base : remaining;
      const inc = reversalFor(l.amountMinor, base, rem, l.reversedMinor, this.sc.program.roundingMode);
      if (inc !== 0) amounts.push({ promoterId: l.beneficiaryId, amountMinor: inc, from: l.state });
      l.reversedMinor += inc;
      if (rem === 0) l.state = "reversed";
    }
    this.post(reverse(this.sc.program.merchantId, this.sc.program.currency, cause, "reverse", amounts), at);
  }

  refund(e: Extract<ScenarioEvent, { type: "order_refunded" }>): void {
    const o = this.orders.get(e.orderId);
    if (!o || o.cancelled) return;
    for (const r of e.lines) {
      const left = o.remaining.get(r.lineNo);
      if (left === undefined) continue;
      o.remaining.set(r.lineNo, Math.max(0, left - r.amountMinor));
    }
    this.reverseOrder(o, e.at, `order:${e.orderId}:refund:${e.at}`);
  }

  cancel(e: { at: string; orderId: string }): void {
    const o = this.orders.get(e.orderId);
    if (!o || o.cancelled) return;
    o.cancelled = true;
    for (const k of o.remaining.keys()) o.remaining.set(k, 0);
    this.reverseOrder(o, e.at, `order:${e.orderId}:cancel`);
  }

  complete(e: { at: string; orderId: string }): void {
    const o = this.orders.get(e.orderId);
    if (!o || o.cancelled || o.completedAtMs !== null) return;
    o.completedAtMs = Date.parse(e.at);
    const due = o.completedAtMs + this.sc.program.holdDays * DAY_MS;
    for (const l of this.linesByOrder.get(o.input.orderId) ?? []) l.dueAtMs = due;
  }

  closePeriodEvent(e: { at: string; period: string }): void {
    const period = periodOfKey(e.period, this.sc.program.timeZone);
    // A period closes once (as on the server): a later close of it changes nothing, whatever happened in between.
    if (this.closed.includes(period.key)) return;
    const doc = this.planAt(Date.parse(period.endsAt) - 1);
    if (!doc) return;
    const sales: PeriodSale[] = [];
    const lines: PeriodLine[] = [];
    for (const o of this.orders.values()) {
      if (!o.sellerId || !inPeriod(period, o.input.paidAt)) continue;
      for (const l of o.input.lines) {
        sales.push({
          sellerId: o.sellerId,
          orderId: o.input.orderId,
          lineNo: l.lineNo,
          paidAt: o.input.paidAt,
          customerRef: o.input.customerRef,
          lineAmountMinor: l.netAmountMinor,
          remainingAmountMinor: o.remaining.get(l.lineNo) ?? 0,
        });
      }
      for (const l of this.linesByOrder.get(o.input.orderId) ?? []) {
        if (l.key !== null) continue;
        lines.push({
          beneficiaryId: l.beneficiaryId,
          sellerId: o.sellerId,
          orderId: o.input.orderId,
          lineNo: l.lineNo,
          level: l.level,
          kind: l.kind,
          amountMinor: l.amountMinor,
          reversedMinor: l.reversedMinor,
          trace: l.trace,
        });
      }
    }
    const counts = this.contributions.get(period.key) ?? new Map<string, number>();
    const contributions = [...counts.entries()].map(([k, count]) => {
      const [promoterId, type] = k.split("|") as [string, string];
      return { promoterId, type, count };
    });
    const result = closePeriod({
      plan: doc,
      period,
      roundingMode: this.sc.program.roundingMode,
      promoters: [...this.promoters.values()].map((p) => ({ ...p.node, inviterId: p.inviterId })),
      sales,
      lines,
      contributions,
    });
    const nowMs = Date.parse(e.at);
    const fresh = result.adjustments.filter((a) => !this.postedKeys.has(a.key));
    const recs = fresh.map((a) => {
      this.postedKeys.add(a.key);
      const o = a.orderId === null ? null : this.orders.get(a.orderId);
      const sale = o && a.lineNo !== null ? o.input.lines.find((l) => l.lineNo === a.lineNo) : undefined;
      return this.newLine(a, {
        sellerId: o?.sellerId ?? a.beneficiaryId,
        orderId: a.orderId,
        key: a.key,
        periodKey: a.periodKey,
        refundBaseMinor: a.refundBaseMinor ?? 0,
        productName: sale?.productName ?? null,
        // order-line records follow their order; period-level records are due at close
        dueAtMs: o ? (o.completedAtMs === null ? null : o.completedAtMs + this.sc.program.holdDays * DAY_MS) : nowMs,
      });
    });
    // a record tied to a fully refunded line is settled at once
    this.addLines(recs, `period:${period.key}:close`, e.at);
    if (!this.closed.includes(period.key)) {
      this.closed.push(period.key);
      for (const p of result.promotions) {
        const rec = this.promoters.get(p.promoterId);
        if (rec) rec.node = { ...rec.node, rank: p.toRank };
        this.promotions.push({ ...p, periodKey: period.key });
      }
    }
  }

  contribution(e: Extract<ScenarioEvent, { type: "contribution" }>): void {
    const doc = this.planAt(Date.parse(e.at));
    const key = periodOf(e.at, doc?.period?.unit ?? "month", this.sc.program.timeZone).key;
    const m = this.contributions.get(key) ?? new Map<string, number>();
    const k = `${e.promoterId}|${e.contributionType}`;
    m.set(k, (m.get(k) ?? 0) + e.count);
    this.contributions.set(key, m);
  }

  apply(e: ScenarioEvent): void {
    this.releaseDue(Date.parse(e.at), e.at);
    switch (e.type) {
      case "click":
        this.customer(e.customerRef).click = { promoterId: e.promoterId, clickedAt: e.at };
        break;
      case "customer_registered":
      case "community_joined":
        this.customerEvent(e.type, e);
        break;
      case "order_paid":
        this.orderPaid(e);
        break;
      case "order_refunded":
        this.refund(e);
        break;
      case "order_completed":
        this.complete(e);
        break;
      case "order_cancelled":
        this.cancel(e);
        break;
      case "contribution":
        this.contribution(e);
        break;
      case "period_close":
        this.closePeriodEvent(e);
        break;
    }
  }

  result(): ReplayResult {
    const promoters: ReplayResult["balances"]["promoters"] = {};
    const merchants: ReplayResult["balances"]["merchants"] = {};
    for (const id of [...this.promoters.keys()].sort()) promoters[id] = { pending: 0, available: 0, held: 0 };
    for (const [account, v] of [...this.balances.entries()].sort()) {
      const a = parseAccount(account);
      if (a.owner === "promoter") {
        const b = promoters[a.ownerId] ?? { pending: 0, available: 0, held: 0 };
        if (a.type === "pending" || a.type === "available" || a.type === "held") b[a.type] += v;
        promoters[a.ownerId] = b;
      } else if (a.owner === "merchant" && a.type === "commission_expense") merchants[a.ownerId] = { commissionExpense: v };
    }
    let salesMinor = 0;
    let commissionMinor = 0;
    const byVariant: ReplayResult["kpis"]["byVariant"] = {};
    const active = new Map<string, Set<string>>();
    for (const o of this.orders.values()) {
      if (!o.sellerId) continue;
      let left = 0;
      for (const v of o.remaining.values()) left += v;
      salesMinor += left;
      const kv = byVariant[o.variant] ?? { salesMinor: 0, commissionMinor: 0, activePromoters: 0 };
      kv.salesMinor += left;
      byVariant[o.variant] = kv;
      if (left > 0) {
        const set = active.get(o.variant) ?? new Set<string>();
        set.add(o.sellerId);
        active.set(o.variant, set);
      }
    }
    for (const l of this.lines) {
      const net = l.amountMinor - l.reversedMinor;
      commissionMinor += net;
      const o = l.orderId === null ? null : this.orders.get(l.orderId);
      const v = o ? o.variant : "-";
      const kv = byVariant[v] ?? { salesMinor: 0, commissionMinor: 0, activePromoters: 0 };
      kv.commissionMinor += net;
      byVariant[v] = kv;
    }
    for (const [v, set] of active) if (byVariant[v]) (byVariant[v] as { activePromoters: number }).activePromoters = set.size;
    return {
      name: this.sc.name ?? null,
      asOf: this.sc.asOf,
      lines: this.lines.map(({ refundBaseMinor: _b, dueAtMs: _d, productName: _p, ...l }) => l),
      rewards: this.rewards,
      promotions: this.promotions,
      closedPeriods: [...this.closed],
      balances: { promoters, merchants },
      ledger: this.txs ? { transactions: this.txCount, head: this.head, txs: this.txs } : { transactions: this.txCount, head: this.head },
      kpis: { salesMinor, commissionMinor, byVariant },
    };
  }
}

/** Parse a scenario (throws on an invalid one: a scenario is a test input, not user data). */
export function parseScenario(input: unknown): ParsedScenario {
  return ScenarioSchema.parse(input);
}

export interface RunOptions {
  /** Return every ledger transaction in `ledger.txs` (tests, audits). */
  keepLedger?: boolean;
}

export function runScenario(input: Scenario | ParsedScenario, opts: RunOptions = {}): ReplayResult {
  const sc = parseScenario(input);
  const r = new Replay(sc);
  if (opts.keepLedger) r.txs = [];
  const events = sc.events.map((e, i) => ({ e, i, t: Date.parse(e.at) })).sort((a, b) => a.t - b.t || a.i - b.i);
  const asOfMs = Date.parse(sc.asOf);
  for (const { e, t } of events) {
    if (t > asOfMs) break;
    r.apply(e);
  }
  r.releaseDue(asOfMs, sc.asOf);
  return r.result();
}
