/** Merchant routes for risk flags on a promoter: open one (withdrawals then wait for a reviewer), close it. */
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { actorOf, authenticate, merchantOf } from "../../http/auth.ts";
import { requiredName } from "../../http/input.ts";
import type { Api } from "../../http/types.ts";
import { audit } from "../audit/repository.ts";
import { idempotencyHeaders, idempotent, keyOf, sendStored } from "../idempotency/service.ts";
import { closeRiskFlag, openRiskFlag, RISK_FLAG_REASON_LENGTH_MAX } from "./repository.ts";

const promoterParams = z.object({ promoterId: z.string().min(1).max(64) });

export function registerRiskRoutes(app: Api, ctx: AppContext): void {
  app.post(
    "/v1/promoters/:promoterId/risk-flags",
    {
      schema: {
        tags: ["risk"],
        summary: "Open a risk flag on a promoter: while it is open, the promoter's withdrawals are reviewed, never approved automatically",
        headers: idempotencyHeaders,
        params: promoterParams,
        body: z.object({ reason: requiredName(RISK_FLAG_REASON_LENGTH_MAX) }),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const now = ctx.clock.now();
      const { promoterId } = req.params;
      const out = await ctx.db.tx((q) =>
        idempotent(q, merchantId, `POST /v1/promoters/${promoterId}/risk-flags`, keyOf(req.headers), req.body, now, async () => {
          const flag = await openRiskFlag(q, merchantId, promoterId, req.body.reason, actorOf(p), now);
          await audit(q, merchantId, actorOf(p), "risk_flag.open", `promoter:${promoterId}`, { flagId: flag.id, reason: flag.reason }, now);
          return { statusCode: 201, body: flag };
        }),
      );
      return sendStored(reply, out);
    },
  );

  app.post(
    "/v1/promoters/:promoterId/risk-flags/:flagId/close",
    {
      schema: {
        tags: ["risk"],
        summary: "Close a promoter's risk flag",
        headers: idempotencyHeaders,
        params: promoterParams.extend({ flagId: z.string().min(1).max(64) }),
        body: z.object({}).optional(),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const now = ctx.clock.now();
      const { promoterId, flagId } = req.params;
      const out = await ctx.db.tx((q) =>
        idempotent(q, merchantId, `POST /v1/promoters/${promoterId}/risk-flags/${flagId}/close`, keyOf(req.headers), {}, now, async () => {
          const flag = await closeRiskFlag(q, merchantId, promoterId, flagId, actorOf(p), now);
          await audit(q, merchantId, actorOf(p), "risk_flag.close", `promoter:${promoterId}`, { flagId }, now);
          return { statusCode: 200, body: flag };
        }),
      );
      return sendStored(reply, out);
    },
  );
}
