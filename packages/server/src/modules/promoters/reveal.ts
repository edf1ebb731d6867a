/**
 * POST /v1/promoters/:promoterId/reveal {programId}: a promoter's full phone for the merchant of one of its programs. Lists and the
 * promoter's page show it masked; each reveal is an audit entry (who, when, which promoter) written in the same
 * transaction as the read.
 */
import { z } from "zod";
import { type AppContext, secretsOf } from "../../context.ts";
import { actorOf, authenticate, merchantOf, promoterOf } from "../../http/auth.ts";
import type { Api } from "../../http/types.ts";
import { audit } from "../audit/repository.ts";
import { requireMembership } from "./repository.ts";
import { openPromoterPhone, promoterPhone } from "./sealing.ts";

export function registerPromoterRevealRoute(app: Api, ctx: AppContext): void {
  app.post(
    "/v1/me/reveal",
    {
      schema: {
        tags: ["portal"],
        summary:
          "Show my own phone in full (sealed at rest; every portal read shows it masked). Not replayed by Idempotency-Key: a stored response would keep the personal data",
      },
    },
    async (req) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      return { promoterId, phone: await ctx.db.read((q) => promoterPhone(q, secretsOf(ctx), promoterId)) };
    },
  );

  app.post(
    "/v1/promoters/:promoterId/reveal",
    {
      schema: {
        tags: ["promoters"],
        summary:
          "Show a promoter's full phone; every call is an audit entry (who, when, which promoter). Not replayed by Idempotency-Key: a stored response would keep the personal data",
        params: z.object({ promoterId: z.string().min(1).max(64) }),
        body: z.object({ programId: z.string().min(1).max(64) }),
      },
    },
    async (req) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const at = ctx.clock.now();
      return ctx.db.tx(async (q) => {
        const m = await requireMembership(q, merchantId, req.body.programId, req.params.promoterId);
        const [pr] = await q.query<{ name: string; phone_sealed: string | null }>(
          "SELECT name, phone_sealed FROM promoters WHERE id = $1",
          [m.promoterId],
        );
        await audit(
          q,
          merchantId,
          actorOf(p),
          "promoter.reveal",
          `promoter:${m.promoterId}`,
          { programId: m.programId, fields: ["phone"] },
          at,
        );
        return {
          promoterId: m.promoterId,
          name: pr?.name ?? null,
          phone: openPromoterPhone(secretsOf(ctx), m.promoterId, pr?.phone_sealed ?? null),
          revealedAt: at,
        };
      });
    },
  );
}
