/** Withdrawal routes: the promoter's wallet, preview, request and history; the merchant's review queue and decisions. */

import { WITHDRAWAL_STATES } from "@fenxiao/core";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import type { Sql } from "../../db/client.ts";
import { actorOf, authenticate, merchantOf, promoterOf } from "../../http/auth.ts";
import { isoDateTime } from "../../http/dates.ts";
import { ApiError, fail, invalid } from "../../http/errors.ts";
import { requiredName } from "../../http/input.ts";
import { decodeCursor, page, pageQuery } from "../../http/pagination.ts";
import type { Api } from "../../http/types.ts";
import { idempotencyHeaders, idempotent, keyOf, sendStored } from "../idempotency/service.ts";
import { identitySummary } from "../identity/reveal.ts";
import { lockLedgerHead } from "../ledger/repository.ts";
import {
  countWithdrawals,
  getPromoterWithdrawal,
  getWithdrawal,
  listTransitions,
  listWithdrawals,
  type WithdrawalRow,
} from "./repository.ts";
import { previewView, quoteWithdrawal, requestWithdrawal, withdrawalMerchant } from "./service.ts";
import { applyWithdrawalEvent, WITHDRAWAL_REASON_LENGTH_MAX } from "./transition.ts";
import { withdrawalView } from "./view.ts";
import { promoterWallet } from "./wallet.ts";

/** Withdrawals decided by one bulk request at most. */
export const WITHDRAWAL_BULK_MAX = 100;

const id = z.string().min(1).max(64);
const withdrawalParams = z.object({ withdrawalId: id });
const requestBody = z.object({
  programId: id,
  amountMinor: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe("the gross, in fen: tax and fee come out of it"),
  payoutAccountId: id,
});
const reason = requiredName(WITHDRAWAL_REASON_LENGTH_MAX);
const state = z.enum(WITHDRAWAL_STATES);

/** The merchant's view: the promoter's name, and whether a reviewer is late (past reviewDueAt, still requested). */
function merchantView(w: WithdrawalRow & { promoterName?: string }, now: Date, extra: Parameters<typeof withdrawalView>[1] = {}) {
  return { ...withdrawalView(w, extra), overdue: w.state === "requested" && new Date(w.reviewDueAt).getTime() < now.getTime() };
}

export function registerWithdrawalRoutes(app: Api, ctx: AppContext): void {
  registerPromoterRequests(app, ctx);
  registerPromoterReads(app, ctx);
  registerMerchantReads(app, ctx);
  registerMerchantDecisions(app, ctx);
}

function registerPromoterRequests(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/me/wallet",
    {
      schema: {
        tags: ["portal"],
        summary: "My balances per merchant (pending, available, locked, paid, tax withheld) and totals per currency",
      },
    },
    async (req) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      return ctx.db.read((q) => promoterWallet(q, promoterId));
    },
  );

  app.post(
    "/v1/me/withdrawals/preview",
    {
      schema: {
        tags: ["portal"],
        summary: "What a withdrawal would be: amount (the gross), tax, fee, net and approval — exactly what the request fixes now",
        body: requestBody,
      },
    },
    async (req) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      const now = ctx.clock.now();
      return ctx.db.read(async (q) => {
        const merchantId = await withdrawalMerchant(q, req.body.programId, promoterId);
        return previewView(await quoteWithdrawal(q, merchantId, promoterId, req.body, now, false));
      });
    },
  );

  app.post(
    "/v1/me/withdrawals",
    {
      schema: {
        tags: ["portal"],
        summary: "Withdraw from my available balance (201, state requested, or approved when approved automatically)",
        headers: idempotencyHeaders,
        body: requestBody,
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const promoterId = promoterOf(p);
      const now = ctx.clock.now();
      const out = await ctx.db.tx(async (q) => {
        const merchantId = await withdrawalMerchant(q, req.body.programId, promoterId);
        await lockLedgerHead(q, merchantId);
        return idempotent(q, merchantId, `POST /v1/me/withdrawals ${promoterId}`, keyOf(req.headers), req.body, now, async () => {
          const w = await requestWithdrawal(q, merchantId, promoterId, actorOf(p), req.body, now);
          return { statusCode: 201, body: withdrawalView(w) };
        });
      });
      return sendStored(reply, out);
    },
  );
}

function registerPromoterReads(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/me/withdrawals",
    {
      schema: {
        tags: ["portal"],
        summary: "My withdrawals, newest first",
        querystring: pageQuery.extend({ programId: id.optional(), state: state.optional() }),
      },
    },
    async (req) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      const { limit, cursor, programId, state } = req.query;
      const rows = await ctx.db.read((q) => listWithdrawals(q, { promoterId, programId, state }, decodeCursor(cursor), limit));
      const pg = page(rows, limit, (r) => ({ at: r.requestedAt, id: r.id }));
      return { items: pg.items.map(({ promoterName: _n, ...w }) => withdrawalView(w)), nextCursor: pg.nextCursor };
    },
  );

  app.get(
    "/v1/me/withdrawals/:withdrawalId",
    { schema: { tags: ["portal"], summary: "One of my withdrawals with its transitions", params: withdrawalParams } },
    async (req) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      return ctx.db.read(async (q) => {
        const w = await getPromoterWithdrawal(q, promoterId, req.params.withdrawalId);
        if (!w) fail("NOT_FOUND", "No such withdrawal.", { withdrawalId: req.params.withdrawalId });
        return withdrawalView(w, { transitions: await listTransitions(q, w.merchantId, w.id), mchId: await confirmationMchId(q, w) });
      });
    },
  );
}

/** The WeChat Pay 商户号 of the merchant (its masked provider configuration) while the payee must confirm, else null. */
async function confirmationMchId(q: Sql, w: { merchantId: string; packageInfo: string | null; provider: string | null }) {
  if (w.packageInfo === null || w.provider !== "wechat") return null;
  const [r] = await q.query<{ mch_id: string | null }>(
    "SELECT config_masked->>'mchId' AS mch_id FROM payout_provider_configs WHERE merchant_id = $1 AND provider = 'wechat'",
    [w.merchantId],
  );
  return r?.mch_id ?? null;
}

function registerMerchantReads(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/withdrawals",
    {
      schema: {
        tags: ["withdrawals"],
        summary: "Withdrawals (the review queue with state=requested), newest first, with the total matching the filters",
        querystring: pageQuery.extend({
          programId: id.optional(),
          state: state.optional(),
          promoterId: id.optional(),
          from: isoDateTime.optional().describe("requested at or after"),
          to: isoDateTime.optional().describe("requested before"),
        }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const { limit, cursor, ...f } = req.query;
      const now = ctx.clock.now();
      const filter = { merchantId, ...f };
      const { rows, total } = await ctx.db.read(async (q) => ({
        rows: await listWithdrawals(q, filter, decodeCursor(cursor), limit),
        total: await countWithdrawals(q, filter),
      }));
      const pg = page(rows, limit, (r) => ({ at: r.requestedAt, id: r.id }));
      return { items: pg.items.map((w) => merchantView(w, now)), nextCursor: pg.nextCursor, total };
    },
  );

  app.get(
    "/v1/withdrawals/:withdrawalId",
    {
      schema: {
        tags: ["withdrawals"],
        summary: "One withdrawal with its transitions and the promoter's masked identity summary",
        params: withdrawalParams,
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read(async (q) => {
        const w = await getWithdrawal(q, merchantId, req.params.withdrawalId);
        if (!w) fail("NOT_FOUND", "No such withdrawal.", { withdrawalId: req.params.withdrawalId });
        const [named] = await q.query<{ name: string }>("SELECT name FROM promoters WHERE id = $1", [w.promoterId]);
        return {
          ...merchantView({ ...w, promoterName: named?.name ?? "" }, ctx.clock.now(), {
            transitions: await listTransitions(q, merchantId, w.id),
          }),
          identity: await identitySummary(q, w.promoterId),
        };
      });
    },
  );
}

function registerMerchantDecisions(app: Api, ctx: AppContext): void {
  /** approve / reject one withdrawal: the ledger head, the key, then the withdrawal (applyWithdrawalEvent). */
  function decide(action: "approve" | "reject", summary: string, body: z.ZodType) {
    app.post(
      `/v1/withdrawals/:withdrawalId/${action}`,
      { schema: { tags: ["withdrawals"], summary, headers: idempotencyHeaders, params: withdrawalParams, body } },
      async (req, reply) => {
        const p = await authenticate(ctx, req);
        const merchantId = merchantOf(p);
        const now = ctx.clock.now();
        const { withdrawalId } = req.params;
        const b = (req.body ?? {}) as { reason?: string };
        const out = await ctx.db.tx(async (q) => {
          await lockLedgerHead(q, merchantId);
          return idempotent(q, merchantId, `POST /v1/withdrawals/${withdrawalId}/${action}`, keyOf(req.headers), b, now, async () => {
            const w = await applyWithdrawalEvent(q, merchantId, withdrawalId, action, { actor: actorOf(p), reason: b.reason, at: now });
            return { statusCode: 200, body: merchantView(w, now) };
          });
        });
        return sendStored(reply, out);
      },
    );
  }
  decide("approve", "Approve a requested withdrawal (it then waits for a payout run)", z.object({}).optional());
  decide("reject", "Reject a withdrawal with a reason: the gross returns to available, its tax is voided", z.object({ reason }));

  app.post(
    "/v1/withdrawals/bulk",
    {
      schema: {
        tags: ["withdrawals"],
        summary: `Approve or reject up to ${WITHDRAWAL_BULK_MAX} withdrawals at once, answering per id`,
        headers: idempotencyHeaders,
        body: z.object({
          action: z.enum(["approve", "reject"]),
          ids: z.array(id).min(1).max(WITHDRAWAL_BULK_MAX),
          reason: reason.optional().describe("required to reject"),
        }),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const now = ctx.clock.now();
      const b = req.body;
      if (b.action === "reject" && b.reason === undefined) invalid("reason", "required to reject");
      const out = await ctx.db.tx(async (q) => {
        await lockLedgerHead(q, merchantId);
        return idempotent(q, merchantId, "POST /v1/withdrawals/bulk", keyOf(req.headers), b, now, async () => {
          const results = [];
          for (const withdrawalId of b.ids) {
            try {
              const w = await applyWithdrawalEvent(q, merchantId, withdrawalId, b.action, { actor: actorOf(p), reason: b.reason, at: now });
              results.push({ id: withdrawalId, ok: true as const, state: w.state });
            } catch (e) {
              // Refusals are raised before anything of that withdrawal is written (transition.ts), so the rest go on.
              if (!(e instanceof ApiError)) throw e;
              results.push({ id: withdrawalId, ok: false as const, error: { code: e.code, message: e.message } });
            }
          }
          return { statusCode: 200, body: { results } };
        });
      });
      return sendStored(reply, out);
    },
  );
}
