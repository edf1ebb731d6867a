/**
 * A program's funding, service-fee and circuit-breaker settings (program_money_settings.funding, .fee, .circuit_open),
 * each a JSON document validated here ({} = the defaults).
 */
import { z } from "zod";
import type { Sql } from "../../db/client.ts";

/** Low-budget threshold at most (¥10,000,000,000): any real budget is below it. */
export const LOW_BUDGET_ALERT_MAX_MINOR = 1_000_000_000_000;
/** The platform's service fee at most: 30 % of the commission paid out. */
export const SERVICE_FEE_RATE_MAX_BPS = 3_000;

export const FundingSettingsSchema = z
  .object({
    mode: z.enum(["postpaid", "prepaid"]).default("postpaid"),
    lowBudgetAlertMinor: z.number().int().min(0).max(LOW_BUDGET_ALERT_MAX_MINOR).nullable().default(null),
  })
  .strict();
export type FundingSettings = z.infer<typeof FundingSettingsSchema>;

export const FeeSettingsSchema = z
  .object({
    /** % of the gross commission paid out, in basis points; charged to the merchant when a withdrawal is paid. */
    rateBps: z.number().int().min(0).max(SERVICE_FEE_RATE_MAX_BPS).default(0),
  })
  .strict();
export type FeeSettings = z.infer<typeof FeeSettingsSchema>;

export interface MoneySettings {
  funding: FundingSettings;
  fee: FeeSettings;
  circuit: { open: boolean; reason: string | null; changedAt: string | null; changedBy: string | null };
  lowBudgetAlertedAt: string | null;
}

/** The funding and fee sections of a stored settings row as the API shows them (the fee says when it is charged). */
export function fundingSections(funding: unknown, fee: unknown): { funding: FundingSettings; fee: FeeSettings & { chargedAt: "payout" } } {
  return { funding: parsed(FundingSettingsSchema, funding), fee: { ...parsed(FeeSettingsSchema, fee), chargedAt: "payout" } };
}

/** The program's settings row, created with the defaults when missing (a row to lock, for every module that writes it). */
export async function ensureMoneySettingsRow(q: Sql, merchantId: string, programId: string, at: Date): Promise<void> {
  await q.query(
    "INSERT INTO program_money_settings (merchant_id, program_id, updated_at) VALUES ($1, $2, $3) ON CONFLICT (merchant_id, program_id) DO NOTHING",
    [merchantId, programId, at],
  );
}

function parsed<T>(schema: z.ZodType<T>, v: unknown): T {
  const r = schema.safeParse(v ?? {});
  // A stored document that no longer parses (an older shape) reads as the defaults rather than failing every run.
  return r.success ? r.data : schema.parse({});
}

export async function readMoneySettings(q: Sql, merchantId: string, programId: string, forUpdate = false): Promise<MoneySettings> {
  const [r] = await q.query<{
    funding: unknown;
    fee: unknown;
    circuit_open: boolean;
    circuit_reason: string | null;
    circuit_changed_at: Date | null;
    circuit_changed_by: string | null;
    low_budget_alerted_at: Date | null;
  }>(
    `SELECT funding, fee, circuit_open, circuit_reason, circuit_changed_at, circuit_changed_by, low_budget_alerted_at
     FROM program_money_settings WHERE merchant_id = $1 AND program_id = $2${forUpdate ? " FOR UPDATE" : ""}`,
    [merchantId, programId],
  );
  return {
    funding: parsed(FundingSettingsSchema, r?.funding),
    fee: parsed(FeeSettingsSchema, r?.fee),
    circuit: {
      open: r?.circuit_open ?? false,
      reason: r?.circuit_reason ?? null,
      changedAt: r?.circuit_changed_at ? new Date(r.circuit_changed_at).toISOString() : null,
      changedBy: r?.circuit_changed_by ?? null,
    },
    lowBudgetAlertedAt: r?.low_budget_alerted_at ? new Date(r.low_budget_alerted_at).toISOString() : null,
  };
}

/** The program's settings row, created with the defaults when missing (then locked FOR UPDATE). */
export async function lockMoneySettings(q: Sql, merchantId: string, programId: string, at: Date): Promise<MoneySettings> {
  await ensureMoneySettingsRow(q, merchantId, programId, at);
  return readMoneySettings(q, merchantId, programId, true);
}

/** The circuit breaker and the settings a run needs, for every program of a merchant (one read per run step). */
export async function programSettingsOf(q: Sql, merchantId: string, programIds: readonly string[]): Promise<Map<string, MoneySettings>> {
  const out = new Map<string, MoneySettings>();
  for (const id of programIds) out.set(id, await readMoneySettings(q, merchantId, id));
  return out;
}
