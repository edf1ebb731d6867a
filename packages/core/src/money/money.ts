/**
 * Money is an exact integer count of minor units (fen for CNY).
 * Every amount in Fenxiao is a `Minor`; rates are integer basis points (`Bps`, 1 % = 100 bps).
 * Divisions always name their rounding mode; intermediate products use BigInt so they never overflow.
 */

export type Minor = number & { readonly __minor: unique symbol };
export type Bps = number & { readonly __bps: unique symbol };

export const BPS_ONE = 10_000;
/** Largest amount accepted anywhere (¥ 90 trillion in fen); keeps every product exact in BigInt and every sum in a JS safe integer. */
export const AMOUNT_MAX_MINOR = 9_000_000_000_000_000;

export type RoundingMode = "half-up" | "half-even" | "down";
export const ROUNDING_MODES: readonly RoundingMode[] = ["half-up", "half-even", "down"] as const;

export function minor(n: number): Minor {
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount must be a safe integer of minor units, got ${n}`);
  return n as Minor;
}

export function bps(n: number): Bps {
  if (!Number.isSafeInteger(n)) throw new RangeError(`rate must be an integer of basis points, got ${n}`);
  return n as Bps;
}

export const ZERO = 0 as Minor;

export function add(a: Minor, b: Minor): Minor {
  return minor(a + b);
}
export function sub(a: Minor, b: Minor): Minor {
  return minor(a - b);
}
export function neg(a: Minor): Minor {
  return (a === 0 ? 0 : -a) as Minor;
}
export function sum(xs: readonly Minor[]): Minor {
  let s = 0;
  for (const x of xs) s += x;
  return minor(s);
}

/** Integer division of BigInts with an explicit rounding mode (symmetric around zero for half modes; `down` truncates toward zero). */
export function divRound(num: bigint, den: bigint, mode: RoundingMode): bigint {
  if (den === 0n) throw new RangeError("division by zero");
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const negative = num < 0n;
  const a = negative ? -num : num;
  let q = a / den;
  const r = a % den;
  if (r !== 0n && mode !== "down") {
    const twice = r * 2n;
    if (twice > den) q += 1n;
    else if (twice === den) {
      if (mode === "half-up") q += 1n;
      else if (q % 2n === 1n) q += 1n; // half-even
    }
  }
  return negative ? -q : q;
}

/** amount × num ÷ den, rounded once with `mode`. Exact for any safe-integer inputs. */
export function mulDiv(amount: number, num: number, den: number, mode: RoundingMode): Minor {
  const p = amount * num;
  if (Number.isSafeInteger(p) && Number.isSafeInteger(den) && den > 0) {
    // fast path: exact in doubles
    const q = Math.trunc(p / den);
    const r = p - q * den;
    if (r === 0 || mode === "down") return (q === 0 ? 0 : q) as Minor; // never -0
    const twice = Math.abs(r) * 2;
    let mag = Math.abs(q);
    if (twice > den || (twice === den && (mode === "half-up" || mag % 2 === 1))) mag += 1;
    return (p < 0 && mag !== 0 ? -mag : mag) as Minor;
  }
  return minor(Number(divRound(BigInt(amount) * BigInt(num), BigInt(den), mode)));
}

/** amount × rateBps / 10 000, rounded with `mode`. */
export function applyRate(amount: Minor, rate: Bps, mode: RoundingMode): Minor {
  return mulDiv(amount, rate, BPS_ONE, mode);
}

/**
 * Split `total` over `weights` so that the parts sum to `total` exactly (largest remainder method).
 * Ties in the remainder go to the earlier index, so the result is deterministic.
 * Negative totals are split as the negation of the positive split.
 */
export function allocate(total: Minor, weights: readonly number[]): Minor[] {
  if (weights.length === 0) {
    if (total !== 0) throw new RangeError("cannot allocate a non-zero total over no weights");
    return [];
  }
  if (total < 0) return allocate(neg(total), weights).map(neg);
  let wsum = 0n;
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new RangeError(`allocation weights must be non-negative integers, got ${w}`);
    wsum += BigInt(w);
  }
  const n = weights.length;
  if (wsum === 0n) {
    // equal split
    return allocate(total, new Array<number>(n).fill(1));
  }
  const T = BigInt(total);
  const parts: bigint[] = new Array(n);
  const rems: { i: number; r: bigint }[] = [];
  let given = 0n;
  for (let i = 0; i < n; i++) {
    const num = T * BigInt(weights[i] as number);
    const q = num / wsum;
    parts[i] = q;
    given += q;
    rems.push({ i, r: num % wsum });
  }
  let left = T - given;
  rems.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (let k = 0; left > 0n; k++, left--) {
    const idx = (rems[k % n] as { i: number }).i;
    parts[idx] = (parts[idx] as bigint) + 1n;
  }
  return parts.map((p) => minor(Number(p)));
}

/** Format for people: ¥1,234.56 (CNY) — display only, never parsed back. */
export function formatMoney(amount: number, currency = "CNY"): string {
  const symbol = currency === "CNY" ? "¥" : currency === "USD" ? "$" : currency === "EUR" ? "€" : `${currency} `;
  const negative = amount < 0;
  const abs = Math.abs(amount);
  const yuan = Math.trunc(abs / 100);
  const fen = abs % 100;
  const grouped = yuan.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${symbol}${grouped}.${fen.toString().padStart(2, "0")}`;
}

/** Format a rate in bps as a percentage string: 1000 → "10%", 1250 → "12.5%". */
export function formatRate(rate: number): string {
  const whole = Math.trunc(rate / 100);
  const frac = Math.abs(rate % 100);
  if (frac === 0) return `${whole}%`;
  return `${rate < 0 && whole === 0 ? "-" : ""}${whole}.${frac.toString().padStart(2, "0").replace(/0$/, "")}%`;
}
