/**
 * How a payout run moves a withdrawal: `applyWithdrawalEvent` (modules/withdrawals/transition.ts) — the state change,
 * its ledger movement, the transitions log, tax voided on failure, the audit entry and the `withdrawal.state_changed`
 * event, in the caller's transaction, which holds the merchant's ledger head. A refusal (the withdrawal is final, or
 * its state does not allow the event: a duplicate or late answer) is a result here, not an error, and writes nothing.
 */
import type { WithdrawalEvent } from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import { ApiError } from "../../http/errors.ts";
import type { WithdrawalRow } from "../withdrawals/repository.ts";
import { applyWithdrawalEvent, type WithdrawalEventOptions } from "../withdrawals/transition.ts";
import { applyWithdrawalEvents, type WithdrawalChange } from "../withdrawals/transition-set.ts";

export type { WithdrawalChange, WithdrawalRow };

export type MoveResult =
  | { ok: true; row: WithdrawalRow }
  | { ok: false; code: "WITHDRAWAL_FINAL" | "TRANSITION_NOT_ALLOWED"; state: string };

export async function moveWithdrawal(
  q: Sql,
  merchantId: string,
  withdrawalId: string,
  event: WithdrawalEvent,
  opts: WithdrawalEventOptions,
): Promise<MoveResult> {
  try {
    return { ok: true, row: await applyWithdrawalEvent(q, merchantId, withdrawalId, event, opts) };
  } catch (e) {
    if (e instanceof ApiError && (e.code === "WITHDRAWAL_FINAL" || e.code === "TRANSITION_NOT_ALLOWED"))
      return { ok: false, code: e.code, state: String(e.details.state ?? "unknown") };
    throw e;
  }
}

/**
 * Many withdrawals moved as one set (applyWithdrawalEvents: the same effects as moveWithdrawal on each in turn, in
 * far fewer statements); results in the order given. A withdrawal that vanished is an error, as for one.
 */
export async function moveWithdrawals(q: Sql, merchantId: string, changes: readonly WithdrawalChange[]): Promise<MoveResult[]> {
  const results = await applyWithdrawalEvents(q, merchantId, changes);
  return results.map((r, i) => {
    if (r.ok) return { ok: true, row: r.row };
    if (r.code === "NOT_FOUND") throw new Error(`withdrawal ${changes[i]?.withdrawalId} not found`);
    return { ok: false, code: r.code, state: r.state };
  });
}
