import { PROMOTER_ACCOUNT_TYPES, promoterAccount } from "@fenxiao/core";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import type { Sql } from "../../db/client.ts";
import { authenticate, merchantOf, promoterOf } from "../../http/auth.ts";
import { invalid } from "../../http/errors.ts";
import { pageQuery } from "../../http/pagination.ts";
import type { Api } from "../../http/types.ts";
import { verifyMerchantLedger } from "./repository.ts";

export async function promoterBalances(q: Sql, merchantId: string, promoterId: string) {
  const rows = await q.query<{ account: string; currency: string; balance_minor: number }>(
    "SELECT account, currency, balance_minor FROM account_balances WHERE merchant_id = $1 AND account = ANY($2)",
    [merchantId, PROMOTER_ACCOUNT_TYPES.map((t) => promoterAccount(promoterId, t))],
  );
  const out: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    const type = r.account.split(":")[2] as string;
    out[r.currency] ??= Object.fromEntries(PROMOTER_ACCOUNT_TYPES.map((t) => [`${t}Minor`, 0]));
    (out[r.currency] as Record<string, number>)[`${type}Minor`] = Number(r.balance_minor);
  }
  return Object.entries(out).map(([currency, b]) => ({ currency, ...b }));
}

/** Transactions touching one account, newest first, with all their postings. Keyset on seq. */
async function accountTransactions(q: Sql, merchantId: string, account: string, limit: number, beforeSeq: number | null) {
  const txs = await q.query<{
    seq: number;
    kind: string;
    cause_ref: string;
    memo: string;
    created_at: Date;
    hash: string;
    amount_minor: number;
  }>(
    `SELECT t.seq, t.kind, t.cause_ref, t.memo, t.created_at, t.hash, p.amount_minor FROM ledger_postings p
     JOIN ledger_transactions t ON t.merchant_id = p.merchant_id AND t.seq = p.tx_seq
     WHERE p.merchant_id = $1 AND p.account = $2 AND ($3::bigint IS NULL OR p.tx_seq < $3) ORDER BY p.tx_seq DESC LIMIT $4`,
    [merchantId, account, beforeSeq, limit + 1],
  );
  const more = txs.length > limit;
  const items = (more ? txs.slice(0, limit) : txs).map((t) => ({
    seq: Number(t.seq),
    kind: t.kind,
    causeRef: t.cause_ref,
    memo: t.memo,
    createdAt: t.created_at,
    hash: t.hash,
    amountMinor: Number(t.amount_minor),
  }));
  return { items, nextCursor: more ? String(items[items.length - 1]?.seq) : null };
}

const seqCursor = z.object({
  limit: pageQuery.shape.limit,
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, "a cursor returned by this endpoint")
    .optional(),
});

export function registerLedgerRoutes(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/balances",
    {
      schema: {
        tags: ["ledger"],
        summary: "A promoter's balances (pending, available, locked, paid, tax, held) with this merchant",
        querystring: z.object({ promoterId: z.string().min(1).max(64) }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return {
        promoterId: req.query.promoterId,
        balances: await ctx.db.read((q) => promoterBalances(q, merchantId, req.query.promoterId)),
      };
    },
  );

  app.get(
    "/v1/ledger/transactions",
    {
      schema: {
        tags: ["ledger"],
        summary: "Ledger transactions of one account, e.g. promoter:<id>:available or merchant:<id>:commission_expense",
        querystring: seqCursor.extend({ account: z.string().min(3).max(200) }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const acc = req.query.account;
      if (acc.startsWith("merchant:") && acc.split(":")[1] !== merchantId) invalid("account", "not an account of this merchant");
      return ctx.db.read((q) =>
        accountTransactions(q, merchantId, acc, req.query.limit, req.query.cursor ? Number(req.query.cursor) : null),
      );
    },
  );

  app.get(
    "/v1/ledger/verify",
    { schema: { tags: ["ledger"], summary: "Recompute the hash chain and every balance from the postings" } },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return verifyMerchantLedger(ctx.db, merchantId);
    },
  );

  app.get(
    "/v1/me/balances",
    {
      schema: {
        tags: ["portal"],
        summary:
          "My wallet: balances with one merchant, or (without merchantId) with every merchant I promote for plus totals per currency",
        querystring: z.object({ merchantId: z.string().min(1).max(64).optional() }),
      },
    },
    async (req) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      const merchantId = req.query.merchantId;
      if (merchantId) return { promoterId, balances: await ctx.db.read((q) => promoterBalances(q, merchantId, promoterId)) };
      return ctx.db.read(async (q) => {
        const merchants = await q.query<{ merchant_id: string; name: string }>(
          "SELECT DISTINCT m.merchant_id, mc.name FROM memberships m JOIN merchants mc ON mc.id = m.merchant_id WHERE m.promoter_id = $1 ORDER BY m.merchant_id LIMIT 100",
          [promoterId],
        );
        const byMerchant = [];
        const totals = new Map<string, Record<string, number>>();
        for (const m of merchants) {
          const balances = await promoterBalances(q, m.merchant_id, promoterId);
          byMerchant.push({ merchantId: m.merchant_id, merchantName: m.name, balances });
          for (const b of balances) {
            const t = totals.get(b.currency) ?? {};
            for (const [k, v] of Object.entries(b)) if (typeof v === "number") t[k] = (t[k] ?? 0) + v;
            totals.set(b.currency, t);
          }
        }
        return { promoterId, merchants: byMerchant, totals: [...totals].map(([currency, t]) => ({ currency, ...t })) };
      });
    },
  );

  app.get(
    "/v1/me/ledger",
    {
      schema: {
        tags: ["portal"],
        summary: "Ledger transactions of one of my accounts",
        querystring: seqCursor.extend({ merchantId: z.string().min(1).max(64), type: z.enum(PROMOTER_ACCOUNT_TYPES).default("available") }),
      },
    },
    async (req) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      return ctx.db.read((q) =>
        accountTransactions(
          q,
          req.query.merchantId,
          promoterAccount(promoterId, req.query.type),
          req.query.limit,
          req.query.cursor ? Number(req.query.cursor) : null,
        ),
      );
    },
  );
}
