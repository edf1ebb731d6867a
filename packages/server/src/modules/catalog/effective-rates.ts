/**
 * GET /v1/programs/:programId/effective-rates: a page of the merchant's products (or categories) with the rates the
 * plan in force at `at` pays on them and why — computed by core's `effectiveRate` (a probe order through the engine),
 * never by reading the plan here.
 */
import { type EffectiveRate, effectiveRate, parsePlan } from "@fenxiao/core";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import type { Sql } from "../../db/client.ts";
import { authenticate, merchantOf } from "../../http/auth.ts";
import { isoDateTime } from "../../http/dates.ts";
import { offsetPageQuery } from "../../http/pagination.ts";
import type { Api } from "../../http/types.ts";
import { getProgram, planInForce } from "../programs/repository.ts";

const id = z.string().min(1).max(64);

export const effectiveRatesQuery = offsetPageQuery.extend({
  kind: z
    .enum(["product", "category"])
    .default("product")
    .describe("rates of products, or of categories (a product of it with no rate of its own)"),
  productId: id.optional(),
  categoryId: id.optional().describe("products of this category, or this category"),
  q: z.string().min(1).max(100).optional().describe("part of the name or id"),
  at: isoDateTime.optional().describe("the instant (default now): the plan version and campaigns in force then"),
  firstOrder: z.enum(["true", "false"]).default("true").describe("the customer's first order (first/repeat rates)"),
  channel: z.string().min(1).max(32).default("online").describe("the order's channel (channel uplifts)"),
  rank: id.optional().describe("the seller's rank (default the base rank)"),
});
type Query = z.infer<typeof effectiveRatesQuery>;

interface Item {
  id: string;
  name: string;
  categoryId: string | null;
  categoryName: string | null;
  priceMinor: number | null;
}

const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

async function products(q: Sql, merchantId: string, f: Query): Promise<{ items: Item[]; total: number }> {
  const where = `p.merchant_id = $1 AND ($2::text IS NULL OR p.id = $2) AND ($3::text IS NULL OR p.category_id = $3)
    AND ($4::text IS NULL OR p.name ILIKE $4 OR p.id ILIKE $4)`;
  const params = [merchantId, f.productId ?? null, f.categoryId ?? null, f.q ? like(f.q) : null];
  const items = await q.query<Item & Record<string, unknown>>(
    `SELECT p.id, p.name, p.category_id AS "categoryId", c.name AS "categoryName", p.price_minor AS "priceMinor"
     FROM products p LEFT JOIN categories c ON c.merchant_id = p.merchant_id AND c.id = p.category_id
     WHERE ${where} ORDER BY p.id LIMIT $5 OFFSET $6`,
    [...params, f.limit, f.offset],
  );
  const [n] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM products p WHERE ${where}`, params);
  return { items: items.map((i) => ({ ...i, priceMinor: Number(i.priceMinor) })), total: n?.n ?? 0 };
}

async function categories(q: Sql, merchantId: string, f: Query): Promise<{ items: Item[]; total: number }> {
  const where = `c.merchant_id = $1 AND ($2::text IS NULL OR c.id = $2) AND ($3::text IS NULL OR c.name ILIKE $3 OR c.id ILIKE $3)`;
  const params = [merchantId, f.categoryId ?? null, f.q ? like(f.q) : null];
  const items = await q.query<Item & Record<string, unknown>>(
    `SELECT c.id, c.name, c.id AS "categoryId", c.name AS "categoryName", NULL::bigint AS "priceMinor"
     FROM categories c WHERE ${where} ORDER BY c.id LIMIT $4 OFFSET $5`,
    [...params, f.limit, f.offset],
  );
  const [n] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM categories c WHERE ${where}`, params);
  return { items, total: n?.n ?? 0 };
}

export function registerEffectiveRateRoutes(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/programs/:programId/effective-rates",
    {
      schema: {
        tags: ["catalog"],
        summary:
          "Products (or categories) with the commission rates the plan in force pays on them — seller, level 1, level 2 — and why, computed by the plan engine on a one-unit probe order",
        params: z.object({ programId: id }),
        querystring: effectiveRatesQuery,
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const f = req.query;
      const at = f.at ? new Date(f.at) : ctx.clock.now();
      return ctx.db.read(async (q) => {
        const program = await getProgram(q, merchantId, req.params.programId);
        const version = await planInForce(q, merchantId, program.id, at);
        const parsed = version ? parsePlan(version.document) : null;
        if (parsed && !parsed.ok) throw new Error(`stored plan version ${version?.version} no longer parses`);
        const doc = parsed?.ok ? parsed.plan : null;
        const page = f.kind === "product" ? await products(q, merchantId, f) : await categories(q, merchantId, f);
        const options = {
          at: at.toISOString(),
          isFirstOrder: f.firstOrder === "true",
          channel: f.channel,
          rank: f.rank ?? null,
          roundingMode: program.roundingMode,
          currency: program.currency,
        };
        return {
          programId: program.id,
          currency: program.currency,
          planVersion: version?.version ?? null,
          at: options.at,
          firstOrder: options.isFirstOrder,
          channel: options.channel,
          rank: options.rank,
          total: page.total,
          items: page.items.map((i) => ({
            kind: f.kind,
            ...i,
            rates: doc
              ? (effectiveRate(
                  doc,
                  {
                    productId: f.kind === "product" ? i.id : null,
                    categoryId: i.categoryId,
                    priceMinor: i.priceMinor ?? 0,
                    productName: f.kind === "product" ? i.name : null,
                  },
                  options,
                ) satisfies EffectiveRate)
              : null,
          })),
        };
      });
    },
  );
}
