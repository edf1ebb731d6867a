/** Monthly statements of promoters and merchants (docs/payouts.md, "Statements"). */
import { periodOfKey } from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import { fail, invalid } from "../../http/errors.ts";
import { buildStatement, type PromoterStatement, zeroBuckets } from "./compute.ts";
import { type KindTotals, type MerchantInfo, merchantInfo, monthActivity, owedTotalAt, promoterNames, totalsByKind } from "./repository.ts";

export interface MonthRange {
  month: string;
  timeZone: string;
  from: Date;
  to: Date;
  /** The first transaction created in or after the month, when known (a bulk export reads it once). */
  fromSeq?: number | null;
}

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month "YYYY-MM" in the time zone as [from, to). A bad month is a 400 naming `field`. */
export function monthRange(month: string, timeZone: string, field = "month"): MonthRange {
  if (!MONTH_PATTERN.test(month) || month < "1970-01") invalid(field, "a month YYYY-MM, e.g. 2026-11");
  const p = periodOfKey(month, timeZone);
  return { month, timeZone, from: new Date(p.startsAt), to: new Date(p.endsAt) };
}

export async function requireMerchant(q: Sql, merchantId: string): Promise<MerchantInfo> {
  const m = await merchantInfo(q, merchantId);
  if (!m) fail("NOT_FOUND", `No merchant ${merchantId}.`);
  return m;
}

/** Statements of several promoters of one merchant (one per promoter and currency with an account), in id order. */
export async function promoterStatements(
  q: Sql,
  merchantId: string,
  promoterIds: readonly string[],
  range: MonthRange,
): Promise<PromoterStatement[]> {
  if (promoterIds.length === 0) return [];
  const { opening, rows } = await monthActivity(q, merchantId, promoterIds, range.from, range.to, range.fromSeq ?? null);
  const byPromoter = new Map<string, Map<string, typeof rows>>();
  for (const r of rows) {
    const id = r.account.split(":")[1] as string;
    let per = byPromoter.get(id);
    if (!per) {
      per = new Map();
      byPromoter.set(id, per);
    }
    const arr = per.get(r.currency);
    if (arr) arr.push(r);
    else per.set(r.currency, [r]);
  }
  const out: PromoterStatement[] = [];
  for (const id of [...promoterIds].sort()) {
    const own = byPromoter.get(id);
    const currencies = new Set([...(opening.get(id)?.keys() ?? []), ...(own?.keys() ?? [])]);
    for (const cur of [...currencies].sort())
      out.push(buildStatement(id, cur, opening.get(id)?.get(cur) ?? zeroBuckets(), own?.get(cur) ?? [], range.timeZone));
  }
  return out;
}

export interface PromoterStatementDoc {
  month: string;
  timeZone: string;
  from: string;
  to: string;
  basis: "owed";
  merchant: { id: string; name: string };
  promoter: { id: string; name: string };
  /** One statement per currency the promoter has with the merchant (usually one; none when no account exists). */
  currencies: Omit<PromoterStatement, "promoterId">[];
}

/** One promoter's statement with one merchant for a month. */
export async function promoterStatement(q: Sql, merchantId: string, promoterId: string, month: string): Promise<PromoterStatementDoc> {
  const m = await requireMerchant(q, merchantId);
  const range = monthRange(month, m.timeZone);
  const names = await promoterNames(q, [promoterId]);
  const name = names.get(promoterId);
  if (name === undefined) fail("NOT_FOUND", `No promoter ${promoterId}.`);
  const sts = await promoterStatements(q, merchantId, [promoterId], range);
  return {
    month,
    timeZone: range.timeZone,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    basis: "owed",
    merchant: { id: m.id, name: m.name },
    promoter: { id: promoterId, name },
    currencies: sts.map(({ promoterId: _, ...s }) => s),
  };
}

export interface MerchantCurrencyFigures {
  currency: string;
  owedOpeningMinor: number;
  commissionsMinor: number;
  reversalsMinor: number;
  adjustmentsMinor: number;
  payoutsMinor: number;
  taxMinor: number;
  withdrawalFeesMinor: number;
  owedClosingMinor: number;
  merchantFeeIncomeMinor: number;
  platformFeeMinor: number;
  topupsMinor: number;
  byKind: KindTotals[];
}

export interface MerchantStatementDoc {
  month: string;
  timeZone: string;
  from: string;
  to: string;
  merchant: { id: string; name: string };
  currencies: MerchantCurrencyFigures[];
}

/** A kind that records a merchant's top-up of its budget (the funding module's, whatever its exact name). */
export function isTopupKind(kind: string): boolean {
  return /top_?up/i.test(kind);
}

/**
 * The merchant's month: what its promoters were owed at the start and end (all of them together), and in between the
 * commissions accrued, reversed, adjusted, paid out, withheld as tax and charged as withdrawal fees — the same
 * classification as a promoter's statement, summed over the whole ledger — plus fee income, platform fees and top-ups,
 * and every transaction kind's totals by account class.
 */
export async function merchantStatement(q: Sql, merchantId: string, month: string): Promise<MerchantStatementDoc> {
  const m = await requireMerchant(q, merchantId);
  const range = monthRange(month, m.timeZone);
  const opening = await owedTotalAt(q, merchantId, range.from);
  const kinds = await totalsByKind(q, merchantId, range.from, range.to);
  const byCurrency = new Map<string, MerchantCurrencyFigures>();
  const figuresOf = (currency: string): MerchantCurrencyFigures => {
    let f = byCurrency.get(currency);
    if (!f) {
      const o = opening.get(currency) ?? 0;
      f = {
        currency,
        owedOpeningMinor: o,
        commissionsMinor: 0,
        reversalsMinor: 0,
        adjustmentsMinor: 0,
        payoutsMinor: 0,
        taxMinor: 0,
        withdrawalFeesMinor: 0,
        owedClosingMinor: o,
        merchantFeeIncomeMinor: 0,
        platformFeeMinor: 0,
        topupsMinor: 0,
        byKind: [],
      };
      byCurrency.set(currency, f);
    }
    return f;
  };
  for (const cur of opening.keys()) figuresOf(cur);
  for (const k of kinds) {
    const f = figuresOf(k.currency);
    f.byKind.push(k);
    const s = k.sums;
    const external = s.owed + s.paid + s.tax;
    if (k.kind.startsWith("withdraw_")) f.withdrawalFeesMinor -= external;
    else if (k.kind === "accrue") f.commissionsMinor += external;
    else if (k.kind === "reverse") f.reversalsMinor -= external;
    else f.adjustmentsMinor += external;
    f.payoutsMinor += s.paid;
    f.taxMinor += s.tax;
    f.owedClosingMinor += s.owed;
    f.merchantFeeIncomeMinor += s.fee_income;
    f.platformFeeMinor += s.platform_fee;
    if (isTopupKind(k.kind)) f.topupsMinor += k.volumeMinor;
  }
  return {
    month,
    timeZone: range.timeZone,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    merchant: { id: m.id, name: m.name },
    currencies: [...byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)),
  };
}
