import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { actorOf, authenticate, merchantOf, promoterOf } from "../../http/auth.ts";
import { pageQuery } from "../../http/pagination.ts";
import type { Api } from "../../http/types.ts";
import { idempotencyHeaders, idempotent, keyOf, sendStored } from "../idempotency/service.ts";
import { APPLICATION_REASON_MAX, type Decision, decideApplication, listApplications, myApplications } from "./applications.ts";

const applicationParams = z.object({ applicationId: z.string().min(1).max(64) });

export function registerApplicationRoutes(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/promoters/applications",
    {
      schema: {
        tags: ["promoters"],
        summary: "Applications to join (programs whose join policy is approval), oldest first, with the total count",
        querystring: pageQuery.extend({
          programId: z.string().min(1).max(64).optional(),
          status: z.enum(["pending", "approved", "rejected"]).optional(),
        }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read((q) => listApplications(q, merchantId, req.query));
    },
  );

  /** Approve or reject, once per Idempotency-Key: the application's row is locked after the key. */
  async function decide(req: FastifyRequest, reply: FastifyReply, applicationId: string, decision: Decision) {
    const p = await authenticate(ctx, req);
    const merchantId = merchantOf(p);
    const at = ctx.clock.now();
    const action = decision.approve ? "approve" : "reject";
    const request = { applicationId, ...decision };
    const out = await ctx.db.tx((q) =>
      idempotent(q, merchantId, `POST /v1/promoters/applications/:applicationId/${action}`, keyOf(req.headers), request, at, async () => ({
        statusCode: 200,
        body: await decideApplication(q, merchantId, applicationId, decision, actorOf(p), at, ctx.codes),
      })),
    );
    return sendStored(reply, out);
  }

  app.post(
    "/v1/promoters/applications/:applicationId/approve",
    {
      schema: {
        tags: ["promoters"],
        summary: "Approve an application: the applicant becomes a member, under the inviter the application named (audited)",
        headers: idempotencyHeaders,
        params: applicationParams,
        body: z.object({}).default({}),
      },
    },
    (req, reply) => decide(req, reply, req.params.applicationId, { approve: true }),
  );

  app.post(
    "/v1/promoters/applications/:applicationId/reject",
    {
      schema: {
        tags: ["promoters"],
        summary: "Reject an application with a reason (audited); the applicant may apply again",
        headers: idempotencyHeaders,
        params: applicationParams,
        body: z.object({ reason: z.string().trim().min(1).max(APPLICATION_REASON_MAX) }),
      },
    },
    (req, reply) => decide(req, reply, req.params.applicationId, { approve: false, reason: req.body.reason }),
  );

  app.get(
    "/v1/me/applications",
    { schema: { tags: ["portal"], summary: "My applications to join programs, newest first" } },
    async (req) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      return { items: await ctx.db.read((q) => myApplications(q, promoterId)) };
    },
  );
}
