import { z } from "zod";
import { type AppContext, secretsOf } from "../../context.ts";
import { actorOf, authenticate, merchantOf, promoterOf } from "../../http/auth.ts";
import { isoDateTime } from "../../http/dates.ts";
import { fail } from "../../http/errors.ts";
import { decodeCursor, page, pageQuery } from "../../http/pagination.ts";
import type { Api } from "../../http/types.ts";
import { attribute } from "../attribution/service.ts";
import { audit } from "../audit/repository.ts";
import { idempotencyHeaders, idempotent, keyOf, personalRequest, sendStored } from "../idempotency/service.ts";
import { resolveProgram } from "../programs/repository.ts";
import { requireMembership } from "../promoters/repository.ts";
import { customerDetail, revealCustomer } from "./detail.ts";
import { rewardCustomerEvent } from "./events.ts";
import { countCustomers, customerListQuery, listCustomers } from "./list.ts";
import { customerIdByRef, upsertCustomer } from "./repository.ts";

/** Bound customers per page of GET /v1/me/customers at most (and by default: one page covers most promoters). */
export const MY_CUSTOMERS_PAGE_MAX = 500;

const iso = isoDateTime;

export const registerBody = z.object({
  programId: z.string().min(1).max(64).optional(),
  customerRef: z.string().min(1).max(128),
  phone: z.string().max(32).optional(),
  name: z.string().max(100).optional(),
  promoCode: z.string().min(4).max(16).optional(),
  clickToken: z.string().min(1).max(64).optional(),
  referrerCustomerRef: z.string().min(1).max(128).optional(),
  registeredAt: iso.optional(),
});

export function registerCustomerRoutes(app: Api, ctx: AppContext): void {
  app.post(
    "/v1/customers",
    {
      schema: {
        tags: ["customers"],
        summary:
          "Customer registered in the shop (optionally through a promo code, click or referring customer): binds the customer (客户绑定)",
        headers: idempotencyHeaders,
        body: registerBody,
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const b = req.body;
      const key = keyOf(req.headers);
      const out = await ctx.db.tx((q) =>
        idempotent(
          q,
          merchantId,
          "POST /v1/customers",
          key,
          personalRequest(secretsOf(ctx), b, ["phone", "name"]),
          ctx.clock.now(),
          async () => {
            const program = await resolveProgram(q, merchantId, b.programId);
            const at = b.registeredAt ? new Date(b.registeredAt) : ctx.clock.now();
            let referrerCustomerId: string | null = null;
            if (b.referrerCustomerRef) {
              referrerCustomerId = await customerIdByRef(q, merchantId, b.referrerCustomerRef);
              if (!referrerCustomerId) fail("NOT_FOUND", "No customer with this referrerCustomerRef.", { field: "referrerCustomerRef" });
            }
            const c = await upsertCustomer(
              q,
              secretsOf(ctx),
              merchantId,
              { ref: b.customerRef, phone: b.phone, name: b.name, referrerCustomerId, registeredAt: at },
              ctx.clock.now(),
            );
            const attribution = await attribute(q, program, {
              customerId: c.id,
              at,
              promoCode: b.promoCode,
              clickToken: b.clickToken,
              referrerCustomerId: c.referrerCustomerId,
              source: "registration",
            });
            const rewards = attribution.promoterId
              ? await rewardCustomerEvent(
                  q,
                  program,
                  { trigger: "customer_registered", customerId: c.id, customerRef: b.customerRef, promoterId: attribution.promoterId, at },
                  ctx.clock.now(),
                )
              : [];
            await audit(q, merchantId, actorOf(p), "customer.register", `customer:${c.id}`, { attribution }, ctx.clock.now());
            return {
              statusCode: c.created ? 201 : 200,
              body: {
                customerId: c.id,
                customerRef: b.customerRef,
                created: c.created,
                promoterId: attribution.promoterId,
                path: attribution.path,
                bound: attribution.bind,
                notes: attribution.notes,
                rewards,
              },
            };
          },
        ),
      );
      return sendStored(reply, out);
    },
  );

  app.post(
    "/v1/customers/:customerRef/community-joins",
    {
      schema: {
        tags: ["customers"],
        summary: "Customer joined a community group (入群) through a promoter: attributes it and pays the plan's event reward once",
        headers: idempotencyHeaders,
        params: z.object({ customerRef: z.string().min(1).max(128) }),
        body: z.object({
          programId: z.string().min(1).max(64).optional(),
          promoCode: z.string().min(4).max(16).optional(),
          clickToken: z.string().min(1).max(64).optional(),
          community: z.string().max(100).optional(),
          joinedAt: iso.optional(),
        }),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const b = req.body;
      const key = keyOf(req.headers);
      const out = await ctx.db.tx((q) =>
        idempotent(q, merchantId, `POST /v1/customers/${req.params.customerRef}/community-joins`, key, b, ctx.clock.now(), async () => {
          const program = await resolveProgram(q, merchantId, b.programId);
          const at = b.joinedAt ? new Date(b.joinedAt) : ctx.clock.now();
          const c = await upsertCustomer(q, secretsOf(ctx), merchantId, { ref: req.params.customerRef }, ctx.clock.now());
          const attribution = await attribute(q, program, {
            customerId: c.id,
            at,
            promoCode: b.promoCode,
            clickToken: b.clickToken,
            source: "community",
          });
          const rewards = attribution.promoterId
            ? await rewardCustomerEvent(
                q,
                program,
                {
                  trigger: "community_joined",
                  customerId: c.id,
                  customerRef: req.params.customerRef,
                  promoterId: attribution.promoterId,
                  at,
                },
                ctx.clock.now(),
              )
            : [];
          await audit(
            q,
            merchantId,
            actorOf(p),
            "customer.community_join",
            `customer:${c.id}`,
            { attribution, community: b.community ?? null },
            ctx.clock.now(),
          );
          return { statusCode: 200, body: { customerId: c.id, promoterId: attribution.promoterId, path: attribution.path, rewards } };
        }),
      );
      return sendStored(reply, out);
    },
  );

  app.get(
    "/v1/customers",
    {
      schema: {
        tags: ["customers"],
        summary:
          "Customers with their binding: search by reference, name or phone, filters and a total count; phone and name masked (138****1234) — the full data only through the audited reveal",
        querystring: customerListQuery,
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const { limit, offset, ...f } = req.query;
      return ctx.db.read(async (q) => ({
        items: await listCustomers(q, ctx.secrets, merchantId, f, limit, offset),
        total: await countCustomers(q, ctx.secrets, merchantId, f),
      }));
    },
  );

  app.get(
    "/v1/customers/:customerId",
    {
      schema: {
        tags: ["customers"],
        summary:
          "One customer (masked): bindings and their history, orders, referred customers and referral rewards, and who revealed the full data when",
        params: z.object({ customerId: z.string().min(1).max(64) }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read((q) => customerDetail(q, merchantId, req.params.customerId));
    },
  );

  app.post(
    "/v1/customers/:customerId/reveal",
    {
      schema: {
        tags: ["customers"],
        summary:
          "Show one customer's full phone and name; every call is an audit entry (who, when, which customer). Not replayed by Idempotency-Key: a stored response would keep the personal data",
        params: z.object({ customerId: z.string().min(1).max(64) }),
      },
    },
    async (req) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      return ctx.db.tx((q) => revealCustomer(q, secretsOf(ctx), merchantId, actorOf(p), req.params.customerId, ctx.clock.now()));
    },
  );

  app.get(
    "/v1/me/customers",
    {
      schema: {
        tags: ["portal"],
        summary: "Customers bound to me (masked: 138****1234), newest binding first; `nextCursor` pages on",
        querystring: z.object({
          merchantId: z.string().min(1).max(64),
          programId: z.string().min(1).max(64),
          limit: z.coerce.number().int().min(1).max(MY_CUSTOMERS_PAGE_MAX).default(MY_CUSTOMERS_PAGE_MAX),
          cursor: pageQuery.shape.cursor,
        }),
      },
    },
    async (req) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      const after = decodeCursor(req.query.cursor);
      return ctx.db.read(async (q) => {
        await requireMembership(q, req.query.merchantId, req.query.programId, promoterId);
        const rows = await q.query<{
          id: string;
          phone: string | null;
          name: string | null;
          boundAt: string;
          expiresAt: string;
          orders: number;
          salesMinor: number;
        }>(
          `SELECT c.id, c.phone_masked AS phone, c.name_masked AS name, b.bound_at AS "boundAt", b.expires_at AS "expiresAt",
                  (SELECT count(*) FROM orders o WHERE o.merchant_id = c.merchant_id AND o.customer_id = c.id AND o.promoter_id = $3)::int AS orders,
                  coalesce((SELECT sum(o.amount_minor - o.refunded_minor) FROM orders o WHERE o.merchant_id = c.merchant_id AND o.customer_id = c.id AND o.promoter_id = $3 AND o.status <> 'cancelled'), 0)::bigint AS "salesMinor"
           FROM bindings b JOIN customers c ON c.merchant_id = b.merchant_id AND c.id = b.customer_id
           WHERE b.merchant_id = $1 AND b.program_id = $2 AND b.promoter_id = $3
             AND ($4::timestamptz IS NULL OR (b.bound_at, c.id) < ($4::timestamptz, $5::text))
           ORDER BY b.bound_at DESC, c.id DESC LIMIT $6`,
          [req.query.merchantId, req.query.programId, promoterId, after?.at ?? null, after?.id ?? null, req.query.limit + 1],
        );
        const { items, nextCursor } = page(rows, req.query.limit, (r) => ({ at: r.boundAt, id: r.id }));
        return {
          items: items.map((r) => ({ ...r, salesMinor: Number(r.salesMinor) })),
          nextCursor,
        };
      });
    },
  );
}
