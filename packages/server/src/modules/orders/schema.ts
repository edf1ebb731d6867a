import { z } from "zod";
import type { KeyRing } from "../../crypto/sealed.ts";
import { isoDateTime } from "../../http/dates.ts";
import { type HashedRequest, personalRequest } from "../idempotency/service.ts";

/** An order carries at most this many lines. */
export const ORDER_LINES_MAX = 200;
/** Largest line amount accepted: ¥ 100,000,000.00. */
export const LINE_AMOUNT_MAX_MINOR = 10_000_000_000;

const iso = isoDateTime;
const money = z.number().int().min(0).max(LINE_AMOUNT_MAX_MINOR);

export const orderLine = z.object({
  productId: z.string().min(1).max(64),
  productName: z.string().max(200).optional(),
  categoryId: z.string().min(1).max(64).optional(),
  quantity: z.number().int().min(1).max(100_000),
  netAmountMinor: money.describe("line amount after discounts, excluding shipping, in fen"),
  marginMinor: z.number().int().min(-LINE_AMOUNT_MAX_MINOR).max(LINE_AMOUNT_MAX_MINOR).optional(),
});

export const paidOrderBody = z.object({
  programId: z.string().min(1).max(64).optional(),
  orderRef: z.string().min(1).max(128),
  customer: z.object({ ref: z.string().min(1).max(128), phone: z.string().max(32).optional(), name: z.string().max(100).optional() }),
  channel: z.string().min(1).max(32).default("online"),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  paidAt: iso,
  promoCode: z.string().min(4).max(16).optional(),
  clickToken: z.string().min(1).max(64).optional(),
  referrerCustomerRef: z.string().min(1).max(128).optional(),
  shippingMinor: money.default(0),
  lines: z
    .array(orderLine)
    .min(1)
    .max(ORDER_LINES_MAX)
    .refine((ls) => ls.some((l) => l.netAmountMinor > 0), { message: "the lines total 0: an order must have an amount" }),
});
export type PaidOrderBody = z.infer<typeof paidOrderBody>;

/** Paid orders per bulk request at most. */
export const ORDERS_BATCH_MAX = 500;

/** Many paid orders in one request (a shop's backlog, a webhook batch): each with its own optional Idempotency-Key. */
export const paidOrderBatchBody = z.object({
  orders: z
    .array(
      paidOrderBody.extend({
        idempotencyKey: z
          .string()
          .min(1)
          .max(255)
          .optional()
          .describe("the order's Idempotency-Key: the same as the header of POST /v1/orders, in the same scope"),
      }),
    )
    .min(1)
    .max(ORDERS_BATCH_MAX),
});

export const refundBody = z
  .object({
    refundRef: z.string().min(1).max(128).optional(),
    amountMinor: z
      .number()
      .int()
      .min(1)
      .max(LINE_AMOUNT_MAX_MINOR * ORDER_LINES_MAX)
      .optional(),
    lines: z
      .array(
        z.object({ lineNo: z.number().int().min(1).max(ORDER_LINES_MAX), amountMinor: z.number().int().min(1).max(LINE_AMOUNT_MAX_MINOR) }),
      )
      .min(1)
      .max(ORDER_LINES_MAX)
      .optional(),
    refundedAt: iso.optional(),
  })
  .refine((b) => (b.amountMinor === undefined) !== (b.lines === undefined), {
    message: "give either amountMinor or lines",
    path: ["amountMinor"],
  });
export type RefundBody = z.infer<typeof refundBody>;

export const completeBody = z.object({ completedAt: iso.optional() }).default({});
export const cancelBody = z.object({ cancelledAt: iso.optional(), reason: z.string().max(200).optional() }).default({});

/** The personal values of a paid order's body, compared by their keyed digest when its Idempotency-Key is retried. */
export const PAID_ORDER_PERSONAL = ["customer.phone", "customer.name"] as const;

/** A paid order as its Idempotency-Key stores and compares it (idempotency/service.ts HashedRequest). */
export function paidRequest(ring: KeyRing, body: PaidOrderBody): HashedRequest {
  return personalRequest(ring, body, PAID_ORDER_PERSONAL);
}
