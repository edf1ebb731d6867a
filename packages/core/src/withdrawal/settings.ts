/**
 * A program's withdrawal settings (提现设置). Each is a named setting with a default and a limit (house rule 5); an
 * empty object parses to the defaults. Amounts in fen, rates in bps.
 */
import { z } from "zod";

/** ¥10 (SPEC §5). */
export const WITHDRAWAL_MINIMUM_DEFAULT_MINOR = 1_000;
/** The lowest minimum a program may set: ¥0.10, the smallest WeChat Pay transfer. */
export const WITHDRAWAL_MINIMUM_FLOOR_MINOR = 10;
/** ¥20,000 per request by default. */
export const WITHDRAWAL_MAXIMUM_DEFAULT_MINOR = 2_000_000;
/** No single request above ¥1,000,000, whatever a program sets. */
export const WITHDRAWAL_AMOUNT_LIMIT_MINOR = 100_000_000;
/** Requests per promoter and program per day. */
export const WITHDRAWAL_DAILY_COUNT_DEFAULT = 3;
export const WITHDRAWAL_DAILY_COUNT_LIMIT = 50;
/** ¥50,000 per promoter and program per day by default; at most ¥10,000,000. */
export const WITHDRAWAL_DAILY_AMOUNT_DEFAULT_MINOR = 5_000_000;
export const WITHDRAWAL_DAILY_AMOUNT_LIMIT_MINOR = 1_000_000_000;
/** Fee as a percentage: at most 20 %. A fixed fee: at most ¥100. */
export const WITHDRAWAL_FEE_RATE_BPS_LIMIT = 2_000;
export const WITHDRAWAL_FEE_FIXED_LIMIT_MINOR = 10_000;
/** Requests up to ¥200 are approved automatically (when the promoter has no open risk flag); 0 turns it off. */
export const WITHDRAWAL_AUTO_APPROVE_DEFAULT_MINOR = 20_000;
/** A reviewer decides within 48 hours by default; at most 30 days. */
export const WITHDRAWAL_REVIEW_SLA_DEFAULT_HOURS = 48;
export const WITHDRAWAL_REVIEW_SLA_LIMIT_HOURS = 720;

const amount = (min: number, max: number) => z.number().int().min(min).max(max);

export const WithdrawalFeeSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("none") }),
  /** rateBps of the gross, rounded half-up to the fen, then raised to floorMinor and lowered to ceilingMinor (null: no ceiling). */
  z.strictObject({
    kind: z.literal("percent"),
    rateBps: amount(0, WITHDRAWAL_FEE_RATE_BPS_LIMIT),
    floorMinor: amount(0, WITHDRAWAL_FEE_FIXED_LIMIT_MINOR).default(0),
    ceilingMinor: amount(0, WITHDRAWAL_AMOUNT_LIMIT_MINOR).nullable().default(null),
  }),
  z.strictObject({ kind: z.literal("fixed"), amountMinor: amount(0, WITHDRAWAL_FEE_FIXED_LIMIT_MINOR) }),
]);
export type WithdrawalFee = z.infer<typeof WithdrawalFeeSchema>;

export const WithdrawalSettingsSchema = z
  .strictObject({
    minimumMinor: amount(WITHDRAWAL_MINIMUM_FLOOR_MINOR, WITHDRAWAL_AMOUNT_LIMIT_MINOR).default(WITHDRAWAL_MINIMUM_DEFAULT_MINOR),
    maximumPerRequestMinor: amount(WITHDRAWAL_MINIMUM_FLOOR_MINOR, WITHDRAWAL_AMOUNT_LIMIT_MINOR).default(WITHDRAWAL_MAXIMUM_DEFAULT_MINOR),
    dailyCountMax: amount(1, WITHDRAWAL_DAILY_COUNT_LIMIT).default(WITHDRAWAL_DAILY_COUNT_DEFAULT),
    dailyAmountMaxMinor: amount(WITHDRAWAL_MINIMUM_FLOOR_MINOR, WITHDRAWAL_DAILY_AMOUNT_LIMIT_MINOR).default(
      WITHDRAWAL_DAILY_AMOUNT_DEFAULT_MINOR,
    ),
    fee: WithdrawalFeeSchema.default({ kind: "none" }),
    autoApproveMaxMinor: amount(0, WITHDRAWAL_AMOUNT_LIMIT_MINOR).default(WITHDRAWAL_AUTO_APPROVE_DEFAULT_MINOR),
    reviewSlaHours: amount(1, WITHDRAWAL_REVIEW_SLA_LIMIT_HOURS).default(WITHDRAWAL_REVIEW_SLA_DEFAULT_HOURS),
  })
  .superRefine((s, ctx) => {
    if (s.minimumMinor > s.maximumPerRequestMinor)
      ctx.addIssue({ code: "custom", path: ["minimumMinor"], message: "minimumMinor must not exceed maximumPerRequestMinor" });
    if (s.maximumPerRequestMinor > s.dailyAmountMaxMinor)
      ctx.addIssue({
        code: "custom",
        path: ["maximumPerRequestMinor"],
        message: "maximumPerRequestMinor must not exceed dailyAmountMaxMinor",
      });
    if (s.fee.kind === "percent" && s.fee.ceilingMinor !== null && s.fee.ceilingMinor < s.fee.floorMinor)
      ctx.addIssue({ code: "custom", path: ["fee", "ceilingMinor"], message: "ceilingMinor must not be below floorMinor" });
  });
export type WithdrawalSettings = z.output<typeof WithdrawalSettingsSchema>;
export type WithdrawalSettingsInput = z.input<typeof WithdrawalSettingsSchema>;

export const WITHDRAWAL_SETTINGS_DEFAULTS: WithdrawalSettings = WithdrawalSettingsSchema.parse({});

/** Settings with the defaults filled in; throws a ZodError naming the field when a value is out of its limit. */
export function withdrawalSettings(input: WithdrawalSettingsInput = {}): WithdrawalSettings {
  return WithdrawalSettingsSchema.parse(input);
}
