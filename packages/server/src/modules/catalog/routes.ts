import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { authenticate, merchantOf } from "../../http/auth.ts";
import { requiredName } from "../../http/input.ts";
import { pageQuery } from "../../http/pagination.ts";
import type { Api } from "../../http/types.ts";
import { landingUrl } from "../../http/urls.ts";
import { registerEffectiveRateRoutes } from "./effective-rates.ts";

/** Products and categories are upserted in batches of at most this many. */
export const CATALOG_BATCH_MAX = 500;

const category = z.object({ id: z.string().min(1).max(64), name: requiredName(100), parentId: z.string().min(1).max(64).nullish() });
const product = z.object({
  id: z.string().min(1).max(64),
  name: requiredName(200),
  categoryId: z.string().min(1).max(64).nullish(),
  priceMinor: z.number().int().min(0).max(1e12).default(0),
  landingUrl: landingUrl.nullish().describe("the product's own landing page (http or https); else the program's with ?product="),
});

export function registerCatalogRoutes(app: Api, ctx: AppContext): void {
  registerEffectiveRateRoutes(app, ctx);
  app.put(
    "/v1/categories",
    {
      schema: {
        tags: ["catalog"],
        summary: "Create or update categories",
        body: z.object({ items: z.array(category).min(1).max(CATALOG_BATCH_MAX) }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      await ctx.db.tx(async (q) => {
        for (const c of req.body.items) {
          await q.query(
            `INSERT INTO categories (merchant_id, id, name, parent_id) VALUES ($1, $2, $3, $4)
             ON CONFLICT (merchant_id, id) DO UPDATE SET name = EXCLUDED.name, parent_id = EXCLUDED.parent_id`,
            [merchantId, c.id, c.name, c.parentId ?? null],
          );
        }
      });
      return { upserted: req.body.items.length };
    },
  );

  app.get("/v1/categories", { schema: { tags: ["catalog"], summary: "List categories" } }, async (req) => {
    const merchantId = merchantOf(await authenticate(ctx, req));
    return {
      items: await ctx.db.read((q) =>
        q.query(`SELECT id, name, parent_id AS "parentId" FROM categories WHERE merchant_id = $1 ORDER BY id LIMIT 1000`, [merchantId]),
      ),
    };
  });

  app.put(
    "/v1/products",
    {
      schema: {
        tags: ["catalog"],
        summary: "Create or update products",
        body: z.object({ items: z.array(product).min(1).max(CATALOG_BATCH_MAX) }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      await ctx.db.tx(async (q) => {
        for (const p of req.body.items) await upsertProduct(q, merchantId, p);
      });
      return { upserted: req.body.items.length };
    },
  );

  app.get(
    "/v1/products",
    { schema: { tags: ["catalog"], summary: "List products", querystring: pageQuery.pick({ limit: true }) } },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return {
        items: await ctx.db.read((q) =>
          q.query(
            `SELECT id, name, category_id AS "categoryId", price_minor AS "priceMinor", landing_url AS "landingUrl" FROM products WHERE merchant_id = $1 ORDER BY id LIMIT $2`,
            [merchantId, req.query.limit],
          ),
        ),
      };
    },
  );
}

export async function upsertProduct(
  q: import("../../db/client.ts").Sql,
  merchantId: string,
  p: { id: string; name: string; categoryId?: string | null; priceMinor: number; landingUrl?: string | null },
): Promise<void> {
  await q.query(
    `INSERT INTO products (merchant_id, id, name, category_id, price_minor, landing_url) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (merchant_id, id) DO UPDATE SET name = EXCLUDED.name, category_id = EXCLUDED.category_id, price_minor = EXCLUDED.price_minor, landing_url = EXCLUDED.landing_url`,
    [merchantId, p.id, p.name, p.categoryId ?? null, p.priceMinor, p.landingUrl ?? null],
  );
}
