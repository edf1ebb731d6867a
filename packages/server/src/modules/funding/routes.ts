/**
 * Funding, the platform's service fee and the circuit breaker of a program (docs/payouts.md, "Funding and the platform
 * fee"). The platform admin records top-ups, sets the funding mode and the fee; the merchant sees its funding, sets its
 * low-budget alert, and may open or close its own circuit.
 */
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import type { Sql } from "../../db/client.ts";
import { actorOf, authenticate, merchantOf, type Principal } from "../../http/auth.ts";
import { fail, invalid } from "../../http/errors.ts";
import type { Api } from "../../http/types.ts";
import { audit } from "../audit/repository.ts";
import { idempotencyHeaders, idempotent, keyOf, sendStored } from "../idempotency/service.ts";
import { lockLedgerHead } from "../ledger/repository.ts";
import { moveWithdrawal } from "../payouts/withdrawal-port.ts";
import { getProgram, type Program } from "../programs/repository.ts";
import { checkLowBudget, fundingView, recordTopUp } from "./service.ts";
import {
  FeeSettingsSchema,
  FundingSettingsSchema,
  fundingSections,
  LOW_BUDGET_ALERT_MAX_MINOR,
  lockMoneySettings,
  readMoneySettings,
  SERVICE_FEE_RATE_MAX_BPS,
} from "./settings.ts";

/** A top-up at most (¥100,000,000). */
export const TOPUP_MAX_MINOR = 10_000_000_000;

const programParams = z.object({ programId: z.string().min(1).max(64) });
const isPlatform = (p: Principal) => p.kind === "user" && p.role === "platform_admin";

/** The program a caller may touch: the merchant's own, or any for the platform admin. */
async function programFor(q: Sql, p: Principal, programId: string): Promise<Program> {
  if (isPlatform(p)) {
    const [r] = await q.query<{ merchant_id: string }>("SELECT merchant_id FROM programs WHERE id = $1 LIMIT 1", [programId]);
    if (!r) fail("NOT_FOUND", "No such program.", { programId });
    return getProgram(q, r.merchant_id, programId);
  }
  return getProgram(q, merchantOf(p), programId);
}

/** The funding, fee and circuit sections of a program's money settings as the API shows them. */
export async function moneySettingsSections(q: Sql, merchantId: string, programId: string) {
  const s = await readMoneySettings(q, merchantId, programId);
  return {
    ...fundingSections(s.funding, s.fee),
    circuit: { open: s.circuit.open, reason: s.circuit.reason },
  };
}

export function registerFundingRoutes(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/programs/:programId/funding",
    {
      schema: {
        tags: ["funding"],
        summary: "A program's funding: mode, budget, drawn, remaining, low-budget alert, latest top-ups",
        params: programParams,
      },
    },
    async (req) => {
      const p = await authenticate(ctx, req);
      return ctx.db.read(async (q) => {
        const prog = await programFor(q, p, req.params.programId);
        return fundingView(q, prog.merchantId, prog.id);
      });
    },
  );

  app.post(
    "/v1/programs/:programId/funding/topups",
    {
      schema: {
        tags: ["funding"],
        summary: "Record a top-up of a prepaid program's budget (platform admin); awaiting_funds withdrawals it covers return to approved",
        params: programParams,
        headers: idempotencyHeaders,
        body: z.object({
          amountMinor: z.number().int().min(1).max(TOPUP_MAX_MINOR),
          reference: z.string().trim().min(1).max(64).describe("the payment's reference, unique per merchant"),
          note: z.string().max(500).optional(),
        }),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      if (!isPlatform(p)) fail("FORBIDDEN", "Top-ups are recorded by the platform admin.");
      const out = await ctx.db.tx(async (q) => {
        const prog = await programFor(q, p, req.params.programId);
        await lockLedgerHead(q, prog.merchantId);
        return idempotent(
          q,
          prog.merchantId,
          `POST /v1/programs/${prog.id}/funding/topups`,
          keyOf(req.headers),
          req.body,
          ctx.clock.now(),
          async () => {
            const r = await recordTopUp(q, prog.merchantId, prog.id, prog.currency, req.body, actorOf(p), ctx.clock.now());
            if (r.status === 201)
              await audit(
                q,
                prog.merchantId,
                actorOf(p),
                "funding.topup",
                `program:${prog.id}`,
                { reference: req.body.reference, amountMinor: req.body.amountMinor },
                ctx.clock.now(),
              );
            return { statusCode: r.status, body: r.topup };
          },
        );
      });
      return sendStored(reply, out);
    },
  );

  app.patch(
    "/v1/programs/:programId/funding",
    {
      schema: {
        tags: ["funding"],
        summary: "Set the funding mode (platform admin) and the low-budget alert threshold (merchant or platform admin)",
        params: programParams,
        headers: idempotencyHeaders,
        body: z.object({
          mode: z.enum(["postpaid", "prepaid"]).optional(),
          lowBudgetAlertMinor: z.number().int().min(0).max(LOW_BUDGET_ALERT_MAX_MINOR).nullable().optional(),
        }),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      if (req.body.mode !== undefined && !isPlatform(p))
        fail("FORBIDDEN", "mode: the funding mode is set by the platform admin.", { field: "mode" });
      const out = await ctx.db.tx(async (q) => {
        const prog = await programFor(q, p, req.params.programId);
        await lockLedgerHead(q, prog.merchantId);
        return idempotent(
          q,
          prog.merchantId,
          `PATCH /v1/programs/${prog.id}/funding`,
          keyOf(req.headers),
          req.body,
          ctx.clock.now(),
          async () => {
            const now = ctx.clock.now();
            const s = await lockMoneySettings(q, prog.merchantId, prog.id, now);
            const funding = FundingSettingsSchema.parse({ ...s.funding, ...req.body });
            await q.query("UPDATE program_money_settings SET funding = $3, updated_at = $4 WHERE merchant_id = $1 AND program_id = $2", [
              prog.merchantId,
              prog.id,
              JSON.stringify(funding),
              now,
            ]);
            // Back to postpaid: nothing waits for a budget any more.
            if (funding.mode === "postpaid" && s.funding.mode === "prepaid") await releaseAll(q, prog.merchantId, prog.id, actorOf(p), now);
            await checkLowBudget(q, prog.merchantId, prog.id, now);
            await audit(q, prog.merchantId, actorOf(p), "funding.settings", `program:${prog.id}`, { ...req.body }, now);
            return { statusCode: 200, body: await fundingView(q, prog.merchantId, prog.id) };
          },
        );
      });
      return sendStored(reply, out);
    },
  );

  app.patch(
    "/v1/programs/:programId/service-fee",
    {
      schema: {
        tags: ["funding"],
        summary: "Set the platform's service fee on commission paid out (platform admin)",
        params: programParams,
        headers: idempotencyHeaders,
        body: z.object({ rateBps: z.number().int().min(0).max(SERVICE_FEE_RATE_MAX_BPS) }),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      if (!isPlatform(p)) fail("FORBIDDEN", "The service fee is set by the platform admin.");
      const out = await ctx.db.tx(async (q) => {
        const prog = await programFor(q, p, req.params.programId);
        await lockLedgerHead(q, prog.merchantId);
        return idempotent(
          q,
          prog.merchantId,
          `PATCH /v1/programs/${prog.id}/service-fee`,
          keyOf(req.headers),
          req.body,
          ctx.clock.now(),
          async () => {
            const now = ctx.clock.now();
            await lockMoneySettings(q, prog.merchantId, prog.id, now);
            const fee = FeeSettingsSchema.parse(req.body);
            await q.query("UPDATE program_money_settings SET fee = $3, updated_at = $4 WHERE merchant_id = $1 AND program_id = $2", [
              prog.merchantId,
              prog.id,
              JSON.stringify(fee),
              now,
            ]);
            await audit(q, prog.merchantId, actorOf(p), "fee.settings", `program:${prog.id}`, fee, now);
            return { statusCode: 200, body: (await moneySettingsSections(q, prog.merchantId, prog.id)).fee };
          },
        );
      });
      return sendStored(reply, out);
    },
  );

  app.post(
    "/v1/programs/:programId/circuit",
    {
      schema: {
        tags: ["funding"],
        summary: "Open or close the program's payout circuit breaker (payout runs skip its withdrawals while open)",
        params: programParams,
        headers: idempotencyHeaders,
        body: z.object({ open: z.boolean(), reason: z.string().trim().min(1).max(200).optional() }),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      if (req.body.open && !req.body.reason) invalid("reason", "required to open the circuit");
      const out = await ctx.db.tx(async (q) => {
        const prog = await programFor(q, p, req.params.programId);
        await lockLedgerHead(q, prog.merchantId);
        return idempotent(
          q,
          prog.merchantId,
          `POST /v1/programs/${prog.id}/circuit`,
          keyOf(req.headers),
          req.body,
          ctx.clock.now(),
          async () => {
            const now = ctx.clock.now();
            await lockMoneySettings(q, prog.merchantId, prog.id, now);
            await q.query(
              `UPDATE program_money_settings SET circuit_open = $3, circuit_reason = $4, circuit_changed_at = $5, circuit_changed_by = $6, updated_at = $5
             WHERE merchant_id = $1 AND program_id = $2`,
              [prog.merchantId, prog.id, req.body.open, req.body.open ? (req.body.reason ?? null) : null, now, actorOf(p)],
            );
            await audit(
              q,
              prog.merchantId,
              actorOf(p),
              req.body.open ? "circuit.open" : "circuit.close",
              `program:${prog.id}`,
              { reason: req.body.reason ?? null },
              now,
            );
            const s = await readMoneySettings(q, prog.merchantId, prog.id);
            return { statusCode: 200, body: { programId: prog.id, ...s.circuit } };
          },
        );
      });
      return sendStored(reply, out);
    },
  );
}

async function releaseAll(q: Sql, merchantId: string, programId: string, actor: string, at: Date): Promise<void> {
  const rows = await q.query<{ id: string }>(
    "SELECT id FROM withdrawals WHERE merchant_id = $1 AND program_id = $2 AND state = 'awaiting_funds' ORDER BY requested_at, id FOR UPDATE",
    [merchantId, programId],
  );
  for (const r of rows) {
    await moveWithdrawal(q, merchantId, r.id, "funds_available", { actor, reason: "program is postpaid", at });
    await q.query("UPDATE withdrawals SET payout_run_id = NULL WHERE merchant_id = $1 AND id = $2", [merchantId, r.id]);
  }
}
