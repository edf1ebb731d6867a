import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { authenticate, forgetApiKey, merchantOf, requirePlatformAdmin } from "../../http/auth.ts";
import { fail } from "../../http/errors.ts";
import { requiredName } from "../../http/input.ts";
import type { Api } from "../../http/types.ts";
import { newPasswordField } from "../auth/routes.ts";
import { newPasswordHash } from "../auth/service.ts";
import { createApiKey, createMerchantWithAdmin } from "./service.ts";

export function registerMerchantRoutes(app: Api, ctx: AppContext): void {
  app.post(
    "/v1/merchants",
    {
      schema: {
        tags: ["platform"],
        summary: "Onboard a merchant with its admin user and first API key (platform admin)",
        body: z.object({
          name: requiredName(100),
          adminEmail: z.string().email().max(200),
          adminPassword: newPasswordField,
          adminName: requiredName(100),
        }),
      },
    },
    async (req, reply) => {
      requirePlatformAdmin(await authenticate(ctx, req));
      const { adminPassword, ...m } = req.body;
      const adminPasswordHash = await newPasswordHash(adminPassword, "adminPassword", ctx.config.passwordCost, m.adminEmail);
      const out = await ctx.db.tx((q) => createMerchantWithAdmin(q, { ...m, adminPasswordHash }, ctx.clock.now()));
      return reply.status(201).send({ merchantId: out.merchantId, adminUserId: out.userId, apiKey: out.apiKey });
    },
  );

  app.get("/v1/merchants", { schema: { tags: ["platform"], summary: "List merchants (platform admin)" } }, async (req) => {
    requirePlatformAdmin(await authenticate(ctx, req));
    const items = await ctx.db.read((q) =>
      q.query('SELECT id, name, status, created_at AS "createdAt" FROM merchants ORDER BY created_at LIMIT 1000'),
    );
    return { items };
  });

  app.get("/v1/merchant", { schema: { tags: ["merchant"], summary: "The calling merchant" } }, async (req) => {
    const merchantId = merchantOf(await authenticate(ctx, req));
    const [m] = await ctx.db.read((q) => q.query("SELECT id, name, status FROM merchants WHERE id = $1", [merchantId]));
    return m;
  });

  app.get("/v1/api-keys", { schema: { tags: ["merchant"], summary: "List API keys (secrets are never shown again)" } }, async (req) => {
    const merchantId = merchantOf(await authenticate(ctx, req));
    const items = await ctx.db.read((q) =>
      q.query(
        `SELECT id, name, prefix, created_at AS "createdAt", revoked_at AS "revokedAt" FROM api_keys WHERE merchant_id = $1 ORDER BY created_at`,
        [merchantId],
      ),
    );
    return { items };
  });

  app.post(
    "/v1/api-keys",
    {
      schema: {
        tags: ["merchant"],
        summary: "Create an API key; the secret is in this response only",
        body: z.object({ name: requiredName(100) }),
      },
    },
    async (req, reply) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const key = await ctx.db.tx((q) => createApiKey(q, merchantId, req.body.name, ctx.clock.now()));
      return reply.status(201).send(key);
    },
  );

  app.delete(
    "/v1/api-keys/:keyId",
    { schema: { tags: ["merchant"], summary: "Revoke an API key", params: z.object({ keyId: z.string().min(1).max(64) }) } },
    async (req, reply) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const rows = await ctx.db.tx((q) =>
        q.query("UPDATE api_keys SET revoked_at = $3 WHERE merchant_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING id", [
          merchantId,
          req.params.keyId,
          ctx.clock.now(),
        ]),
      );
      if (rows.length === 0) fail("NOT_FOUND", "No active API key with this id.");
      forgetApiKey(req.params.keyId);
      return reply.status(204).send();
    },
  );
}
