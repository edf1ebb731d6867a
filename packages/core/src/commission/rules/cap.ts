/**
 * P17: per-order cap. All commission of an order ≤ cap (a rate of the order's net amount, or of its margin when every line
 * carries a margin; the lower of the two when both are configured). The cap rounds down. When the lines exceed it they are
 * scaled proportionally by largest remainder, so they sum to the cap exactly.
 */
import { allocate, applyRate, type Bps, type Minor } from "../../money/money.ts";
import { CapSchema } from "../../plan/schema.ts";
import type { LineTrace, OrderInput } from "../types.ts";
import type { OrderRule, OrderState } from "./rule.ts";

export interface OrderCap {
  capMinor: Minor;
  basis: "order" | "margin";
}

/** The cap of an order under a plan's cap settings, or null when none applies. */
export function orderCap(
  cap: { orderRateBps?: number | undefined; marginRateBps?: number | undefined } | undefined,
  order: OrderInput,
): OrderCap | null {
  if (!cap) return null;
  let best: OrderCap | null = null;
  if (cap.orderRateBps !== undefined) {
    let total = 0;
    for (const l of order.lines) total += l.netAmountMinor;
    best = { capMinor: applyRate(total as Minor, cap.orderRateBps as Bps, "down"), basis: "order" };
  }
  if (cap.marginRateBps !== undefined) {
    let margin = 0;
    let complete = order.lines.length > 0;
    for (const l of order.lines) {
      if (l.marginMinor === null || l.marginMinor === undefined) {
        complete = false;
        break;
      }
      margin += Math.max(l.marginMinor, 0);
    }
    if (complete) {
      const c = applyRate(margin as Minor, cap.marginRateBps as Bps, "down");
      if (best === null || c < best.capMinor) best = { capMinor: c, basis: "margin" };
    }
  }
  return best;
}

export const capRule: OrderRule = {
  type: "cap",
  configSchema: CapSchema,
  enabled: (p) => p.cap !== undefined,
  evaluate(s: OrderState): void {
    const cap = orderCap(s.plan.cap, s.order);
    if (!cap) return;
    let total = 0;
    let orderAmount = 0;
    for (const l of s.order.lines) orderAmount += l.netAmountMinor;
    for (const l of s.out) {
      total += l.amountMinor;
      (l.trace as LineTrace).orderCap = { capMinor: cap.capMinor, orderAmountMinor: orderAmount };
    }
    if (total <= cap.capMinor) return;
    const scaled = allocate(
      cap.capMinor,
      s.out.map((l) => l.amountMinor),
    );
    s.out.forEach((l, i) => {
      const t = l.trace as LineTrace;
      t.cap = { capMinor: cap.capMinor, basis: cap.basis, totalBeforeMinor: total, uncappedMinor: l.amountMinor };
      l.amountMinor = scaled[i] as Minor;
    });
  },
};
