import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { actorOf, authenticate, forgetApiKey, merchantOf, requirePlatformAdmin } from "../../http/auth.ts";
import { fail } from "../../http/errors.ts";
import { requiredName } from "../../http/input.ts";
import type { Api } from "../../http/types.ts";
import { audit } from "../audit/repository.ts";
import { newPasswordField } from "../auth/routes.ts";
import { newPasswordHash } from "../auth/service.ts";
import { idempotencyHeaders, idempotent, idempotentWithSecret, keyOf, sendStored } from "../idempotency/service.ts";
import { createApiKey, createMerchantWithAdmin } from "./service.ts";
import { initialPassword } from "./users.ts";

/** Idempotency keys of platform writes that have no merchant yet (onboarding) are kept under this scope owner. */
export const PLATFORM_SCOPE = "platform";

/** A merchant's slug: its short, unique, lower-case name (letters, digits and inner hyphens). */
export const slugField = z
  .string()
  .min(2)
  .max(40)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "lower-case letters, digits and inner hyphens only")
  .describe("2–40 lower-case letters, digits and inner hyphens; unique across the deployment");

const keyParams = z.object({ keyId: z.string().min(1).max(64) });

export function registerMerchantRoutes(app: Api, ctx: AppContext): void {
  app.post(
    "/v1/merchants",
    {
      schema: {
        tags: ["platform"],
        summary: "Onboard a merchant with its admin user and first API key (platform admin)",
        description:
          "Without adminPassword the admin gets a one-time initial password (`initialPassword`, in this answer only) and must " +
          "choose a new one at the first login. The API key's secret and the initial password are in the first answer only: " +
          "a retry with the same Idempotency-Key answers the same ids with them as null.",
        headers: idempotencyHeaders,
        body: z.object({
          name: requiredName(100),
          slug: slugField.optional(),
          adminEmail: z.string().email().max(200),
          adminPassword: newPasswordField.optional(),
          adminName: requiredName(100),
        }),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      requirePlatformAdmin(p);
      const { adminPassword, ...m } = req.body;
      const cost = ctx.config.passwordCost;
      const initial = adminPassword === undefined ? await initialPassword(m.adminEmail, cost) : null;
      const adminPasswordHash = initial?.hash ?? (await newPasswordHash(adminPassword ?? "", "adminPassword", cost, m.adminEmail));
      const out = await ctx.db.tx((q) =>
        idempotentWithSecret(q, PLATFORM_SCOPE, "POST /v1/merchants", keyOf(req.headers), req.body, ctx.clock.now(), async () => {
          const at = ctx.clock.now();
          const made = await createMerchantWithAdmin(q, { ...m, adminPasswordHash, passwordChangeRequired: initial !== null }, at);
          await audit(q, made.merchantId, actorOf(p), "merchant.onboard", `merchant:${made.merchantId}`, { slug: m.slug ?? null }, at);
          const body = {
            merchantId: made.merchantId,
            adminUserId: made.userId,
            apiKey: made.apiKey,
            initialPassword: initial?.password ?? null,
          };
          return { statusCode: 201, body, stored: { ...body, apiKey: { ...made.apiKey, key: null }, initialPassword: null } };
        }),
      );
      return sendStored(reply, out);
    },
  );

  app.get("/v1/merchant", { schema: { tags: ["merchant"], summary: "The calling merchant" } }, async (req) => {
    const merchantId = merchantOf(await authenticate(ctx, req));
    const [m] = await ctx.db.read((q) => q.query("SELECT id, name, status FROM merchants WHERE id = $1", [merchantId]));
    return m;
  });

  app.get(
    "/v1/api-keys",
    {
      schema: {
        tags: ["merchant"],
        summary: "List API keys (secrets are never shown again)",
        description: "`lastUsedAt` is to the minute (written at most once a minute per key); null when never used.",
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const items = await ctx.db.read((q) =>
        q.query(
          `SELECT id, name, prefix, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
           FROM api_keys WHERE merchant_id = $1 ORDER BY created_at, id`,
          [merchantId],
        ),
      );
      return { items };
    },
  );

  app.post(
    "/v1/api-keys",
    {
      schema: {
        tags: ["merchant"],
        summary: "Create an API key; the secret is in this response only",
        description: "A retry with the same Idempotency-Key creates no second key and answers the same id with `key` null.",
        headers: idempotencyHeaders,
        body: z.object({ name: requiredName(100) }),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const out = await ctx.db.tx((q) =>
        idempotentWithSecret(q, merchantId, "POST /v1/api-keys", keyOf(req.headers), req.body, ctx.clock.now(), async () => {
          const key = await createApiKey(q, merchantId, req.body.name, ctx.clock.now());
          await audit(
            q,
            merchantId,
            actorOf(p),
            "api_key.create",
            `api_key:${key.id}`,
            { name: req.body.name, prefix: key.prefix },
            ctx.clock.now(),
          );
          return { statusCode: 201, body: key, stored: { ...key, key: null } };
        }),
      );
      return sendStored(reply, out);
    },
  );

  app.delete(
    "/v1/api-keys/:keyId",
    {
      schema: {
        tags: ["merchant"],
        summary: "Revoke an API key (it stops working within a second)",
        headers: idempotencyHeaders,
        params: keyParams,
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const { keyId } = req.params;
      const out = await ctx.db.tx((q) =>
        idempotent(q, merchantId, `DELETE /v1/api-keys/${keyId}`, keyOf(req.headers), {}, ctx.clock.now(), async () => {
          const rows = await q.query(
            "UPDATE api_keys SET revoked_at = $3 WHERE merchant_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING id",
            [merchantId, keyId, ctx.clock.now()],
          );
          if (rows.length === 0) fail("NOT_FOUND", "No active API key with this id.", { field: "keyId" });
          await audit(q, merchantId, actorOf(p), "api_key.revoke", `api_key:${keyId}`, {}, ctx.clock.now());
          return { statusCode: 204, body: null };
        }),
      );
      forgetApiKey(keyId);
      return out.statusCode === 204 ? reply.status(204).header("idempotent-replayed", String(out.replayed)).send() : sendStored(reply, out);
    },
  );
}
