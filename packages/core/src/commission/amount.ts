/**
 * Rounded amounts with their exact value kept for the trace (P18: one rounding per line and beneficiary).
 */
import { divRound, type Minor, minor, mulDiv, type RoundingMode } from "../money/money.ts";

export interface Rounded {
  amountMinor: Minor;
  /** The exact value before rounding, in minor units as a decimal string (at most 4 decimals, "…" when cut). */
  exact: string;
}

/** Exact decimal string of num / den (den > 0). */
export function exactDecimal(num: bigint | number, den: bigint | number): string {
  if (typeof num === "number" && typeof den === "number" && Number.isSafeInteger(num)) {
    const q = Math.trunc(num / den);
    let r = Math.abs(num - q * den);
    if (r === 0) return String(q);
    let s = `${num < 0 && q === 0 ? "-" : ""}${q}.`;
    for (let i = 0; i < 4 && r !== 0; i++) {
      r *= 10;
      const d = Math.trunc(r / den);
      s += d;
      r -= d * den;
    }
    return r === 0 ? s : `${s}…`;
  }
  const N = BigInt(num);
  const D = BigInt(den);
  const neg = N < 0n;
  const a = neg ? -N : N;
  let r = a % D;
  let s = `${neg ? "-" : ""}${a / D}`;
  if (r === 0n) return s;
  s += ".";
  for (let i = 0; i < 4 && r !== 0n; i++) {
    r *= 10n;
    s += (r / D).toString();
    r %= D;
  }
  return r === 0n ? s : `${s}…`;
}

/** amount × num ÷ den rounded with `mode`, with the exact value. */
export function roundedMulDiv(amount: number, num: number, den: number, mode: RoundingMode): Rounded {
  const p = amount * num;
  if (Number.isSafeInteger(p)) return { amountMinor: mulDiv(amount, num, den, mode), exact: exactDecimal(p, den) };
  const N = BigInt(amount) * BigInt(num);
  return { amountMinor: minor(Number(divRound(N, BigInt(den), mode))), exact: exactDecimal(N, BigInt(den)) };
}

/** Σ terms[i].a × terms[i].b ÷ den rounded once with `mode`. */
export function roundedSumDiv(terms: readonly { a: number; b: number }[], den: number, mode: RoundingMode): Rounded {
  let n = 0;
  let safe = true;
  for (const t of terms) {
    n += t.a * t.b;
    if (!Number.isSafeInteger(n)) {
      safe = false;
      break;
    }
  }
  if (safe) return { amountMinor: mulDiv(n, 1, den, mode), exact: exactDecimal(n, den) };
  let N = 0n;
  for (const t of terms) N += BigInt(t.a) * BigInt(t.b);
  return { amountMinor: minor(Number(divRound(N, BigInt(den), mode))), exact: exactDecimal(N, BigInt(den)) };
}
