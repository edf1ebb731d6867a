/** Payout runs (docs/payouts.md, "Payout runs"): start, watch, retry, the bank file, and the providers' callbacks. */
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { actorOf, authenticate, merchantOf } from "../../http/auth.ts";
import { fail } from "../../http/errors.ts";
import type { Api } from "../../http/types.ts";
import { audit } from "../audit/repository.ts";
import { idempotencyHeaders, idempotent, keyOf, sendStored } from "../idempotency/service.ts";
import { lockLedgerHead } from "../ledger/repository.ts";
import { getProgram } from "../programs/repository.ts";
import { bankFile, importBankResult } from "./bank.ts";
import { RUN_PROVIDERS } from "./contract.ts";
import { getRun, runItems, runView } from "./repository.ts";
import type { RunnerDeps } from "./runner.ts";
import { createRun, handleCallback, kickRun, retryRun, runnerDepsOf } from "./service.ts";

export const RUN_ITEMS_PAGE_MAX = 500;
const runParams = z.object({ runId: z.string().min(1).max(64) });

export function registerPayoutRoutes(app: Api, ctx: AppContext): void {
  const deps: RunnerDeps = runnerDepsOf(ctx);

  app.post(
    "/v1/payout-runs",
    {
      schema: {
        tags: ["payouts"],
        summary: "Start a payout run over the merchant's (or one program's) approved withdrawals",
        headers: idempotencyHeaders,
        body: z.object({ programId: z.string().min(1).max(64).optional(), provider: z.enum(RUN_PROVIDERS).optional() }),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      if (req.body.provider && req.body.provider !== "bank_file" && !(await deps.providers.get(merchantId, req.body.provider, true)))
        fail("PAYOUT_PROVIDER_UNAVAILABLE", undefined, { field: "provider", provider: req.body.provider });
      const out = await ctx.db.tx(async (q) => {
        await lockLedgerHead(q, merchantId);
        return idempotent(q, merchantId, "POST /v1/payout-runs", keyOf(req.headers), req.body, ctx.clock.now(), async () => {
          if (req.body.programId) await getProgram(q, merchantId, req.body.programId);
          const run = await createRun(q, merchantId, req.body, actorOf(p), ctx.clock.now());
          await audit(q, merchantId, actorOf(p), "payout_run.start", `payout_run:${run.id}`, { ...req.body }, ctx.clock.now());
          return { statusCode: 201, body: await runView(q, run) };
        });
      });
      if (!out.replayed) kickRun(deps, merchantId, (out.body as { id: string }).id);
      return sendStored(reply, out);
    },
  );

  app.get(
    "/v1/payout-runs",
    {
      schema: {
        tags: ["payouts"],
        summary: "Payout runs, newest first",
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), before: z.string().datetime().optional() }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read(async (q) => {
        const runs = await q.query<Parameters<typeof runView>[1] & Record<string, unknown>>(
          `SELECT * FROM payout_runs WHERE merchant_id = $1 AND ($2::timestamptz IS NULL OR created_at < $2) ORDER BY created_at DESC, id DESC LIMIT $3`,
          [merchantId, req.query.before ?? null, req.query.limit + 1],
        );
        const more = runs.length > req.query.limit;
        const items = [];
        for (const r of runs.slice(0, req.query.limit)) items.push(await runView(q, r));
        const last = items[items.length - 1];
        return { items, nextCursor: more && last ? last.createdAt : null };
      });
    },
  );

  app.get(
    "/v1/payout-runs/:runId",
    {
      schema: {
        tags: ["payouts"],
        summary: "A payout run: step, counts, and a page of its items",
        params: runParams,
        querystring: z.object({
          state: z
            .enum(["selected", "skipped", "awaiting_funds", "submitting", "processing", "wait_user_confirm", "paid", "failed"])
            .optional(),
          cursor: z
            .string()
            .regex(/^[0-9]{1,9}$/, "a cursor returned by this API")
            .optional(),
          limit: z.coerce.number().int().min(1).max(RUN_ITEMS_PAGE_MAX).default(100),
        }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read(async (q) => {
        const run = await getRun(q, merchantId, req.params.runId);
        const page = await runItems(q, merchantId, run.id, {
          state: req.query.state,
          afterSeq: Number(req.query.cursor ?? 0),
          limit: req.query.limit,
        });
        return { ...(await runView(q, run)), items: page.items, nextCursor: page.nextCursor };
      });
    },
  );

  app.post(
    "/v1/payout-runs/:runId/retry",
    {
      schema: {
        tags: ["payouts"],
        summary: "Run a finished run again over its items that did not pay and whose withdrawal is approved again",
        params: runParams,
        headers: idempotencyHeaders,
        body: z.object({}).optional(),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const out = await ctx.db.tx(async (q) => {
        await lockLedgerHead(q, merchantId);
        return idempotent(
          q,
          merchantId,
          `POST /v1/payout-runs/${req.params.runId}/retry`,
          keyOf(req.headers),
          req.body ?? {},
          ctx.clock.now(),
          async () => {
            const run = await retryRun(q, merchantId, req.params.runId, ctx.clock.now());
            await audit(q, merchantId, actorOf(p), "payout_run.retry", `payout_run:${run.id}`, {}, ctx.clock.now());
            return { statusCode: 200, body: await runView(q, run) };
          },
        );
      });
      if (!out.replayed) kickRun(deps, merchantId, req.params.runId);
      return sendStored(reply, out);
    },
  );

  app.get(
    "/v1/payout-runs/:runId/bank-file",
    { schema: { tags: ["payouts"], summary: 'The run\'s bank batch file (CSV, docs/payouts.md "Bank batch file")', params: runParams } },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const csv = await ctx.db.tx(async (q) => {
        const run = await getRun(q, merchantId, req.params.runId);
        const text = await bankFile(q, deps, run, actorOf(p), ctx.clock.now());
        await audit(q, merchantId, actorOf(p), "payout_run.bank_file", `payout_run:${run.id}`, { batchNo: run.batch_no }, ctx.clock.now());
        return text;
      });
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${req.params.runId}.csv"`)
        .send(csv);
    },
  );

  // Raw bodies: the bank's result file (CSV) and the providers' callbacks, whose signatures cover the exact bytes.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));
    scope.post(
      "/v1/payout-runs/:runId/bank-result",
      {
        schema: {
          tags: ["payouts"],
          summary: "Import the bank's result file of the run's batch (CSV): paid lines settle, failed lines fail and return the money",
          params: runParams,
        },
      },
      async (req, reply) => {
        const p = await authenticate(ctx, req);
        const merchantId = merchantOf(p);
        const { runId } = req.params as { runId: string };
        const csv = typeof req.body === "string" ? req.body : "";
        const out = await importBankResult(deps, merchantId, runId, csv, actorOf(p));
        return reply.status(200).send(out);
      },
    );
    scope.post(
      "/v1/payout-callbacks/:provider/:merchantId",
      {
        schema: {
          tags: ["payouts"],
          summary: "A payout provider's result notification (signature verified by the provider adapter)",
          security: [],
          params: z.object({ provider: z.string().min(1).max(32), merchantId: z.string().min(1).max(64) }),
        },
      },
      async (req, reply) => {
        const { provider, merchantId } = req.params as { provider: string; merchantId: string };
        const raw = typeof req.body === "string" ? req.body : "";
        const out = await handleCallback(deps, provider, merchantId, req.headers, raw);
        return reply.status(200).send(out);
      },
    );
  });
}
