/** The merchant's own admin users (GET/POST /v1/merchant/users, disable and enable); see users.ts for the rules. */
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { actorOf, authenticate, merchantOf, type Principal } from "../../http/auth.ts";
import { requiredName } from "../../http/input.ts";
import type { Api } from "../../http/types.ts";
import { idempotencyHeaders, idempotent, idempotentWithSecret, keyOf, sendStored } from "../idempotency/service.ts";
import { disableAdmin, enableAdmin, initialPassword, inviteAdmin, listMerchantUsers } from "./users.ts";

const userParams = z.object({ userId: z.string().min(1).max(64) });
const reasonField = z.string().trim().min(1).max(200);

const userIdOf = (p: Principal): string | null => (p.kind === "user" ? p.userId : null);

export function registerMerchantUserRoutes(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/merchant/users",
    {
      schema: {
        tags: ["merchant"],
        summary: "The merchant's admin users",
        // getMerchantUsers is the platform's GET /v1/merchants/{merchantId}/users
        operationId: "getMerchantAdmins",
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return { items: await ctx.db.read((q) => listMerchantUsers(q, merchantId)) };
    },
  );

  app.post(
    "/v1/merchant/users",
    {
      schema: {
        tags: ["merchant"],
        summary: "Invite another admin: creates the user with a one-time initial password, in this answer only; audited",
        description:
          "201 with the user and `initialPassword`. The new admin logs in with it and must choose a new password before any other " +
          "call (403 PASSWORD_CHANGE_REQUIRED). A retry with the same Idempotency-Key answers the same user with `initialPassword` null. " +
          "409 EMAIL_TAKEN naming `email` when the address has an account.",
        headers: idempotencyHeaders,
        body: z.object({ email: z.string().email().max(200), name: requiredName(100) }),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const initial = await initialPassword(req.body.email, ctx.config.passwordCost);
      const out = await ctx.db.tx((q) =>
        idempotentWithSecret(q, merchantId, "POST /v1/merchant/users", keyOf(req.headers), req.body, ctx.clock.now(), async () => {
          const user = await inviteAdmin(q, {
            merchantId,
            ...req.body,
            passwordHash: initial.hash,
            actor: actorOf(p),
            at: ctx.clock.now(),
          });
          return {
            statusCode: 201,
            body: { user, initialPassword: initial.password },
            stored: { user, initialPassword: null },
          };
        }),
      );
      return sendStored(reply, out);
    },
  );

  app.post(
    "/v1/merchant/users/:userId/disable",
    {
      schema: {
        tags: ["merchant"],
        summary: "Disable an admin: logins refused, sessions ended, the user kept; audited",
        description: "409 NOT_YOURSELF for the caller's own account, 409 LAST_ADMIN for the merchant's last active admin.",
        headers: idempotencyHeaders,
        params: userParams,
        body: z.object({ reason: reasonField.optional() }).default({}),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const { userId } = req.params;
      const out = await ctx.db.tx((q) =>
        idempotent(q, merchantId, `POST /v1/merchant/users/${userId}/disable`, keyOf(req.headers), req.body, ctx.clock.now(), async () => ({
          statusCode: 200,
          body: await disableAdmin(q, {
            merchantId,
            userId,
            actorUserId: userIdOf(p),
            actor: actorOf(p),
            reason: req.body.reason ?? null,
            at: ctx.clock.now(),
          }),
        })),
      );
      return sendStored(reply, out);
    },
  );

  app.post(
    "/v1/merchant/users/:userId/enable",
    {
      schema: {
        tags: ["merchant"],
        summary: "Enable a disabled admin again; audited",
        headers: idempotencyHeaders,
        params: userParams,
        body: z.object({}).default({}),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const { userId } = req.params;
      const out = await ctx.db.tx((q) =>
        idempotent(q, merchantId, `POST /v1/merchant/users/${userId}/enable`, keyOf(req.headers), {}, ctx.clock.now(), async () => ({
          statusCode: 200,
          body: await enableAdmin(q, { merchantId, userId, actor: actorOf(p), at: ctx.clock.now() }),
        })),
      );
      return sendStored(reply, out);
    },
  );
}
