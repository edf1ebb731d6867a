/**
 * Shop connectors: a merchant creates one per shop (the platform, the program its orders belong to, the platform's
 * signing secret) and configures the answered webhookUrl in the shop. The webhook route is public: a delivery is
 * trusted by its signature alone, checked over the raw body (the route has a raw-body parser of its own).
 */
import { createHmac } from "node:crypto";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { secretsOf } from "../../context.ts";
import { seal } from "../../crypto/sealed.ts";
import { actorOf, authenticate, merchantOf } from "../../http/auth.ts";
import { fail } from "../../http/errors.ts";
import { requiredName } from "../../http/input.ts";
import { decodeCursor, page, pageQuery } from "../../http/pagination.ts";
import type { Api } from "../../http/types.ts";
import { newId } from "../../ids.ts";
import { audit } from "../audit/repository.ts";
import { idempotencyHeaders, idempotent, keyOf, sendStored } from "../idempotency/service.ts";
import { getProgram } from "../programs/repository.ts";
import { PLATFORMS } from "./mapping.ts";
import { type ConnectorRow, disableConnector, insertConnector, listConnectors, listDeliveries, merchantConnector } from "./repository.ts";
import { ORDER_REF_PREFIX, receiveWebhook, secretAad } from "./service.ts";

/** A shop's webhook body at most (a large order with hundreds of lines stays well below). */
export const WEBHOOK_BODY_LIMIT_BYTES = 2 * 1_048_576;
/** Connectors per merchant at most. */
export const CONNECTORS_MAX = 50;
export const SECRET_LENGTH_MAX = 512;

export const createConnectorBody = z.object({
  platform: z.enum(PLATFORMS),
  programId: z.string().min(1).max(64),
  name: requiredName(100),
  secret: z
    .string()
    .min(8)
    .max(SECRET_LENGTH_MAX)
    .describe("the platform's signing secret: Shopify's app client secret, the WooCommerce webhook's secret, Youzan's client_secret"),
  orderRefPrefix: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{0,32}$/, "letters, digits and _ . : - only, at most 32")
    .optional()
    .describe("orderRef of an ingested order = prefix + the platform's order id (default shopify-, wc-, yz-)"),
});

const idParams = z.object({ connectorId: z.string().min(1).max(64) });

function view(c: ConnectorRow, publicUrl: string) {
  return {
    id: c.id,
    platform: c.platform,
    programId: c.program_id,
    name: c.name,
    status: c.status,
    secretHint: `…${c.secret_hint}`,
    orderRefPrefix: c.order_ref_prefix,
    webhookUrl: `${publicUrl}/v1/connectors/${c.id}/webhook`,
    createdAt: new Date(c.created_at).toISOString(),
    disabledAt: c.disabled_at ? new Date(c.disabled_at).toISOString() : null,
  };
}

export function registerConnectorRoutes(app: Api, ctx: AppContext): void {
  const publicUrl = ctx.config.publicUrl;
  app.post(
    "/v1/connectors",
    {
      schema: {
        tags: ["connectors"],
        summary: "Connect a shop: answers the webhook URL to configure in the shop (the secret is sealed and never shown again)",
        headers: idempotencyHeaders,
        body: createConnectorBody,
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const b = req.body;
      const now = ctx.clock.now();
      // The stored request hash covers the secret only as an HMAC under the key ring: a weak secret chosen in a shop
      // cannot be guessed back from the idempotency key's hash.
      const ring = secretsOf(ctx);
      const request = { ...b, secret: createHmac("sha256", ring.current.key).update(`connector-secret:${b.secret}`).digest("hex") };
      const out = await ctx.db.tx((q) =>
        idempotent(q, merchantId, "POST /v1/connectors", keyOf(req.headers), request, now, async () => {
          await getProgram(q, merchantId, b.programId);
          if ((await listConnectors(q, merchantId)).length >= CONNECTORS_MAX)
            fail("VALIDATION_FAILED", `A merchant has at most ${CONNECTORS_MAX} connectors.`, { limit: CONNECTORS_MAX });
          const id = newId("con");
          const row = {
            merchant_id: merchantId,
            id,
            program_id: b.programId,
            platform: b.platform,
            name: b.name,
            secret_sealed: seal(ring, b.secret, secretAad(id)),
            secret_hint: b.secret.slice(-4),
            order_ref_prefix: b.orderRefPrefix ?? ORDER_REF_PREFIX[b.platform],
            created_at: now,
          };
          await insertConnector(q, row);
          await audit(
            q,
            merchantId,
            actorOf(p),
            "connector.create",
            `connector:${id}`,
            { platform: b.platform, programId: b.programId },
            now,
          );
          return { statusCode: 201, body: view({ ...row, status: "active", disabled_at: null }, publicUrl) };
        }),
      );
      return sendStored(reply, out);
    },
  );

  app.get("/v1/connectors", { schema: { tags: ["connectors"], summary: "The merchant's shop connectors" } }, async (req) => {
    const merchantId = merchantOf(await authenticate(ctx, req));
    const rows = await ctx.db.read((q) => listConnectors(q, merchantId));
    return { items: rows.map((r) => view(r, publicUrl)) };
  });

  app.get("/v1/connectors/:connectorId", { schema: { tags: ["connectors"], summary: "One connector", params: idParams } }, async (req) => {
    const merchantId = merchantOf(await authenticate(ctx, req));
    const c = await ctx.db.read((q) => merchantConnector(q, merchantId, req.params.connectorId));
    if (!c) fail("NOT_FOUND", "No such connector.", { connectorId: req.params.connectorId });
    return view(c, publicUrl);
  });

  app.post(
    "/v1/connectors/:connectorId/disable",
    {
      schema: {
        tags: ["connectors"],
        summary: "Disable a connector: its webhook deliveries are refused with 410 (which tells the shop to stop sending)",
        headers: idempotencyHeaders,
        params: idParams,
        body: z.object({}).default({}),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const now = ctx.clock.now();
      const id = req.params.connectorId;
      const out = await ctx.db.tx((q) =>
        idempotent(q, merchantId, `POST /v1/connectors/${id}/disable`, keyOf(req.headers), req.body, now, async () => {
          const c = await merchantConnector(q, merchantId, id, true);
          if (!c) fail("NOT_FOUND", "No such connector.", { connectorId: id });
          if (c.status === "active") {
            await disableConnector(q, merchantId, id, now);
            await audit(q, merchantId, actorOf(p), "connector.disable", `connector:${id}`, {}, now);
          }
          const after = await merchantConnector(q, merchantId, id);
          return { statusCode: 200, body: view(after as ConnectorRow, publicUrl) };
        }),
      );
      return sendStored(reply, out);
    },
  );

  app.get(
    "/v1/connectors/:connectorId/deliveries",
    {
      schema: {
        tags: ["connectors"],
        summary: "The connector's webhook deliveries, newest first: topic, outcome (applied, ignored, duplicate, rejected, failed), error",
        params: idParams,
        querystring: pageQuery,
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const c = await ctx.db.read((q) => merchantConnector(q, merchantId, req.params.connectorId));
      if (!c) fail("NOT_FOUND", "No such connector.", { connectorId: req.params.connectorId });
      const rows = await ctx.db.read((q) => listDeliveries(q, merchantId, c.id, decodeCursor(req.query.cursor), req.query.limit + 1));
      const p = page(rows, req.query.limit, (r) => ({ at: r.receivedAt, id: r.id }));
      return { ...p, items: p.items.map((r) => ({ ...r, receivedAt: new Date(r.receivedAt).toISOString() })) };
    },
  );

  // The shop's own webhook, in a scope of its own whose only body parser keeps the raw bytes (signatures cover them).
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: WEBHOOK_BODY_LIMIT_BYTES }, (_req, body, done) => done(null, body));
    scope.post(
      "/v1/connectors/:connectorId/webhook",
      {
        bodyLimit: WEBHOOK_BODY_LIMIT_BYTES,
        schema: {
          tags: ["connectors"],
          summary: "A shop's webhook delivery (Shopify, WooCommerce, Youzan), verified by the platform's signature over the raw body",
          security: [],
          params: idParams,
        },
      },
      async (req, reply) => {
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const { connectorId } = req.params as z.infer<typeof idParams>;
        const out = await receiveWebhook(ctx, connectorId, { headers: req.headers, raw });
        return reply.status(out.statusCode).send(out.body);
      },
    );
  });
}
