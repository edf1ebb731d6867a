/**
 * GET / PATCH /v1/programs/:programId/money-settings: the program's withdrawal and tax settings (validated by core),
 * with the funding, fee and circuit-breaker sections as stored. Every change is audited with before and after.
 */
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { actorOf, authenticate, merchantOf } from "../../http/auth.ts";
import type { Api } from "../../http/types.ts";
import { audit } from "../audit/repository.ts";
import { idempotencyHeaders, idempotent, keyOf, sendStored } from "../idempotency/service.ts";
import { getProgram } from "../programs/repository.ts";
import {
  loadMoneySettings,
  lockMoneySettings,
  moneySettingsView,
  parseTaxSettings,
  parseWithdrawalSettings,
  saveMoneySettings,
  taxView,
} from "./settings.ts";

const programParams = z.object({ programId: z.string().min(1).max(64) });
const section = z.record(z.string().max(64), z.unknown());

function asObject(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? { ...(v as Record<string, unknown>) } : {};
}

/** withdrawal: the fields sent replace the stored ones, a field sent as null returns to its default. */
export function mergeWithdrawalSection(stored: unknown, patch: Record<string, unknown>): Record<string, unknown> {
  const out = asObject(stored);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** tax: with `method`, the section is replaced (the agent kept unless sent); without it, the fields sent are merged. */
export function mergeTaxSection(stored: unknown, patch: Record<string, unknown>): Record<string, unknown> {
  const cur = asObject(stored);
  if ("method" in patch) return { ...(cur.agent !== undefined ? { agent: cur.agent } : {}), ...patch };
  return { ...cur, ...patch };
}

export function registerMoneySettingsRoutes(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/programs/:programId/money-settings",
    {
      schema: {
        tags: ["withdrawals"],
        summary: "A program's money settings: withdrawal rules, tax withholding (method and agent), funding, fee, circuit breaker",
        params: programParams,
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read(async (q) => {
        await getProgram(q, merchantId, req.params.programId);
        return moneySettingsView(await loadMoneySettings(q, merchantId, req.params.programId));
      });
    },
  );

  app.patch(
    "/v1/programs/:programId/money-settings",
    {
      schema: {
        tags: ["withdrawals"],
        summary: "Change a program's withdrawal and tax settings",
        description:
          "`withdrawal`: the fields sent replace the stored ones (null returns a field to its default); the result is validated " +
          "whole (core WithdrawalSettingsSchema). `tax`: `{ method, agent, …the method's configuration (flat: rateBps) }`; with " +
          "`method` the section is replaced (the agent is kept unless sent), without it the fields sent are merged. " +
          "Errors name the field (`withdrawal.minimumMinor`, `tax.rateBps`).",
        headers: idempotencyHeaders,
        params: programParams,
        body: z.object({ withdrawal: section.optional(), tax: section.optional() }),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const { programId } = req.params;
      const now = ctx.clock.now();
      const out = await ctx.db.tx((q) =>
        idempotent(q, merchantId, `PATCH /v1/programs/${programId}/money-settings`, keyOf(req.headers), req.body, now, async () => {
          await getProgram(q, merchantId, programId);
          const stored = await lockMoneySettings(q, merchantId, programId, now);
          const withdrawal = req.body.withdrawal
            ? mergeWithdrawalSection(stored.withdrawal, req.body.withdrawal)
            : asObject(stored.withdrawal);
          const tax = req.body.tax ? mergeTaxSection(stored.tax, req.body.tax) : asObject(stored.tax);
          const before = { withdrawal: parseWithdrawalSettings(stored.withdrawal), tax: taxView(parseTaxSettings(stored.tax)) };
          const after = { withdrawal: parseWithdrawalSettings(withdrawal), tax: taxView(parseTaxSettings(tax)) };
          await saveMoneySettings(q, merchantId, programId, { withdrawal, tax }, now);
          await audit(q, merchantId, actorOf(p), "money_settings.update", `program:${programId}`, { before, after }, now);
          return { statusCode: 200, body: moneySettingsView(await loadMoneySettings(q, merchantId, programId)) };
        }),
      );
      return sendStored(reply, out);
    },
  );
}
