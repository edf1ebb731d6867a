/**
 * The withdrawal's states (SPEC §5, issue "Money out"): requested → approved → paying → paid; or rejected, failed,
 * awaiting_funds. Each transition names the ledger movement it implies (see postings.ts):
 *
 *   (none)          request          → requested        lock      available → locked (the gross)
 *   requested       approve          → approved         —         (automatic under the threshold, or a reviewer)
 *   approved        await_funds      → awaiting_funds   —         (a prepaid program's budget cannot cover it)
 *   awaiting_funds  funds_available  → approved         —
 *   requested | approved | awaiting_funds
 *                   reject           → rejected         release   locked → available (the gross)
 *   approved        submit           → paying           withhold  locked → tax (the tax) and fee income (the fee)
 *   approved        fail             → failed           release   refused before any money left (e.g. account invalid)
 *   paying          succeed          → paid             pay       locked → paid (the net)
 *   paying          fail             → failed           unwind    locked (net) + tax + fee → available (the gross)
 *
 * paid, rejected and failed are final.
 */
export const WITHDRAWAL_STATES = ["requested", "approved", "awaiting_funds", "paying", "paid", "rejected", "failed"] as const;
export type WithdrawalState = (typeof WITHDRAWAL_STATES)[number];
export const WITHDRAWAL_EVENTS = ["request", "approve", "await_funds", "funds_available", "reject", "submit", "succeed", "fail"] as const;
export type WithdrawalEvent = (typeof WITHDRAWAL_EVENTS)[number];
export const WITHDRAWAL_FINAL_STATES: readonly WithdrawalState[] = ["paid", "rejected", "failed"];

export type WithdrawalMovement = "lock" | "withhold" | "pay" | "release" | "unwind";

export interface WithdrawalTransition {
  from: WithdrawalState | null;
  event: WithdrawalEvent;
  to: WithdrawalState;
  movement: WithdrawalMovement | null;
}

export const WITHDRAWAL_TRANSITIONS: readonly WithdrawalTransition[] = [
  { from: null, event: "request", to: "requested", movement: "lock" },
  { from: "requested", event: "approve", to: "approved", movement: null },
  { from: "requested", event: "reject", to: "rejected", movement: "release" },
  { from: "approved", event: "await_funds", to: "awaiting_funds", movement: null },
  { from: "approved", event: "reject", to: "rejected", movement: "release" },
  { from: "approved", event: "submit", to: "paying", movement: "withhold" },
  { from: "approved", event: "fail", to: "failed", movement: "release" },
  { from: "awaiting_funds", event: "funds_available", to: "approved", movement: null },
  { from: "awaiting_funds", event: "reject", to: "rejected", movement: "release" },
  { from: "paying", event: "succeed", to: "paid", movement: "pay" },
  { from: "paying", event: "fail", to: "failed", movement: "unwind" },
];

export type WithdrawalTransitionResult =
  | { ok: true; state: WithdrawalState; movement: WithdrawalMovement | null }
  | {
      ok: false;
      /** WITHDRAWAL_FINAL: the withdrawal is paid, rejected or failed (a repeated callback lands here); TRANSITION_NOT_ALLOWED otherwise. */
      code: "WITHDRAWAL_FINAL" | "TRANSITION_NOT_ALLOWED";
      details: { state: WithdrawalState | null; event: WithdrawalEvent; allowed: WithdrawalEvent[] };
    };

/** The next state after `event`, or why not. `state` is null for a withdrawal not yet requested. */
export function transition(state: WithdrawalState | null, event: WithdrawalEvent): WithdrawalTransitionResult {
  const t = WITHDRAWAL_TRANSITIONS.find((x) => x.from === state && x.event === event);
  if (t) return { ok: true, state: t.to, movement: t.movement };
  const allowed = WITHDRAWAL_TRANSITIONS.filter((x) => x.from === state).map((x) => x.event);
  const final = state !== null && WITHDRAWAL_FINAL_STATES.includes(state);
  return { ok: false, code: final ? "WITHDRAWAL_FINAL" : "TRANSITION_NOT_ALLOWED", details: { state, event, allowed } };
}
