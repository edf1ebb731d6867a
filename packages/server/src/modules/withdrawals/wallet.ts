/**
 * A promoter's wallet (钱包): per merchant (a promoter's balances live in each merchant's ledger, shared by its
 * programs) and currency, the pending, available, locked (withdrawing), paid and tax-withheld balances; and the
 * totals per currency.
 */
import type { Sql } from "../../db/client.ts";

const TYPES = ["pending", "available", "locked", "paid", "tax"] as const;
type Figures = { pendingMinor: number; availableMinor: number; lockedMinor: number; paidMinor: number; taxMinor: number };

function zero(): Figures {
  return { pendingMinor: 0, availableMinor: 0, lockedMinor: 0, paidMinor: 0, taxMinor: 0 };
}

/** Merchants listed at most (a promoter's memberships are listed up to 100 elsewhere too). */
export const WALLET_MEMBERSHIPS_MAX = 100;

export async function promoterWallet(q: Sql, promoterId: string) {
  const programs = await q.query<{
    merchantId: string;
    merchantName: string;
    merchantSuspended: boolean;
    programId: string;
    programName: string;
    currency: string;
  }>(
    `SELECT m.merchant_id AS "merchantId", mc.name AS "merchantName", mc.status = 'suspended' AS "merchantSuspended",
            m.program_id AS "programId", pr.name AS "programName", pr.currency
     FROM memberships m JOIN programs pr ON pr.merchant_id = m.merchant_id AND pr.id = m.program_id JOIN merchants mc ON mc.id = m.merchant_id
     WHERE m.promoter_id = $1 ORDER BY m.joined_at, m.program_id LIMIT ${WALLET_MEMBERSHIPS_MAX}`,
    [promoterId],
  );
  const merchantIds = [...new Set(programs.map((p) => p.merchantId))];
  const balances = merchantIds.length
    ? await q.query<{ merchantId: string; account: string; currency: string; balance: number }>(
        `SELECT merchant_id AS "merchantId", account, currency, balance_minor::bigint AS balance FROM account_balances
         WHERE merchant_id = ANY($1::text[]) AND account = ANY($2::text[])`,
        [merchantIds, TYPES.map((t) => `promoter:${promoterId}:${t}`)],
      )
    : [];
  type Entry = Figures & {
    merchantId: string;
    merchantName: string;
    /** Suspended by the platform: the balance stays the promoter's and is shown; withdrawals and new links wait. */
    merchantSuspended: boolean;
    currency: string;
    programs: { programId: string; programName: string }[];
  };
  const entries = new Map<string, Entry>();
  const entry = (merchantId: string, currency: string): Entry => {
    const k = `${merchantId}|${currency}`;
    let e = entries.get(k);
    if (!e) {
      const p = programs.find((x) => x.merchantId === merchantId);
      e = {
        merchantId,
        merchantName: p?.merchantName ?? "",
        merchantSuspended: p?.merchantSuspended ?? false,
        currency,
        ...zero(),
        programs: [],
      };
      entries.set(k, e);
    }
    return e;
  };
  for (const p of programs) entry(p.merchantId, p.currency).programs.push({ programId: p.programId, programName: p.programName });
  for (const b of balances) {
    const type = b.account.slice(b.account.lastIndexOf(":") + 1) as (typeof TYPES)[number];
    entry(b.merchantId, b.currency)[`${type}Minor`] += Number(b.balance);
  }
  const totals = new Map<string, Figures & { currency: string }>();
  for (const e of entries.values()) {
    const t = totals.get(e.currency) ?? { currency: e.currency, ...zero() };
    for (const k of Object.keys(zero()) as (keyof Figures)[]) t[k] += e[k];
    totals.set(e.currency, t);
  }
  return { merchants: [...entries.values()], totals: [...totals.values()] };
}
