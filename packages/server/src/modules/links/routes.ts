import { z } from "zod";
import type { AppContext } from "../../context.ts";
import type { Sql } from "../../db/client.ts";
import { authenticate, merchantOf, promoterOf } from "../../http/auth.ts";
import { ApiError, fail } from "../../http/errors.ts";
import { decodeCursor, page, pageQuery } from "../../http/pagination.ts";
import type { Api } from "../../http/types.ts";
import { isWebUrl } from "../../http/urls.ts";
import { newId, randomBase32 } from "../../ids.ts";
import { codeOwner } from "../codes/repository.ts";
import { requireActiveMerchant, SUSPENDED_PAGE } from "../merchants/status.ts";
import { getProgram } from "../programs/repository.ts";
import { myLink, withParams } from "./service.ts";

/** Links per page at most (and by default: one page held every link before paging was added). */
export const LINKS_PAGE_MAX = 500;
const linksLimit = z.coerce.number().int().min(1).max(LINKS_PAGE_MAX).default(LINKS_PAGE_MAX);

/** Redirect targets get these query parameters so the shop can send them back with the order. */
export const CLICK_TOKEN_PARAM = "fx_click";

interface LinkTarget {
  merchantId: string;
  programId: string;
  promoterId: string;
  productId: string | null;
  url: string;
}

/**
 * Where /r/{code} leads: the code registry names the owner and its merchant; a link code leads to its stored target,
 * a membership's own code to the program's landing page. Only http(s) targets are followed.
 */
async function linkTarget(q: Sql, code: string): Promise<LinkTarget> {
  const owner = await codeOwner(q, code);
  if (!owner) fail("LINK_UNKNOWN");
  const { merchantId, programId, promoterId } = owner;
  await requireActiveMerchant(q, merchantId);
  let target: LinkTarget;
  if (owner.kind === "link") {
    const [link] = await q.query<{ product_id: string | null; target_url: string }>(
      "SELECT product_id, target_url FROM links WHERE merchant_id = $1 AND code = $2",
      [merchantId, code],
    );
    if (!link) fail("LINK_UNKNOWN");
    target = { merchantId, programId, promoterId, productId: link.product_id, url: link.target_url };
  } else {
    const program = await getProgram(q, merchantId, programId);
    target = { merchantId, programId, promoterId, productId: null, url: program.landingUrl };
  }
  if (!isWebUrl(target.url)) fail("LINK_UNKNOWN", "This link's landing page is not an http(s) URL.");
  return target;
}

export function registerLinkRoutes(app: Api, ctx: AppContext): void {
  app.post(
    "/v1/me/links",
    {
      schema: {
        tags: ["portal"],
        summary: "My short link for a program (optionally for one product); the same link is returned on repeat",
        body: z.object({
          merchantId: z.string().min(1).max(64),
          programId: z.string().min(1).max(64),
          productId: z.string().min(1).max(64).optional(),
        }),
      },
    },
    async (req, reply) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      const b = req.body;
      const link = await ctx.db.tx((q) => myLink(q, ctx, promoterId, b));
      return reply.status(link.created ? 201 : 200).send({ ...link, url: `${ctx.config.publicUrl}/r/${link.code}` });
    },
  );

  app.get(
    "/v1/me/links",
    {
      schema: {
        tags: ["portal"],
        summary: "My links in a program, oldest first; `nextCursor` pages on",
        querystring: z.object({
          merchantId: z.string().min(1).max(64),
          programId: z.string().min(1).max(64),
          limit: linksLimit,
          cursor: pageQuery.shape.cursor,
        }),
      },
    },
    async (req) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      const after = decodeCursor(req.query.cursor);
      const rows = await ctx.db.read((q) =>
        q.query<{ code: string; productId: string | null; targetUrl: string; clicks: number; createdAt: string }>(
          `SELECT l.code, l.product_id AS "productId", l.target_url AS "targetUrl", l.created_at AS "createdAt",
                  (SELECT count(*) FROM clicks c WHERE c.merchant_id = l.merchant_id AND c.link_code = l.code)::int AS clicks
           FROM links l WHERE l.merchant_id = $1 AND l.program_id = $2 AND l.promoter_id = $3
             AND ($4::timestamptz IS NULL OR (date_trunc('milliseconds', l.created_at), l.code) > ($4::timestamptz, $5::text))
           ORDER BY date_trunc('milliseconds', l.created_at), l.code LIMIT $6`,
          [req.query.merchantId, req.query.programId, promoterId, after?.at ?? null, after?.id ?? null, req.query.limit + 1],
        ),
      );
      const { items, nextCursor } = page(rows, req.query.limit, (r) => ({ at: r.createdAt, id: r.code }));
      return { items: items.map(({ createdAt: _, ...r }) => ({ ...r, url: `${ctx.config.publicUrl}/r/${r.code}` })), nextCursor };
    },
  );

  app.get(
    "/v1/links",
    {
      schema: {
        tags: ["promoters"],
        summary: "All links of the merchant's promoters, newest first; `nextCursor` pages on",
        querystring: z.object({ programId: z.string().min(1).max(64).optional(), limit: linksLimit, cursor: pageQuery.shape.cursor }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const after = decodeCursor(req.query.cursor);
      const rows = await ctx.db.read((q) =>
        q.query<{ code: string; createdAt: string }>(
          `SELECT code, program_id AS "programId", promoter_id AS "promoterId", product_id AS "productId", target_url AS "targetUrl", created_at AS "createdAt"
           FROM links WHERE merchant_id = $1 AND ($2::text IS NULL OR program_id = $2)
             AND ($3::timestamptz IS NULL OR (date_trunc('milliseconds', created_at), code) < ($3::timestamptz, $4::text))
           ORDER BY date_trunc('milliseconds', created_at) DESC, code DESC LIMIT $5`,
          [merchantId, req.query.programId ?? null, after?.at ?? null, after?.id ?? null, req.query.limit + 1],
        ),
      );
      return page(rows, req.query.limit, (r) => ({ at: r.createdAt, id: r.code }));
    },
  );

  // Public click tracking: records the click, then redirects to the landing page with a click token.
  app.get(
    "/r/:code",
    {
      schema: {
        tags: ["tracking"],
        summary: "Follow a promoter's link: records a click and redirects with fx_click",
        security: [],
        params: z.object({ code: z.string().min(4).max(16) }),
        // any query (links carry utm_… parameters), checked like every input for NUL and lone surrogates
        querystring: z.object({}).passthrough(),
      },
    },
    async (req, reply) => {
      const code = req.params.code.toUpperCase();
      const at = ctx.clock.now();
      const out = await ctx.db
        .tx(async (q) => {
          const target = await linkTarget(q, code);
          const token = `clk_${randomBase32(24)}`;
          await q.query(
            `INSERT INTO clicks (merchant_id, id, token, link_code, program_id, promoter_id, product_id, ip, user_agent, clicked_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
            [
              target.merchantId,
              newId("clk"),
              token,
              code,
              target.programId,
              target.promoterId,
              target.productId,
              req.ip,
              (req.headers["user-agent"] ?? "").slice(0, 300),
              at,
            ],
          );
          return { url: withParams(target.url, { [CLICK_TOKEN_PARAM]: token }) };
        })
        .catch((e: unknown) => {
          // A browser following a suspended merchant's link gets a page that says so; any other client the JSON error.
          if (e instanceof ApiError && e.code === "MERCHANT_SUSPENDED" && (req.headers.accept ?? "").includes("text/html")) return null;
          throw e;
        });
      if (!out) return reply.status(403).type("text/html; charset=utf-8").send(SUSPENDED_PAGE);
      return reply.redirect(out.url, 302);
    },
  );
}
