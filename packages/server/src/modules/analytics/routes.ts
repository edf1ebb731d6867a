/** Analytics (SPEC §8, docs/analytics.md): every figure computed in SQL over the program and the period asked. */
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import type { Sql } from "../../db/client.ts";
import { actorOf, authenticate, merchantOf, promoterOf } from "../../http/auth.ts";
import type { Api } from "../../http/types.ts";
import { audit } from "../audit/repository.ts";
import { idempotencyHeaders, idempotent, keyOf, sendStored } from "../idempotency/service.ts";
import { readFigures } from "./fold.ts";
import { promoterFigures } from "./me.ts";
import { funnel, topProducts, topPromoters, trends } from "./repository.ts";
import {
  alertsOf,
  bps,
  PERIOD_DAYS_MAX,
  type Period,
  previousOf,
  resolvePeriod,
  SWING_BPS_DEFAULT,
  summary,
  writeBaseline,
} from "./service.ts";

const id = z.string().min(1).max(64);
const date = z.iso.date().describe("a calendar date YYYY-MM-DD in the program's time zone");
const period = z.object({
  programId: id,
  from: date.describe("first day of the period (included), in the program's time zone"),
  to: date.describe(`last day of the period (included); at most ${PERIOD_DAYS_MAX} days after from`),
});
type PeriodQuery = z.infer<typeof period>;
const limit = z.coerce.number().int().min(1).max(100).default(10);

export function registerAnalyticsRoutes(app: Api, ctx: AppContext): void {
  const tags = ["analytics"];
  /** The caller's merchant and the period asked, then `f` over them in one read. */
  async function over<T>(req: FastifyRequest & { query: PeriodQuery }, f: (q: Sql, p: Period) => Promise<T>): Promise<T> {
    const merchantId = merchantOf(await authenticate(ctx, req));
    const { programId, from, to } = req.query;
    return readFigures(ctx.db, async (q) => f(q, await resolvePeriod(q, merchantId, programId, from, to)));
  }

  app.get(
    "/v1/analytics/summary",
    {
      schema: {
        tags,
        summary: "Sales through promoters, commission cost and ratio, 参与率, referred customers per promoter per month, 返利ROI",
        querystring: period,
      },
    },
    async (req) => over(req, (q, p) => summary(q, p)),
  );

  app.get(
    "/v1/analytics/trends",
    {
      schema: {
        tags,
        summary: "Orders, sales, unattributed sales and commission per day, ISO week or month of the program's time zone",
        querystring: period.extend({ granularity: z.enum(["day", "week", "month"]).default("day") }),
      },
    },
    async (req) =>
      over(req, async (q, p) => ({
        programId: p.program.id,
        timezone: p.program.timezone,
        from: p.from,
        to: p.to,
        granularity: req.query.granularity,
        buckets: await trends(q, p.scope, req.query.granularity, p.program.timezone),
      })),
  );

  app.get(
    "/v1/analytics/top-promoters",
    { schema: { tags, summary: "Promoters by sales through them in the period", querystring: period.extend({ limit }) } },
    async (req) => over(req, async (q, p) => ({ from: p.from, to: p.to, items: await topPromoters(q, p.scope, req.query.limit) })),
  );

  app.get(
    "/v1/analytics/top-products",
    { schema: { tags, summary: "Products by net sales of attributed orders in the period", querystring: period.extend({ limit }) } },
    async (req) => over(req, async (q, p) => ({ from: p.from, to: p.to, items: await topProducts(q, p.scope, req.query.limit) })),
  );

  app.get(
    "/v1/analytics/funnel",
    { schema: { tags, summary: "Click → customer → order funnel, orders by channel", querystring: period } },
    async (req) =>
      over(req, async (q, p) => {
        const f = await funnel(q, p.scope, null);
        return {
          from: p.from,
          to: p.to,
          ...f,
          clickToCustomerBps: bps(f.clickCustomers, f.clicks),
          clickCustomerOrderBps: bps(f.clickCustomersOrdered, f.clickCustomers),
        };
      }),
  );

  app.get(
    "/v1/analytics/alerts",
    {
      schema: {
        tags,
        summary: "KPI alerts: the seeds' targets, and swings against the previous period of the same length",
        querystring: period.extend({
          swingBps: z.coerce
            .number()
            .int()
            .min(1)
            .max(100_000)
            .default(SWING_BPS_DEFAULT)
            .describe("a change larger than this share of the previous value raises an alert (3000 = 30 %)"),
        }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return readFigures(ctx.db, async (q) => {
        const cur = await resolvePeriod(q, merchantId, req.query.programId, req.query.from, req.query.to);
        const prevDates = previousOf(cur);
        const prev = await resolvePeriod(q, merchantId, req.query.programId, prevDates.from, prevDates.to);
        const [a, b] = [await summary(q, cur), await summary(q, prev)];
        return {
          from: cur.from,
          to: cur.to,
          previous: { from: prev.from, to: prev.to },
          swingBps: req.query.swingBps,
          alerts: alertsOf(a, b, req.query.swingBps),
        };
      });
    },
  );

  app.put(
    "/v1/programs/:programId/analytics-baseline",
    {
      schema: {
        tags,
        summary: "Record the program's baseline (sales per day without the program) for incremental 返利ROI; null removes it",
        headers: idempotencyHeaders,
        params: z.object({ programId: id }),
        body: z.object({
          dailySalesMinor: z.number().int().min(0).max(1_000_000_000_000).nullable(),
          note: z.string().max(200).optional(),
        }),
      },
    },
    async (req, reply) => {
      const who = await authenticate(ctx, req);
      const merchantId = merchantOf(who);
      const { programId } = req.params;
      const out = await ctx.db.tx((q) =>
        idempotent(
          q,
          merchantId,
          "PUT /v1/programs/analytics-baseline",
          keyOf(req.headers),
          { programId, ...req.body },
          ctx.clock.now(),
          async () => {
            const baseline = await writeBaseline(q, merchantId, programId, req.body, ctx.clock.now());
            await audit(q, merchantId, actorOf(who), "analytics.baseline", `program:${programId}`, { ...req.body }, ctx.clock.now());
            return { statusCode: 200, body: { programId, baseline } };
          },
        ),
      );
      return sendStored(reply, out);
    },
  );

  app.get(
    "/v1/me/analytics",
    {
      schema: {
        tags: ["portal"],
        summary: "My orders, earnings (today, this month, total), team size, rank progress and funnel by channel",
        querystring: z.object({ merchantId: id, programId: id }),
      },
    },
    async (req) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      return ctx.db.read((q) => promoterFigures(q, req.query.merchantId, req.query.programId, promoterId, ctx.clock.now()));
    },
  );
}
