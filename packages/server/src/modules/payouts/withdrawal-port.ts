/**
 * How a payout run moves a withdrawal: one state transition (core `transition()`), its ledger movement, the
 * transitions log, tax voided on failure, the `withdrawal.state_changed` event — all in the caller's transaction, which
 * holds the merchant's ledger head (lock order: head first, then the withdrawal row).
 */
import { PLATFORM_FEE_ACCOUNT, transition, type WithdrawalEvent, withdrawalCauseRef, withdrawalPostings } from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import { emitEvent } from "../events/outbox.ts";
import { postTx } from "../ledger/repository.ts";

export interface ProviderInfo {
  name: string;
  ref?: string;
  billNo?: string;
  state?: string;
  packageInfo?: string;
  expiresAt?: string;
}

export interface WithdrawalRow {
  id: string;
  merchant_id: string;
  program_id: string;
  promoter_id: string;
  state: string;
  currency: string;
  amount_minor: number;
  tax_minor: number;
  fee_minor: number;
  net_minor: number;
}

export type MoveResult =
  | { ok: true; row: WithdrawalRow }
  | { ok: false; code: "WITHDRAWAL_FINAL" | "TRANSITION_NOT_ALLOWED"; state: string };

export async function moveWithdrawal(
  q: Sql,
  merchantId: string,
  withdrawalId: string,
  event: WithdrawalEvent,
  opts: { actor: string; reason?: string; at: Date; provider?: ProviderInfo },
): Promise<MoveResult> {
  const [w] = await q.query<WithdrawalRow & Record<string, unknown>>(
    `SELECT id, merchant_id, program_id, promoter_id, state, currency, amount_minor::int8 AS amount_minor, tax_minor::int8 AS tax_minor,
            fee_minor::int8 AS fee_minor, net_minor::int8 AS net_minor
     FROM withdrawals WHERE merchant_id = $1 AND id = $2 FOR UPDATE`,
    [merchantId, withdrawalId],
  );
  if (!w) throw new Error(`withdrawal ${withdrawalId} not found`);
  const t = transition(w.state as never, event);
  if (!t.ok) return { ok: false, code: t.code, state: w.state };
  const amounts = {
    promoterId: w.promoter_id,
    amountMinor: Number(w.amount_minor),
    taxMinor: Number(w.tax_minor),
    feeMinor: Number(w.fee_minor),
  };
  let ledgerSeq: number | null = null;
  if (t.movement) {
    const draft = withdrawalPostings(t.movement, amounts, {
      currency: w.currency,
      causeRef: withdrawalCauseRef(w.id, event),
      memo: `withdrawal ${event}`,
      feeAccount: PLATFORM_FEE_ACCOUNT,
    });
    if (draft) ledgerSeq = (await postTx(q, merchantId, draft, opts.at)).seq;
  }
  const final = t.state === "paid" || t.state === "failed" || t.state === "rejected";
  const p = opts.provider;
  await q.query(
    `UPDATE withdrawals SET state = $3, state_reason = coalesce($4, state_reason), updated_at = $5, finished_at = CASE WHEN $6 THEN $5 ELSE finished_at END,
       provider = coalesce($7, provider), provider_ref = coalesce(provider_ref, $8), provider_bill_no = coalesce($9, provider_bill_no),
       provider_state = coalesce($10, provider_state), package_info = CASE WHEN $6 THEN NULL ELSE package_info END
     WHERE merchant_id = $1 AND id = $2`,
    [merchantId, w.id, t.state, opts.reason ?? null, opts.at, final, p?.name ?? null, p?.ref ?? null, p?.billNo ?? null, p?.state ?? null],
  );
  await q.query(
    `INSERT INTO withdrawal_transitions (merchant_id, withdrawal_id, seq, from_state, event, to_state, actor, reason, ledger_seq, at)
     SELECT $1, $2, coalesce(max(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9 FROM withdrawal_transitions WHERE merchant_id = $1 AND withdrawal_id = $2`,
    [merchantId, w.id, w.state, event, t.state, opts.actor, opts.reason ?? null, ledgerSeq, opts.at],
  );
  if (t.state === "failed" || t.state === "rejected")
    await q.query(
      "UPDATE tax_withholdings SET state = 'void', voided_at = $3 WHERE merchant_id = $1 AND withdrawal_id = $2 AND state = 'active'",
      [merchantId, w.id, opts.at],
    );
  await emitEvent(
    q,
    merchantId,
    { type: "withdrawal.state_changed", subject: `withdrawal:${w.id}`, data: { id: w.id, from: w.state, event, to: t.state } },
    opts.at,
  );
  return { ok: true, row: { ...w, state: t.state } };
}
