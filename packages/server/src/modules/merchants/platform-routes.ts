/** The platform console's routes (platform admin): merchants with their figures, suspension, platform KPIs, fees. */
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { actorOf, authenticate, forgetMerchantKeys, requirePlatformAdmin } from "../../http/auth.ts";
import { offsetPageQuery } from "../../http/pagination.ts";
import type { Api } from "../../http/types.ts";
import { idempotencyHeaders, idempotent, keyOf, sendStored } from "../idempotency/service.ts";
import { listMerchants, monthBounds, platformKpis, programFees } from "./platform.ts";
import { type MerchantStatus, setMerchantStatus } from "./status.ts";

const merchantParams = z.object({ merchantId: z.string().min(1).max(64) });
const reasonBody = z.object({ reason: z.string().trim().min(1).max(500).describe("why: kept in the merchant's audit log") });

export function registerPlatformRoutes(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/merchants",
    {
      schema: {
        tags: ["platform"],
        summary: "Merchants, newest first, with this month's figures (platform admin)",
        description:
          "`search` matches the name, slug or id (case-insensitive); `status` filters. Per merchant: `promoters` (active " +
          "members, distinct), `salesMinor` (attributed sales net of refunds) and `commissionMinor` of this calendar month " +
          "in Asia/Shanghai (docs/analytics.md, platform figures). `total` counts the whole filtered list.",
        querystring: offsetPageQuery.extend({
          search: z.string().trim().max(100).optional(),
          status: z.enum(["active", "suspended"]).optional(),
        }),
      },
    },
    async (req) => {
      requirePlatformAdmin(await authenticate(ctx, req));
      const { search, status, limit, offset } = req.query;
      return ctx.db.read(async (q) => {
        const month = await monthBounds(q, ctx.clock.now());
        const page = await listMerchants(q, { search: search || null, status: status ?? null, limit, offset }, month);
        return { ...page, month: month.month };
      });
    },
  );

  for (const [action, status] of [
    ["suspend", "suspended"],
    ["reactivate", "active"],
  ] as const satisfies readonly (readonly [string, MerchantStatus])[]) {
    app.post(
      `/v1/merchants/:merchantId/${action}`,
      {
        schema: {
          tags: ["platform"],
          summary:
            action === "suspend"
              ? "Suspend a merchant with a reason: its keys, users, links, sign-up and ingest get 403 MERCHANT_SUSPENDED; nothing is deleted"
              : "Reactivate a suspended merchant with a reason",
          description: "Audited in the merchant's log. Asking for the status the merchant already has changes nothing.",
          headers: idempotencyHeaders,
          params: merchantParams,
          body: reasonBody,
        },
      },
      async (req, reply) => {
        const p = await authenticate(ctx, req);
        requirePlatformAdmin(p);
        const { merchantId } = req.params;
        const out = await ctx.db.tx((q) =>
          idempotent(
            q,
            merchantId,
            `POST /v1/merchants/${merchantId}/${action}`,
            keyOf(req.headers),
            req.body,
            ctx.clock.now(),
            async () => ({
              statusCode: 200,
              body: await setMerchantStatus(q, { merchantId, status, reason: req.body.reason, actor: actorOf(p), at: ctx.clock.now() }),
            }),
          ),
        );
        forgetMerchantKeys(merchantId);
        return sendStored(reply, out);
      },
    );
  }

  app.get(
    "/v1/platform/kpis",
    {
      schema: {
        tags: ["platform"],
        summary: "Platform-wide figures of this month: merchants, promoters, attributed sales, commission, payouts",
        description: "Definitions in docs/analytics.md (platform figures); the month is the calendar month in Asia/Shanghai.",
      },
    },
    async (req) => {
      requirePlatformAdmin(await authenticate(ctx, req));
      return ctx.db.read(async (q) => platformKpis(q, await monthBounds(q, ctx.clock.now())));
    },
  );

  app.get(
    "/v1/platform/service-fees",
    {
      schema: {
        tags: ["platform"],
        summary: "Each program's platform service fee (basis points of commission paid out); set with PATCH /v1/programs/{id}/service-fee",
        querystring: z.object({ merchantId: z.string().min(1).max(64).optional() }),
      },
    },
    async (req) => {
      requirePlatformAdmin(await authenticate(ctx, req));
      return { items: await ctx.db.read((q) => programFees(q, req.query.merchantId ?? null)) };
    },
  );
}
