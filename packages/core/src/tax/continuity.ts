/**
 * "Continuously" (连续) for the cumulative method.
 *
 * 国家税务总局公告2025年第16号 (in force 2025-10-01) has the platform deduct 5,000 yuan per month × 当年截至本月在本平台
 * 连续取得劳务报酬的月份数 — the number of months of this year, up to and including the payment's month, in which the
 * person has received labour remuneration from this platform continuously. We read it literally:
 *
 * - the run is counted backwards from the payment's month (which counts, since income is being paid in it);
 * - a calendar month of this year without labour income from this withholding agent ends the run: the count
 *   restarts at 1 in the month income resumes (Jan–Mar, none in April, May → 1 in May, 2 in June);
 * - months of an earlier year never count: the count restarts in January (so does the whole cumulative window).
 *
 * Only the deduction's month count restarts after a gap; the cumulative income and tax stay the year's (the
 * announcement's 累计收入 and 已预扣预缴税额 are 当年). See docs/payouts.md, "Tax withholding".
 */
import { MONTH_PATTERN } from "./rule.ts";

export function parseMonth(month: string): { year: number; month: number } {
  if (!MONTH_PATTERN.test(month)) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  return { year: Number(month.slice(0, 4)), month: Number(month.slice(5, 7)) };
}

/** Months of the payment's year, up to and including its month, in which income was continuously received. */
export function continuousMonths(incomeMonths: readonly string[], month: string): number {
  const now = parseMonth(month);
  const had = new Set<number>();
  for (const m of incomeMonths) {
    const p = parseMonth(m);
    if (p.year !== now.year) continue;
    if (p.month > now.month) throw new RangeError(`income month ${m} is after the payment's month ${month}`);
    had.add(p.month);
  }
  let n = 1;
  while (now.month - n >= 1 && had.has(now.month - n)) n++;
  return n;
}
