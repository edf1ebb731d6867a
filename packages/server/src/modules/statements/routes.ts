/** Statement routes: a promoter's own (per merchant), a merchant's of one promoter, and the merchant's own month. */
import type { FastifyReply } from "fastify";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import type { Sql } from "../../db/client.ts";
import { authenticate, merchantOf, promoterOf } from "../../http/auth.ts";
import { fail } from "../../http/errors.ts";
import type { Api } from "../../http/types.ts";
import { merchantStatementCsv, promoterStatementCsv } from "./csv.ts";
import { merchantStatementPdf, promoterStatementPdf } from "./pdf.ts";
import { merchantsOfPromoter } from "./repository.ts";
import { MONTH_PATTERN, merchantStatement, type PromoterStatementDoc, promoterStatement } from "./service.ts";

const month = z.string().regex(MONTH_PATTERN, "a month YYYY-MM, e.g. 2026-11");
const format = z.enum(["json", "csv", "pdf"]).default("json");
const id = z.string().min(1).max(64);

export const CONTENT_TYPES = { csv: "text/csv; charset=utf-8", pdf: "application/pdf" } as const;

/** Send a file download (CSV or PDF) with a file name. */
export function sendFile(reply: FastifyReply, kind: "csv" | "pdf", name: string, body: string | Buffer) {
  return reply.type(CONTENT_TYPES[kind]).header("content-disposition", `attachment; filename="${name}.${kind}"`).send(body);
}

async function requireMembership(q: Sql, merchantId: string, promoterId: string): Promise<void> {
  const [row] = await q.query("SELECT 1 FROM memberships WHERE merchant_id = $1 AND promoter_id = $2 LIMIT 1", [merchantId, promoterId]);
  if (!row) fail("NOT_FOUND", `No promoter ${promoterId} with merchant ${merchantId}.`);
}

async function sendPromoterStatement(reply: FastifyReply, doc: PromoterStatementDoc, kind: "json" | "csv" | "pdf") {
  if (kind === "json") return doc;
  const name = `statement-${doc.merchant.id}-${doc.promoter.id}-${doc.month}`;
  return sendFile(reply, kind, name, kind === "csv" ? promoterStatementCsv(doc) : await promoterStatementPdf(doc));
}

export function registerStatementRoutes(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/me/statements",
    {
      schema: {
        tags: ["portal"],
        summary: "My monthly statements (对账单), one per merchant",
        querystring: z.object({ month }),
      },
    },
    async (req) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      const items = await ctx.db.read(async (q) => {
        const out: PromoterStatementDoc[] = [];
        for (const m of await merchantsOfPromoter(q, promoterId)) out.push(await promoterStatement(q, m, promoterId, req.query.month));
        return out;
      });
      return { month: req.query.month, items };
    },
  );

  app.get(
    "/v1/me/statements/:file",
    {
      schema: {
        tags: ["portal"],
        summary: "My statement with one merchant as a file: /v1/me/statements/2026-11.csv or 2026-11.pdf",
        params: z.object({ file: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])\.(csv|pdf)$/, "YYYY-MM.csv or YYYY-MM.pdf") }),
        querystring: z.object({ merchantId: id }),
      },
    },
    async (req, reply) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      const [m, ext] = req.params.file.split(".") as [string, "csv" | "pdf"];
      const doc = await ctx.db.read(async (q) => {
        await requireMembership(q, req.query.merchantId, promoterId);
        return promoterStatement(q, req.query.merchantId, promoterId, m);
      });
      return sendPromoterStatement(reply, doc, ext);
    },
  );

  app.get(
    "/v1/statements/promoters/:promoterId",
    {
      schema: {
        tags: ["statements"],
        summary: "A promoter's monthly statement with this merchant (JSON, CSV or PDF)",
        params: z.object({ promoterId: id }),
        querystring: z.object({ month, format }),
      },
    },
    async (req, reply) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const doc = await ctx.db.read(async (q) => {
        await requireMembership(q, merchantId, req.params.promoterId);
        return promoterStatement(q, merchantId, req.params.promoterId, req.query.month);
      });
      return sendPromoterStatement(reply, doc, req.query.format);
    },
  );

  app.get(
    "/v1/statements/merchant",
    {
      schema: {
        tags: ["statements"],
        summary: "The merchant's monthly statement: commissions, reversals, fees, top-ups, payouts (JSON, CSV or PDF)",
        querystring: z.object({ month, format }),
      },
    },
    async (req, reply) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const doc = await ctx.db.read((q) => merchantStatement(q, merchantId, req.query.month));
      const kind = req.query.format;
      if (kind === "json") return doc;
      const name = `merchant-statement-${merchantId}-${doc.month}`;
      return sendFile(reply, kind, name, kind === "csv" ? merchantStatementCsv(doc) : await merchantStatementPdf(doc));
    },
  );
}
