/**
 * Warnings of a paid order's response: what the order asked for that was not applied, though the order itself was
 * recorded (and attributed by the next signal that applies: click, binding, referral). A shop sending a mistyped or
 * retired promo code learns it at once instead of finding the order unattributed later.
 */

export interface OrderWarning {
  code: "PROMO_CODE_UNMATCHED" | "PROMO_CODE_PROMOTER_INACTIVE" | "CLICK_TOKEN_UNMATCHED";
  /** The request field the warning is about. */
  field: "promoCode" | "clickToken";
  message: string;
}

const BY_NOTE: Record<string, OrderWarning> = {
  code_unknown: { code: "PROMO_CODE_UNMATCHED", field: "promoCode", message: "the promo code matched no promoter of the program" },
  code_promoter_inactive: {
    code: "PROMO_CODE_PROMOTER_INACTIVE",
    field: "promoCode",
    message: "the promo code's promoter is not active: the code was not applied",
  },
  click_token_unknown: { code: "CLICK_TOKEN_UNMATCHED", field: "clickToken", message: "the click token matched no click of the program" },
};

/** The warnings of an order's attribution notes (attribution/service.ts), in the notes' order. */
export function warningsOf(notes: readonly string[]): OrderWarning[] {
  return notes.flatMap((n) => (BY_NOTE[n] ? [BY_NOTE[n] as OrderWarning] : []));
}
