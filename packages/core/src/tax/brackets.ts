/**
 * The two rate tables of 个人所得税 withholding on labour remuneration (劳务报酬), in fen, and the exact bracket
 * computation they share. Taxable income arrives as an exact fraction (numerator over TAXABLE_SCALE fen) because 80 %
 * of an amount in fen need not be a whole fen; the tax is rounded half-up to the fen once, at the end.
 */
import { exactDecimal } from "../commission/amount.ts";
import { BPS_ONE, divRound } from "../money/money.ts";
import type { Bracket } from "./rule.ts";

const YUAN = 100;

/** 预扣率表二 (个人所得税预扣率表二, 居民个人劳务报酬所得预扣预缴适用): per payment / per month. */
export const LABOUR_TABLE_2: readonly Bracket[] = [
  { upToMinor: 20_000 * YUAN, rateBps: 2_000, quickDeductionMinor: 0 },
  { upToMinor: 50_000 * YUAN, rateBps: 3_000, quickDeductionMinor: 2_000 * YUAN },
  { upToMinor: null, rateBps: 4_000, quickDeductionMinor: 7_000 * YUAN },
];

/** 预扣率表一 (居民个人工资、薪金所得预扣预缴适用), used by the cumulative method for platform workers. */
export const LABOUR_TABLE_1: readonly Bracket[] = [
  { upToMinor: 36_000 * YUAN, rateBps: 300, quickDeductionMinor: 0 },
  { upToMinor: 144_000 * YUAN, rateBps: 1_000, quickDeductionMinor: 2_520 * YUAN },
  { upToMinor: 300_000 * YUAN, rateBps: 2_000, quickDeductionMinor: 16_920 * YUAN },
  { upToMinor: 420_000 * YUAN, rateBps: 2_500, quickDeductionMinor: 31_920 * YUAN },
  { upToMinor: 660_000 * YUAN, rateBps: 3_000, quickDeductionMinor: 52_920 * YUAN },
  { upToMinor: 960_000 * YUAN, rateBps: 3_500, quickDeductionMinor: 85_920 * YUAN },
  { upToMinor: null, rateBps: 4_500, quickDeductionMinor: 181_920 * YUAN },
];

/** Taxable income is carried as numerator / TAXABLE_SCALE fen (80 % = 8,000 / 10,000, exact). */
export const TAXABLE_SCALE = BigInt(BPS_ONE);

export interface BracketTax {
  /** 1-based index in the table. */
  bracket: number;
  rateBps: number;
  quickDeductionMinor: number;
  taxableExact: string;
  /** Tax before rounding (may be negative only when taxable ≤ 0, which is clamped to 0 tax). */
  exact: string;
  /** Rounded half-up to the fen, never below 0. */
  taxMinor: number;
}

/** taxable × rate − quick deduction for taxable = taxableNum / TAXABLE_SCALE fen, rounded half-up once. */
export function bracketTax(taxableNum: bigint, table: readonly Bracket[]): BracketTax {
  const taxableExact = exactDecimal(taxableNum, TAXABLE_SCALE);
  if (taxableNum <= 0n) {
    const first = table[0] as Bracket;
    return { bracket: 1, rateBps: first.rateBps, quickDeductionMinor: first.quickDeductionMinor, taxableExact, exact: "0", taxMinor: 0 };
  }
  let i = 0;
  while (i < table.length - 1) {
    const up = (table[i] as Bracket).upToMinor;
    if (up !== null && taxableNum <= BigInt(up) * TAXABLE_SCALE) break;
    i++;
  }
  const b = table[i] as Bracket;
  const den = TAXABLE_SCALE * BigInt(BPS_ONE);
  const num = taxableNum * BigInt(b.rateBps) - BigInt(b.quickDeductionMinor) * den;
  const rounded = divRound(num, den, "half-up");
  return {
    bracket: i + 1,
    rateBps: b.rateBps,
    quickDeductionMinor: b.quickDeductionMinor,
    taxableExact,
    exact: exactDecimal(num, den),
    taxMinor: rounded > 0n ? Number(rounded) : 0,
  };
}
