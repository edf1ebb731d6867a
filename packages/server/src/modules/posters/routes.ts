import { createHash } from "node:crypto";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import type { Sql } from "../../db/client.ts";
import { authenticate, promoterOf } from "../../http/auth.ts";
import { fail, invalid } from "../../http/errors.ts";
import type { Api } from "../../http/types.ts";
import { myLink } from "../links/service.ts";
import { getProgram } from "../programs/repository.ts";
import { requireMembership } from "../promoters/repository.ts";
import { type PosterContent, renderPoster } from "./render.ts";

/** Posters kept in memory (about 30 KB each); the oldest used goes first. */
export const POSTER_CACHE_MAX = 256;
const cache = new Map<string, Buffer>();

/** The rendered poster for this content: from the cache, or drawn now (about 100 ms) and kept. */
async function posterPng(content: PosterContent): Promise<Buffer> {
  const key = createHash("sha256").update(JSON.stringify(content)).digest("hex");
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const png = await renderPoster(content);
  cache.set(key, png);
  if (cache.size > POSTER_CACHE_MAX) cache.delete(cache.keys().next().value as string);
  return png;
}

/** The merchant of the promoter's membership in `programId` when the caller did not name it. */
async function merchantOfProgram(q: Sql, promoterId: string, programId: string): Promise<string> {
  const rows = await q.query<{ merchant_id: string }>(
    "SELECT merchant_id FROM memberships WHERE promoter_id = $1 AND program_id = $2 ORDER BY merchant_id LIMIT 2",
    [promoterId, programId],
  );
  if (rows.length === 0) fail("NOT_FOUND", "You are not a member of this program.", { field: "programId" });
  if (rows.length > 1) invalid("merchantId", "programs of several merchants have this id: name the merchant");
  return (rows[0] as { merchant_id: string }).merchant_id;
}

/** What the poster shows; creates the promoter's link for the product if it has none yet (links/service.ts). */
async function posterContent(q: Sql, ctx: AppContext, promoterId: string, productId: string, programId: string, merchant?: string) {
  const merchantId = merchant ?? (await merchantOfProgram(q, promoterId, programId));
  const link = await myLink(q, ctx, promoterId, { merchantId, programId, productId });
  const program = await getProgram(q, merchantId, programId);
  const [product] = await q.query<{ name: string; price_minor: string | number }>(
    "SELECT name, price_minor FROM products WHERE merchant_id = $1 AND id = $2",
    [merchantId, productId],
  );
  const [promoter] = await q.query<{ name: string }>("SELECT name FROM promoters WHERE id = $1", [promoterId]);
  if (!product || !promoter) fail("NOT_FOUND", "No such product.", { field: "productId" });
  return {
    programName: program.name,
    productName: product.name,
    priceMinor: Number(product.price_minor),
    currency: program.currency,
    promoterName: promoter.name,
    url: `${ctx.config.publicUrl}/r/${link.code}`,
  };
}

/** Products a promoter may pick a poster for, at most this many. */
export const MY_PRODUCTS_MAX = 200;

export function registerPosterRoutes(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/me/products",
    {
      schema: {
        tags: ["portal"],
        summary: "The products of a program's merchant I can promote (for posters and product links), by name",
        querystring: z.object({ programId: z.string().min(1).max(64), merchantId: z.string().min(1).max(64).optional() }),
      },
    },
    async (req) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      return ctx.db.read(async (q) => {
        const merchantId = req.query.merchantId ?? (await merchantOfProgram(q, promoterId, req.query.programId));
        await requireMembership(q, merchantId, req.query.programId, promoterId);
        const items = await q.query<{ id: string; name: string; priceMinor: number }>(
          `SELECT id, name, price_minor AS "priceMinor" FROM products WHERE merchant_id = $1 ORDER BY name, id LIMIT $2`,
          [merchantId, MY_PRODUCTS_MAX],
        );
        return { items: items.map((p) => ({ ...p, priceMinor: Number(p.priceMinor) })) };
      });
    },
  );

  app.get(
    "/v1/me/posters/:productId",
    {
      schema: {
        tags: ["portal"],
        summary: "My promotion poster (推广海报) for a product: a PNG with the product, its price, my name and a QR code of my link",
        description:
          "Answers image/png (750 × 1200). The QR code encodes my short link for the product (the one POST /v1/me/links returns; made now if I have none).",
        params: z.object({ productId: z.string().min(1).max(64) }),
        querystring: z.object({ programId: z.string().min(1).max(64), merchantId: z.string().min(1).max(64).optional() }),
      },
    },
    async (req, reply) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      const { programId, merchantId } = req.query;
      const content = await ctx.db.tx((q) => posterContent(q, ctx, promoterId, req.params.productId, programId, merchantId));
      const png = await posterPng(content);
      return reply
        .type("image/png")
        .header("cache-control", "private, max-age=300")
        .header("content-disposition", `inline; filename="poster-${encodeURIComponent(req.params.productId)}.png"`)
        .send(png);
    },
  );
}
