/**
 * A program's money settings (program_money_settings, migration 0009): the `withdrawal` section (core
 * WithdrawalSettingsSchema) and the `tax` section (the withholding method with its configuration, validated by the core
 * tax registry, and the withholding agent) are read and written here; `funding`, `fee` and the circuit breaker are
 * returned as stored (their schemas belong to the payouts module). A stored `{}` is the defaults.
 */
import {
  merchantAccount,
  PLATFORM_FEE_ACCOUNT,
  TAX_METHODS,
  type TaxConfig,
  TaxConfigSchema,
  type TaxMethod,
  type WithdrawalSettings,
  WithdrawalSettingsSchema,
} from "@fenxiao/core";
import type { z } from "zod";
import type { Sql } from "../../db/client.ts";
import { ApiError } from "../../http/errors.ts";
import { ensureMoneySettingsRow, fundingSections } from "../funding/settings.ts";

/**
 * Who withholds the tax (扣缴义务人): `merchant` — the merchant pays the commission, so by default it is the payer that
 * withholds (个人所得税法 §9: 以支付所得的单位或者个人为扣缴义务人), as in a brand's own deployment; `platform` — the
 * platform operator of a marketplace withholds for every merchant (国家税务总局公告2025年第16号), and a person's
 * cumulative figures run across all the merchants of the deployment.
 */
export const TAX_AGENTS = ["merchant", "platform"] as const;
export type TaxAgentKind = (typeof TAX_AGENTS)[number];
export const TAX_AGENT_DEFAULT: TaxAgentKind = "merchant";

export interface TaxSettings {
  method: TaxMethod;
  agent: TaxAgentKind;
  /** The core calculator's configuration (`{ type: method, …config }`). */
  config: TaxConfig;
}

/** The key of a withholding agent's figures: `platform`, or `merchant:<merchantId>` (tax_withholdings.agent, tax_people.agent). */
export function taxAgentKey(agent: TaxAgentKind, merchantId: string): string {
  return agent === "platform" ? "platform" : `merchant:${merchantId}`;
}

/** Where a withdrawal's fee goes: the platform's fee account when the platform withholds, else the merchant's fee income. */
export function feeAccountOf(agent: TaxAgentKind, merchantId: string): string {
  return agent === "platform" ? PLATFORM_FEE_ACCOUNT : merchantAccount(merchantId, "fee_income");
}

/** A 400 naming `<section>.<field>`; an unknown field is named itself, as everywhere in the API ("unknown field"). */
function issuesError(section: string, issues: readonly z.core.$ZodIssue[]): ApiError {
  const list = issues.flatMap((i) => {
    const at = [section, ...i.path.map(String)];
    if (i.code === "unrecognized_keys") return i.keys.map((k) => ({ path: [...at, k].join("."), message: "unknown field" }));
    return [{ path: at.join("."), message: i.message }];
  });
  const first = list[0] ?? { path: section, message: "invalid" };
  return new ApiError("VALIDATION_FAILED", `${first.path}: ${first.message}`, { issues: list });
}

/** The withdrawal section with its defaults; a value out of its limit is a 400 naming `withdrawal.<field>`. */
export function parseWithdrawalSettings(input: unknown): WithdrawalSettings {
  const r = WithdrawalSettingsSchema.safeParse(input ?? {});
  if (!r.success) throw issuesError("withdrawal", r.error.issues);
  return r.data;
}

/** The tax section: `{ method = "none", agent = "merchant", …the method's configuration }` (e.g. `rateBps` for flat). */
export function parseTaxSettings(input: unknown): TaxSettings {
  const raw = (input && typeof input === "object" && !Array.isArray(input) ? input : {}) as Record<string, unknown>;
  const { method = "none", agent = TAX_AGENT_DEFAULT, ...config } = raw;
  if (typeof method !== "string" || !(TAX_METHODS as readonly string[]).includes(method))
    throw issuesError("tax", [{ code: "custom", path: ["method"], message: `one of ${TAX_METHODS.join(", ")}`, input: method }]);
  if (typeof agent !== "string" || !(TAX_AGENTS as readonly string[]).includes(agent))
    throw issuesError("tax", [{ code: "custom", path: ["agent"], message: `one of ${TAX_AGENTS.join(", ")}`, input: agent }]);
  const r = TaxConfigSchema.safeParse({ ...config, type: method });
  if (!r.success) throw issuesError("tax", r.error.issues);
  return { method: method as TaxMethod, agent: agent as TaxAgentKind, config: r.data };
}

/** The tax section as the API shows and stores it: `{ method, agent, …config }`. */
export function taxView(t: TaxSettings): Record<string, unknown> {
  const { type: _type, ...config } = t.config;
  return { method: t.method, agent: t.agent, ...config };
}

export interface MoneySettingsRow {
  withdrawal: unknown;
  tax: unknown;
  funding: unknown;
  fee: unknown;
  circuitOpen: boolean;
  circuitReason: string | null;
  updatedAt: string | null;
}

const EMPTY: MoneySettingsRow = {
  withdrawal: {},
  tax: {},
  funding: {},
  fee: {},
  circuitOpen: false,
  circuitReason: null,
  updatedAt: null,
};

/** The stored settings of a program (the defaults when it has no row yet); `lock` takes the row FOR UPDATE. */
export async function loadMoneySettings(q: Sql, merchantId: string, programId: string, lock = false): Promise<MoneySettingsRow> {
  const [row] = await q.query<MoneySettingsRow & Record<string, unknown>>(
    `SELECT withdrawal, tax, funding, fee, circuit_open AS "circuitOpen", circuit_reason AS "circuitReason", updated_at AS "updatedAt"
     FROM program_money_settings WHERE merchant_id = $1 AND program_id = $2${lock ? " FOR UPDATE" : ""}`,
    [merchantId, programId],
  );
  return row ?? EMPTY;
}

/** What a withdrawal of the program is decided by: its withdrawal and tax settings and the circuit breaker. */
export interface ProgramMoneyRules {
  withdrawal: WithdrawalSettings;
  tax: TaxSettings;
  circuitOpen: boolean;
}

export async function programMoneyRules(q: Sql, merchantId: string, programId: string): Promise<ProgramMoneyRules> {
  const s = await loadMoneySettings(q, merchantId, programId);
  return { withdrawal: parseWithdrawalSettings(s.withdrawal), tax: parseTaxSettings(s.tax), circuitOpen: s.circuitOpen };
}

/** The settings as GET /v1/programs/:programId/money-settings answers. */
export function moneySettingsView(s: MoneySettingsRow) {
  return {
    withdrawal: parseWithdrawalSettings(s.withdrawal),
    tax: taxView(parseTaxSettings(s.tax)),
    // with their defaults, as the funding module reads them
    ...fundingSections(s.funding, s.fee),
    circuit: { open: s.circuitOpen, reason: s.circuitReason },
    updatedAt: s.updatedAt,
  };
}

/** The program's settings row, created with the defaults when missing, locked until the transaction ends. */
export async function lockMoneySettings(q: Sql, merchantId: string, programId: string, at: Date): Promise<MoneySettingsRow> {
  await ensureMoneySettingsRow(q, merchantId, programId, at);
  return loadMoneySettings(q, merchantId, programId, true);
}

/**
 * Store the withdrawal and tax sections as the merchant set them (validated before; defaults are not written, so a
 * setting left out follows the default); the other sections are left as they are.
 */
export async function saveMoneySettings(
  q: Sql,
  merchantId: string,
  programId: string,
  sections: { withdrawal: Record<string, unknown>; tax: Record<string, unknown> },
  at: Date,
): Promise<void> {
  await q.query(
    `INSERT INTO program_money_settings (merchant_id, program_id, withdrawal, tax, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (merchant_id, program_id) DO UPDATE SET withdrawal = EXCLUDED.withdrawal, tax = EXCLUDED.tax, updated_at = EXCLUDED.updated_at`,
    [merchantId, programId, JSON.stringify(sections.withdrawal), JSON.stringify(sections.tax), at],
  );
}
