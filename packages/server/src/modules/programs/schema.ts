import { z } from "zod";
import { requiredName } from "../../http/input.ts";
import { landingUrl } from "../../http/urls.ts";

export const HOLD_DAYS_MAX = 365;
/** Who may join a program (分销员申请条件): anyone, only with a member's invite code, or with the merchant's approval. */
export const JOIN_POLICIES = ["open", "invite", "approval"] as const;
export type JoinPolicy = (typeof JOIN_POLICIES)[number];
export const CLICK_WINDOW_DAYS_MAX = 365;
export const PROTECTION_DAYS_MAX = 3650;
export const CLOSE_GRACE_DAYS_MAX = 60;

const timezone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "not an IANA time zone");

export const programSettings = z.object({
  name: requiredName(100),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "ISO 4217 code such as CNY")
    .default("CNY"),
  timezone: timezone.default("Asia/Shanghai"),
  holdDays: z.number().int().min(0).max(HOLD_DAYS_MAX).default(7),
  clickWindowDays: z.number().int().min(0).max(CLICK_WINDOW_DAYS_MAX).default(7),
  bindingPolicy: z.enum(["sticky", "last-click"]).default("sticky"),
  attributionPrecedence: z
    .enum(["code-first", "binding-first"])
    .default("code-first")
    .describe("code-first: code > click > binding; binding-first: an active binding keeps the order during protection"),
  protectionDays: z.number().int().min(0).max(PROTECTION_DAYS_MAX).default(365),
  roundingMode: z.enum(["half-up", "half-even", "down"]).default("half-up"),
  compliancePolicy: z.enum(["standard", "wechat"]).default("standard"),
  periodKind: z.enum(["month", "week", "quarter"]).default("month"),
  closeGraceDays: z
    .number()
    .int()
    .min(0)
    .max(CLOSE_GRACE_DAYS_MAX)
    .default(3)
    .describe("days after a period ends before the close job closes it"),
  landingUrl: landingUrl.describe("the page /r/{code} sends visitors to: http or https only"),
  joinPolicy: z
    .enum(JOIN_POLICIES)
    .default("open")
    .describe("who may join: open (anyone), invite (a member's invite code is required), approval (the merchant approves each sign-up)"),
});

export const programPatch = programSettings.partial().extend({ status: z.enum(["active", "paused"]).optional() });
