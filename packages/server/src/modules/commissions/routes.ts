import { z } from "zod";
import type { AppContext } from "../../context.ts";
import type { Sql } from "../../db/client.ts";
import { authenticate, merchantOf, promoterOf } from "../../http/auth.ts";
import { type CsvColumn, sendCsv } from "../../http/csv.ts";
import { decodeCursor, EXPORT_PAGE, page, pageQuery } from "../../http/pagination.ts";
import type { Api } from "../../http/types.ts";
import { maskRef } from "../customers/mask.ts";
import { getProgram } from "../programs/repository.ts";
import { requireMembership } from "../promoters/repository.ts";

const COLS = `cl.id, cl.program_id AS "programId", cl.order_id AS "orderId", o.order_ref AS "orderRef", cl.line_no AS "lineNo", cl.beneficiary_id AS "beneficiaryId",
  cl.level, cl.kind, cl.base_minor AS "baseMinor", cl.rate_bps AS "rateBps", cl.amount_minor AS "amountMinor", cl.reversed_minor AS "reversedMinor",
  (cl.amount_minor - cl.reversed_minor) AS "netMinor", cl.currency, cl.state, cl.attribution_path AS "attributionPath", cl.plan_version AS "planVersion",
  cl.period_key AS "periodKey", cl.trace, cl.explanation_zh AS "explanationZh", cl.explanation_en AS "explanationEn", cl.available_at AS "availableAt",
  cl.released_at AS "releasedAt", cl.created_at AS "createdAt", ol.refunded_minor AS "lineRefundedMinor"`;

async function list(
  q: Sql,
  merchantId: string,
  f: { beneficiaryId?: string | null; programId?: string | null; state?: string | null; orderRef?: string | null },
  limit: number,
  cursor: string | undefined,
) {
  const cur = decodeCursor(cursor);
  const rows = await q.query<{ id: string; createdAt: Date }>(
    `SELECT ${COLS} FROM commission_lines cl LEFT JOIN orders o ON o.merchant_id = cl.merchant_id AND o.id = cl.order_id
     LEFT JOIN order_lines ol ON ol.merchant_id = cl.merchant_id AND ol.order_id = cl.order_id AND ol.line_no = cl.line_no
     WHERE cl.merchant_id = $1 AND ($2::text IS NULL OR cl.beneficiary_id = $2) AND ($3::text IS NULL OR cl.program_id = $3) AND ($4::text IS NULL OR cl.state = $4)
       AND ($5::text IS NULL OR o.order_ref = $5) AND ($6::timestamptz IS NULL OR (cl.created_at, cl.id) < ($6::timestamptz, $7::text))
     ORDER BY cl.created_at DESC, cl.id DESC LIMIT $8`,
    [
      merchantId,
      f.beneficiaryId ?? null,
      f.programId ?? null,
      f.state ?? null,
      f.orderRef ?? null,
      cur?.at ?? null,
      cur?.id ?? null,
      limit + 1,
    ],
  );
  return page(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
}

type Line = Record<string, unknown>;
const COMMISSION_CSV: CsvColumn<Line>[] = [
  "id",
  "programId",
  "orderRef",
  "lineNo",
  "beneficiaryId",
  "level",
  "kind",
  "baseMinor",
  "rateBps",
  "amountMinor",
  "reversedMinor",
  "netMinor",
  "currency",
  "state",
  "attributionPath",
  "planVersion",
  "periodKey",
  "explanationZh",
  "explanationEn",
  "availableAt",
  "releasedAt",
  "createdAt",
].map((k) => ({ header: k, value: (r: Line) => r[k] }));

/** What a promoter may see of a line: customer references in the trace are masked like the portal's orders (SPEC §6). */
function forPromoter<T extends object>(row: T): T {
  const trace = (row as { trace?: Record<string, unknown> | null }).trace;
  if (!trace || typeof trace.referrerCustomerRef !== "string") return row;
  return { ...row, trace: { ...trace, referrerCustomerRef: maskRef(trace.referrerCustomerRef) } };
}

const filters = pageQuery.extend({
  programId: z.string().min(1).max(64).optional(),
  state: z.enum(["pending", "available", "held", "reversed"]).optional(),
  orderRef: z.string().min(1).max(128).optional(),
});

/**
 * My earnings in a program: the net (amount − reversed) of my commission lines created today, this month (both in the
 * program's time zone) and ever. A reversal counts against the day its line was created.
 */
async function earnings(q: Sql, merchantId: string, programId: string, promoterId: string, now: Date) {
  const program = await getProgram(q, merchantId, programId);
  const [row] = await q.query<{ today: string; month: string; total: string }>(
    `SELECT coalesce(sum(net) FILTER (WHERE local >= date_trunc('day', $5::timestamptz AT TIME ZONE $4)), 0)::bigint AS today,
            coalesce(sum(net) FILTER (WHERE local >= date_trunc('month', $5::timestamptz AT TIME ZONE $4)), 0)::bigint AS month,
            coalesce(sum(net), 0)::bigint AS total
     FROM (SELECT amount_minor - reversed_minor AS net, created_at AT TIME ZONE $4 AS local FROM commission_lines
           WHERE merchant_id = $1 AND program_id = $2 AND beneficiary_id = $3) l`,
    [merchantId, programId, promoterId, program.timezone, now],
  );
  return {
    currency: program.currency,
    timezone: program.timezone,
    todayMinor: Number(row?.today ?? 0),
    monthMinor: Number(row?.month ?? 0),
    totalMinor: Number(row?.total ?? 0),
  };
}

export function registerCommissionRoutes(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/me/earnings",
    {
      schema: {
        tags: ["portal"],
        summary: "My earnings in a program: today, this month (in the program's time zone) and in total, net of reversals",
        querystring: z.object({ merchantId: z.string().min(1).max(64), programId: z.string().min(1).max(64) }),
      },
    },
    async (req) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      const { merchantId, programId } = req.query;
      return ctx.db.read(async (q) => {
        await requireMembership(q, merchantId, programId, promoterId);
        return earnings(q, merchantId, programId, promoterId, ctx.clock.now());
      });
    },
  );

  app.get(
    "/v1/commissions",
    {
      schema: {
        tags: ["commissions"],
        summary: "Commission lines with trace and explanation (zh, en)",
        querystring: filters.extend({ promoterId: z.string().min(1).max(64).optional() }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read((q) =>
        list(q, merchantId, { ...req.query, beneficiaryId: req.query.promoterId }, req.query.limit, req.query.cursor),
      );
    },
  );

  app.get(
    "/v1/commissions/export.csv",
    {
      schema: {
        tags: ["commissions"],
        summary: "Commission lines as CSV (UTF-8 with BOM), with the list's filters",
        querystring: filters.omit({ limit: true, cursor: true }).extend({ promoterId: z.string().min(1).max(64).optional() }),
      },
    },
    async (req, reply) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const f = { ...req.query, beneficiaryId: req.query.promoterId };
      await sendCsv(reply, "commissions.csv", COMMISSION_CSV, (cursor) =>
        ctx.db.read((q) => list(q, merchantId, f, EXPORT_PAGE, cursor ?? undefined)),
      );
    },
  );

  app.get(
    "/v1/me/commissions",
    {
      schema: {
        tags: ["portal"],
        summary: "My commission lines: why did I get ¥12.34",
        querystring: filters.extend({ merchantId: z.string().min(1).max(64) }),
      },
    },
    async (req) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      const p = await ctx.db.read((q) =>
        list(q, req.query.merchantId, { ...req.query, beneficiaryId: promoterId }, req.query.limit, req.query.cursor),
      );
      return { ...p, items: p.items.map(forPromoter) };
    },
  );
}
