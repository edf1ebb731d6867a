/** The scenario format of `runScenario` (docs/scenarios.md): program settings, plan versions, promoters, timed events, asOf. */
import { z } from "zod";
import { ROUNDING_MODES } from "../money/money.ts";

const instant = z.iso.datetime({ offset: true });
const id = z.string().min(1).max(128);
const amount = z.int().min(0);

export const ScenarioProgramSchema = z.strictObject({
  merchantId: id.default("m1"),
  currency: z.string().default("CNY"),
  timeZone: z.string().default("Asia/Shanghai"),
  holdDays: z.int().min(0).default(7),
  clickWindowDays: z.int().min(0).default(7),
  bindingPolicy: z.enum(["sticky", "last-click"]).default("sticky"),
  attributionPrecedence: z.enum(["code-first", "binding-first"]).default("code-first"),
  protectionDays: z.int().min(0).default(365),
  roundingMode: z.enum(ROUNDING_MODES as unknown as ["half-up", "half-even", "down"]).default("half-up"),
  compliancePolicy: z.enum(["standard", "wechat"]).default("standard"),
});

export const ScenarioLineSchema = z.strictObject({
  lineNo: z.int().min(1),
  productId: id,
  productName: z.string().optional(),
  categoryId: id.nullable().default(null),
  quantity: z.int().min(1).default(1),
  netAmountMinor: amount,
  marginMinor: z.int().nullable().optional(),
});

export const ScenarioEventSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("click"), at: instant, promoterId: id, customerRef: id }),
  z.strictObject({ type: z.literal("customer_registered"), at: instant, promoterId: id, customerRef: id }),
  z.strictObject({ type: z.literal("community_joined"), at: instant, promoterId: id, customerRef: id }),
  z.strictObject({
    type: z.literal("order_paid"),
    at: instant,
    orderId: id,
    orderRef: z.string().optional(),
    customerRef: id,
    channel: z.string().default("online"),
    /** Promoter whose promo code is on the order. */
    promoterId: id.optional(),
    /** Customer-to-customer referral: the customer who shared. */
    referrerCustomerRef: id.optional(),
    lines: z.array(ScenarioLineSchema).min(1),
  }),
  z.strictObject({
    type: z.literal("order_refunded"),
    at: instant,
    orderId: id,
    /** Amount refunded now per line (not cumulative). */
    lines: z.array(z.strictObject({ lineNo: z.int().min(1), amountMinor: amount })).min(1),
  }),
  z.strictObject({ type: z.literal("order_completed"), at: instant, orderId: id }),
  z.strictObject({ type: z.literal("order_cancelled"), at: instant, orderId: id }),
  z.strictObject({ type: z.literal("contribution"), at: instant, promoterId: id, contributionType: id, count: z.int().min(1).default(1) }),
  z.strictObject({ type: z.literal("period_close"), at: instant, period: z.string() }),
]);

export const ScenarioSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  program: ScenarioProgramSchema.default(ScenarioProgramSchema.parse({})),
  /** Plan versions; an order is evaluated under the latest version whose effectiveFrom ≤ paidAt. */
  plans: z.array(z.strictObject({ effectiveFrom: instant, plan: z.unknown() })).min(1),
  promoters: z.array(
    z.strictObject({
      id,
      inviterId: id.nullable().default(null),
      rank: id.nullable().default(null),
      joinedAt: instant,
      status: z.enum(["active", "suspended", "left"]).default("active"),
    }),
  ),
  events: z.array(ScenarioEventSchema),
  asOf: instant,
  /** Golden output (checked by the scenario tests; ignored by runScenario). */
  expected: z.unknown().optional(),
});

export type Scenario = z.input<typeof ScenarioSchema>;
export type ParsedScenario = z.infer<typeof ScenarioSchema>;
export type ScenarioEvent = z.infer<typeof ScenarioEventSchema>;
