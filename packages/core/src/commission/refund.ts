/**
 * P19: refunds reverse commission proportionally.
 * cumulative reversal = original − round(original × remaining ÷ lineAmount), so a full refund reverses exactly the original.
 */
import { type Minor, mulDiv, type RoundingMode } from "../money/money.ts";

/**
 * The amount to reverse now (the increment over what was already reversed) after the line's remaining (not refunded)
 * amount dropped to `remainingLineAmountMinor`. Works for negative originals (adjustments) too.
 */
export function reversalFor(
  originalMinor: number,
  lineAmountMinor: number,
  remainingLineAmountMinor: number,
  alreadyReversedMinor: number,
  mode: RoundingMode,
): Minor {
  if (remainingLineAmountMinor < 0 || remainingLineAmountMinor > lineAmountMinor) {
    throw new RangeError(`remaining ${remainingLineAmountMinor} must be within 0..${lineAmountMinor}`);
  }
  const kept = lineAmountMinor === 0 ? 0 : mulDiv(originalMinor, remainingLineAmountMinor, lineAmountMinor, mode);
  const cumulative = originalMinor - kept;
  return (cumulative - alreadyReversedMinor) as Minor;
}
