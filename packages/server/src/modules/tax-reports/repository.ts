/** Reads for the tax reports: tax withheld (tax_withholdings), masked identities, and commission income in the ledger. */
import type { Sql } from "../../db/client.ts";

export interface WithholdingRow {
  promoterId: string;
  promoterName: string;
  legalNameMasked: string | null;
  idType: string | null;
  idNumberMasked: string | null;
  incomeMinor: number;
  taxMinor: number;
  withdrawals: number;
}

/** Active withholdings of one agent in the given months, summed per person, with the masked identity. */
export async function withholdingsByPerson(
  q: Sql,
  agent: string,
  months: readonly string[],
  merchantId: string | null,
): Promise<WithholdingRow[]> {
  const rows = await q.query<{
    promoter_id: string;
    name: string | null;
    legal_name_masked: string | null;
    id_type: string | null;
    id_number_masked: string | null;
    income: string | number;
    tax: string | number;
    n: string | number;
  }>(
    `SELECT w.promoter_id, pr.name, i.legal_name_masked, i.id_type, i.id_number_masked,
            sum(w.income_minor)::bigint AS income, sum(w.tax_minor)::bigint AS tax, count(*) AS n
     FROM tax_withholdings w
     LEFT JOIN promoters pr ON pr.id = w.promoter_id
     LEFT JOIN promoter_identities i ON i.promoter_id = w.promoter_id
     WHERE w.agent = $1 AND w.tax_month = ANY($2) AND w.state = 'active' AND ($3::text IS NULL OR w.merchant_id = $3)
     GROUP BY w.promoter_id, pr.name, i.legal_name_masked, i.id_type, i.id_number_masked
     ORDER BY w.promoter_id`,
    [agent, months, merchantId],
  );
  return rows.map((r) => ({
    promoterId: r.promoter_id,
    promoterName: r.name ?? "",
    legalNameMasked: r.legal_name_masked,
    idType: r.id_type,
    idNumberMasked: r.id_number_masked,
    incomeMinor: Number(r.income),
    taxMinor: Number(r.tax),
    withdrawals: Number(r.n),
  }));
}

/**
 * Merchants whose commission income the platform reports as withholding agent: those with a program whose tax
 * setting names the platform (program_money_settings.tax.agent = "platform"), and those with platform withholdings.
 */
export async function platformAgentMerchants(q: Sql, months: readonly string[]): Promise<string[]> {
  const rows = await q.query<{ merchant_id: string }>(
    `SELECT merchant_id FROM program_money_settings WHERE tax->>'agent' = 'platform'
     UNION SELECT merchant_id FROM tax_withholdings WHERE agent = 'platform' AND tax_month = ANY($1)
     ORDER BY 1`,
    [months],
  );
  return rows.map((r) => r.merchant_id);
}

/** Does a program of the merchant name the platform as its withholding agent? */
export async function merchantUsesPlatformAgent(q: Sql, merchantId: string): Promise<boolean> {
  const [row] = await q.query("SELECT 1 FROM program_money_settings WHERE merchant_id = $1 AND tax->>'agent' = 'platform' LIMIT 1", [
    merchantId,
  ]);
  return row !== undefined;
}

export interface IncomeRow {
  promoterId: string;
  /** Commission accrued (kind accrue) on the promoter's accounts. */
  accruedMinor: number;
  /** Commission reversed (kind reverse), positive. */
  reversedMinor: number;
}

/** Commission accrued and reversed per promoter in [from, to) in one merchant's ledger, in CNY. */
export async function commissionIncome(q: Sql, merchantId: string, from: Date, to: Date): Promise<IncomeRow[]> {
  const rows = await q.query<{ promoter_id: string; kind: string; total: string | number }>(
    `SELECT split_part(p.account, ':', 2) AS promoter_id, t.kind, sum(p.amount_minor)::bigint AS total
     FROM ledger_postings p JOIN ledger_transactions t ON t.merchant_id = p.merchant_id AND t.seq = p.tx_seq
     WHERE t.merchant_id = $1 AND t.created_at >= $2 AND t.created_at < $3 AND t.kind IN ('accrue', 'reverse')
       AND p.account LIKE 'promoter:%' AND p.currency = 'CNY'
     GROUP BY 1, 2`,
    [merchantId, from, to],
  );
  const out = new Map<string, IncomeRow>();
  for (const r of rows) {
    let e = out.get(r.promoter_id);
    if (!e) {
      e = { promoterId: r.promoter_id, accruedMinor: 0, reversedMinor: 0 };
      out.set(r.promoter_id, e);
    }
    if (r.kind === "accrue") e.accruedMinor += Number(r.total);
    else e.reversedMinor -= Number(r.total);
  }
  return [...out.values()];
}
