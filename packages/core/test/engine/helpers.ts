import type { EvaluateContext, Minor, OrderInput, OrderLineInput, PromoterNode } from "../../src/index.ts";

export function promoter(id: string, rank: string | null = null, joinedAt = "2024-01-01T00:00:00Z"): PromoterNode {
  return { promoterId: id, rank, joinedAt, status: "active" };
}

export function line(lineNo: number, netAmountMinor: number, o: Partial<OrderLineInput> = {}): OrderLineInput {
  return { lineNo, productId: `p${lineNo}`, categoryId: null, quantity: 1, netAmountMinor: netAmountMinor as Minor, ...o };
}

export function order(lines: OrderLineInput[], o: Partial<OrderInput> = {}): OrderInput {
  return {
    orderId: "o1",
    orderRef: "1024",
    paidAt: "2025-04-10T10:00:00+08:00",
    channel: "online",
    currency: "CNY",
    customerRef: "c1",
    isFirstOrder: false,
    attributionPath: "code",
    lines,
    ...o,
  };
}

export function ctx(o: Partial<EvaluateContext> = {}): EvaluateContext {
  return {
    seller: promoter("S"),
    uplines: [promoter("U1"), promoter("U2")],
    periodSalesBeforeMinor: 0 as Minor,
    roundingMode: "half-up",
    ...o,
  };
}

/** [beneficiary, kind, lineNo, amount] tuples, for compact expectations. */
export function tuples(lines: { beneficiaryId: string; kind: string; lineNo: number | null; amountMinor: number }[]) {
  return lines.map((l) => [l.beneficiaryId, l.kind, l.lineNo, l.amountMinor]);
}
