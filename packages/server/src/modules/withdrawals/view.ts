/** A withdrawal as the API shows it (docs/payouts.md, "Withdrawals API"): masked payee only, amounts in fen. */
import { explainWithholding, type WithholdingTrace } from "@fenxiao/core";
import type { TransitionRow, WithdrawalRow } from "./repository.ts";

const KIND_LABEL: Record<string, string> = { wechat: "微信", alipay: "支付宝", bank: "银行卡" };

/** The masked fields of a payee snapshot (`{ display, fields: {…} }`, as the identity module stores payout accounts). */
function maskedFields(masked: Record<string, unknown>): Record<string, unknown> {
  const f = masked.fields;
  return f && typeof f === "object" && !Array.isArray(f) ? (f as Record<string, unknown>) : {};
}

/** What a payee is shown as: the payout account's masked display line, or its kind when there is none. */
export function payeeDisplay(kind: string, masked: Record<string, unknown>): string {
  return typeof masked.display === "string" ? masked.display : (KIND_LABEL[kind] ?? kind);
}

function iso(d: Date | string | null): string | null {
  return d === null ? null : new Date(d).toISOString();
}

export function transitionView(t: TransitionRow) {
  return { seq: t.seq, from: t.from, event: t.event, to: t.to, actor: t.actor, reason: t.reason, ledgerSeq: t.ledgerSeq, at: iso(t.at) };
}

/** The tax figure explained in one sentence per language (house rule 7), from the trace fixed at request time. */
function explanationOf(w: WithdrawalRow): { zh: string; en: string } | null {
  const trace = w.taxDetail.trace as WithholdingTrace | undefined;
  if (!trace || typeof trace !== "object") return null;
  return { zh: explainWithholding(trace, "zh", w.currency), en: explainWithholding(trace, "en", w.currency) };
}

/**
 * `extra.mchId`: the merchant's WeChat Pay 商户号 for the confirmation step (wx.requestMerchantTransfer needs it); the
 * detail routes read it with `confirmationMchId`, lists leave it null.
 */
export function withdrawalView(
  w: WithdrawalRow & { promoterName?: string },
  extra: { transitions?: TransitionRow[]; mchId?: string | null } = {},
) {
  const appid = maskedFields(w.payeeMasked).appid;
  return {
    id: w.id,
    merchantId: w.merchantId,
    programId: w.programId,
    promoterId: w.promoterId,
    ...(w.promoterName !== undefined ? { promoterName: w.promoterName } : {}),
    payoutAccountId: w.payoutAccountId,
    payee: { kind: w.payoutKind, display: payeeDisplay(w.payoutKind, w.payeeMasked) },
    currency: w.currency,
    amountMinor: w.amountMinor,
    taxMinor: w.taxMinor,
    feeMinor: w.feeMinor,
    netMinor: w.netMinor,
    state: w.state,
    reason: w.stateReason,
    approval: w.approval,
    tax: {
      method: w.taxDetail.method ?? "none",
      agent: w.taxDetail.agent ?? "merchant",
      month: w.taxDetail.month ?? null,
      explanation: explanationOf(w),
    },
    requestedAt: iso(w.requestedAt),
    reviewDueAt: iso(w.reviewDueAt),
    decidedAt: iso(w.decidedAt),
    decidedBy: w.decidedBy,
    finishedAt: iso(w.finishedAt),
    provider: w.provider,
    providerState: w.providerState,
    confirmation:
      w.packageInfo !== null && w.state === "paying"
        ? {
            appid: typeof appid === "string" ? appid : null,
            mchId: extra.mchId ?? null,
            packageInfo: w.packageInfo,
            expiresAt: iso(w.expiresAt),
          }
        : null,
    ...(extra.transitions ? { transitions: extra.transitions.map(transitionView) } : {}),
  };
}

export type WithdrawalView = ReturnType<typeof withdrawalView>;
