/** P15: a customer event brought by a promoter (registration, joining a community) → a fixed reward line. */
import type { Minor } from "../money/money.ts";
import { planForPromoter } from "../plan/experiment.ts";
import type { PlanDocument } from "../plan/schema.ts";
import type { CommissionLineDraft } from "./types.ts";

export type CustomerEventTrigger = "customer_registered" | "community_joined";

export function evaluateEvent(doc: PlanDocument, trigger: CustomerEventTrigger, promoterId: string): CommissionLineDraft[] {
  const { plan, variant } = planForPromoter(doc, promoterId);
  const out: CommissionLineDraft[] = [];
  for (const e of plan.events ?? []) {
    if (e.trigger !== trigger || e.amountMinor === 0) continue;
    out.push({
      beneficiaryId: promoterId,
      level: 0,
      kind: "event",
      lineNo: null,
      baseMinor: 0 as Minor,
      amountMinor: e.amountMinor as Minor,
      trace: { rule: "event", trigger, baseMinor: 0, rateBps: null, fixedMinor: e.amountMinor, variant },
    });
  }
  return out;
}
