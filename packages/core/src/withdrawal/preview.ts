/**
 * What a withdrawal will withhold (提现预览): the amount requested is the gross; the tax (the program's withholding
 * method, over the promoter's figures for this withholding agent) and the fee come out of it, and the rest is paid.
 * When tax + fee leave nothing to pay (net ≤ 0) the request is refused with NET_NOT_POSITIVE: the promoter asks for
 * more, or waits. The preview and the request compute the same figures from the same inputs.
 */

import { computeWithholding, type TaxConfig } from "../tax/registry.ts";
import type { WithholdingResult } from "../tax/rule.ts";
import type { WithdrawalRefusal, WithdrawalRequestInput } from "./check.ts";
import { withdrawalFee } from "./fee.ts";
import type { WithdrawalSettings } from "./settings.ts";

/** The tax side of a withdrawal: the program's method and the promoter's window before this payment. */
export interface WithdrawalTaxContext {
  config: TaxConfig;
  /** The payment's month (YYYY-MM). */
  month: string;
  priorIncomeMinor?: number;
  priorTaxMinor?: number;
  incomeMonths?: readonly string[];
}

export interface WithdrawalPreview {
  ok: true;
  amountMinor: number;
  taxMinor: number;
  feeMinor: number;
  netMinor: number;
  tax: WithholdingResult;
}

export function previewWithdrawal(
  request: WithdrawalRequestInput,
  settings: WithdrawalSettings,
  tax: WithdrawalTaxContext,
): WithdrawalPreview | WithdrawalRefusal {
  const amountMinor = request.amountMinor;
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0)
    return { ok: false, code: "AMOUNT_INVALID", field: "amountMinor", details: {} };
  const withheld = computeWithholding(tax.config, {
    amountMinor,
    month: tax.month,
    priorIncomeMinor: tax.priorIncomeMinor ?? 0,
    priorTaxMinor: tax.priorTaxMinor ?? 0,
    incomeMonths: [...(tax.incomeMonths ?? [])],
  });
  const feeMinor = withdrawalFee(amountMinor, settings.fee);
  const netMinor = amountMinor - withheld.taxMinor - feeMinor;
  if (netMinor <= 0)
    return {
      ok: false,
      code: "NET_NOT_POSITIVE",
      field: "amountMinor",
      details: { amountMinor, taxMinor: withheld.taxMinor, feeMinor, netMinor },
    };
  return { ok: true, amountMinor, taxMinor: withheld.taxMinor, feeMinor, netMinor, tax: withheld };
}
