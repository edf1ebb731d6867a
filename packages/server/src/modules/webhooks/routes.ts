/** Webhook endpoints (Standard Webhooks v1): create with the secret shown once, list, change, delete, rotate, deliveries. */
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { secretsOf } from "../../context.ts";
import { actorOf, authenticate, merchantOf } from "../../http/auth.ts";
import { fail, invalid } from "../../http/errors.ts";
import type { Api } from "../../http/types.ts";
import { audit } from "../audit/repository.ts";
import { EVENT_TYPES } from "../events/outbox.ts";
import { idempotencyHeaders, idempotent, keyOf, sendStored } from "../idempotency/service.ts";
import { AddressRefused, checkHost } from "./address.ts";
import { listDeliveries, resendDelivery } from "./deliveries.ts";
import { createEndpoint, deleteEndpoint, getEndpoint, listEndpoints, rotateSecret, updateEndpoint } from "./repository.ts";

export const WEBHOOK_URL_LENGTH_MAX = 2000;
const TAG = ["webhooks"];

const url = z
  .url({ protocol: /^https?$/, error: "must be an absolute http:// or https:// URL" })
  .max(WEBHOOK_URL_LENGTH_MAX)
  .describe("where deliveries are POSTed; its host must resolve to public addresses only");
const events = z
  .array(z.enum(["*", ...EVENT_TYPES]))
  .min(1)
  .max(EVENT_TYPES.length + 1)
  .describe('event types to receive, or ["*"] for all');
const description = z.string().max(500);
const endpointParams = z.object({ endpointId: z.string().min(1).max(64) });

/** Refuse a URL whose host is loopback, private or link-local (unless WEBHOOKS_ALLOW_PRIVATE=1). */
async function checkUrl(u: string): Promise<void> {
  try {
    await checkHost(new URL(u).hostname);
  } catch (e) {
    if (e instanceof AddressRefused)
      fail("WEBHOOK_URL_REFUSED", undefined, { field: "url", host: e.host, address: e.address, range: e.range });
    fail("WEBHOOK_URL_UNRESOLVABLE", undefined, { field: "url", host: new URL(u).hostname });
  }
}

function normaliseEvents(list: string[] | undefined): string[] | undefined {
  if (!list) return undefined;
  if (list.includes("*") && list.length > 1) invalid("events", '"*" stands alone: it already means every event type');
  return [...new Set(list)].sort();
}

export function registerWebhookRoutes(app: Api, ctx: AppContext): void {
  registerEndpointWrites(app, ctx);
  registerEndpointLifecycle(app, ctx);
  registerEndpointReads(app, ctx);
  registerDeliveryRoutes(app, ctx);
}

function registerEndpointWrites(app: Api, ctx: AppContext): void {
  app.post(
    "/v1/webhook-endpoints",
    {
      schema: {
        tags: TAG,
        summary: "Create a webhook endpoint; the answer holds its signing secret (whsec_…), shown this once",
        headers: idempotencyHeaders,
        body: z.object({ url, events, description: description.default("") }),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const b = { ...req.body, events: normaliseEvents(req.body.events) as string[] };
      await checkUrl(b.url);
      const ring = secretsOf(ctx);
      const out = await ctx.db.tx((q) =>
        idempotent(q, merchantId, "POST /v1/webhook-endpoints", keyOf(req.headers), b, ctx.clock.now(), async () => {
          const { view, secret } = await createEndpoint(q, ring, merchantId, b, ctx.clock.now());
          await audit(
            q,
            merchantId,
            actorOf(p),
            "webhook_endpoint.create",
            `webhook_endpoint:${view.id}`,
            { url: b.url, events: b.events },
            ctx.clock.now(),
          );
          return { statusCode: 201, body: { ...view, secret } };
        }),
      );
      return sendStored(reply, out);
    },
  );

  app.patch(
    "/v1/webhook-endpoints/:endpointId",
    {
      schema: {
        tags: TAG,
        summary: "Change a webhook endpoint's URL, event types or description, or disable / re-enable it",
        headers: idempotencyHeaders,
        params: endpointParams,
        body: z.object({
          url: url.optional(),
          events: events.optional(),
          description: description.optional(),
          disabled: z.boolean().optional(),
        }),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const b = { ...req.body, events: normaliseEvents(req.body.events) };
      if (b.url) await checkUrl(b.url);
      const id = req.params.endpointId;
      const out = await ctx.db.tx((q) =>
        idempotent(q, merchantId, `PATCH /v1/webhook-endpoints/${id}`, keyOf(req.headers), b, ctx.clock.now(), async () => {
          const view = await updateEndpoint(q, merchantId, id, b, ctx.clock.now());
          await audit(q, merchantId, actorOf(p), "webhook_endpoint.update", `webhook_endpoint:${id}`, b, ctx.clock.now());
          return { statusCode: 200, body: view };
        }),
      );
      return sendStored(reply, out);
    },
  );
}

function registerEndpointLifecycle(app: Api, ctx: AppContext): void {
  app.delete(
    "/v1/webhook-endpoints/:endpointId",
    {
      schema: { tags: TAG, summary: "Delete a webhook endpoint and its delivery log", headers: idempotencyHeaders, params: endpointParams },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const id = req.params.endpointId;
      const out = await ctx.db.tx((q) =>
        idempotent(q, merchantId, `DELETE /v1/webhook-endpoints/${id}`, keyOf(req.headers), {}, ctx.clock.now(), async () => {
          await deleteEndpoint(q, merchantId, id, ctx.clock.now());
          await audit(q, merchantId, actorOf(p), "webhook_endpoint.delete", `webhook_endpoint:${id}`, {}, ctx.clock.now());
          return { statusCode: 200, body: { id, deleted: true } };
        }),
      );
      return sendStored(reply, out);
    },
  );

  app.post(
    "/v1/webhook-endpoints/:endpointId/rotate-secret",
    {
      schema: {
        tags: TAG,
        summary: "Give the endpoint a new secret (shown this once); the old one keeps signing beside it for 24 hours",
        headers: idempotencyHeaders,
        params: endpointParams,
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const id = req.params.endpointId;
      const ring = secretsOf(ctx);
      const out = await ctx.db.tx((q) =>
        idempotent(q, merchantId, `POST /v1/webhook-endpoints/${id}/rotate-secret`, keyOf(req.headers), {}, ctx.clock.now(), async () => {
          const { view, secret } = await rotateSecret(q, ring, merchantId, id, ctx.clock.now());
          await audit(q, merchantId, actorOf(p), "webhook_endpoint.rotate_secret", `webhook_endpoint:${id}`, {}, ctx.clock.now());
          return { statusCode: 200, body: { ...view, secret } };
        }),
      );
      return sendStored(reply, out);
    },
  );
}

function registerDeliveryRoutes(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/webhook-endpoints/:endpointId/deliveries",
    {
      schema: {
        tags: TAG,
        summary: "The endpoint's delivery log, newest first: status, attempts with status code, latency and response excerpt",
        params: endpointParams,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          status: z.enum(["pending", "succeeded", "failed"]).optional(),
        }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read(async (q) => {
        await getEndpoint(q, merchantId, req.params.endpointId, ctx.clock.now());
        return { items: await listDeliveries(q, merchantId, req.params.endpointId, req.query) };
      });
    },
  );

  app.post(
    "/v1/webhook-endpoints/:endpointId/deliveries/:deliveryId/resend",
    {
      schema: {
        tags: TAG,
        summary: "Send a delivery again now (same webhook-id, fresh timestamp and signature)",
        headers: idempotencyHeaders,
        params: endpointParams.extend({ deliveryId: z.string().min(1).max(64) }),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const { endpointId, deliveryId } = req.params;
      const out = await ctx.db.tx((q) =>
        idempotent(
          q,
          merchantId,
          `POST /v1/webhook-endpoints/${endpointId}/deliveries/${deliveryId}/resend`,
          keyOf(req.headers),
          {},
          ctx.clock.now(),
          async () => {
            const d = await resendDelivery(q, merchantId, endpointId, deliveryId, ctx.clock.now());
            await audit(q, merchantId, actorOf(p), "webhook_delivery.resend", `webhook_delivery:${deliveryId}`, {}, ctx.clock.now());
            return { statusCode: 202, body: d };
          },
        ),
      );
      return sendStored(reply, out);
    },
  );
}

function registerEndpointReads(app: Api, ctx: AppContext): void {
  app.get("/v1/webhook-endpoints", { schema: { tags: TAG, summary: "List webhook endpoints (without secrets)" } }, async (req) => {
    const merchantId = merchantOf(await authenticate(ctx, req));
    return { items: await ctx.db.read((q) => listEndpoints(q, merchantId, ctx.clock.now())) };
  });

  app.get(
    "/v1/webhook-endpoints/:endpointId",
    { schema: { tags: TAG, summary: "A webhook endpoint (without its secret)", params: endpointParams } },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read((q) => getEndpoint(q, merchantId, req.params.endpointId, ctx.clock.now()));
    },
  );
}
