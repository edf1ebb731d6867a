import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { actorOf, authenticate, merchantOf } from "../../http/auth.ts";
import { isoDateTime } from "../../http/dates.ts";
import { fail } from "../../http/errors.ts";
import type { Api } from "../../http/types.ts";
import { newId } from "../../ids.ts";
import { audit } from "../audit/repository.ts";
import { idempotencyHeaders, idempotent, keyOf, sendStored } from "../idempotency/service.ts";
import { getProgram, resolveProgram } from "../programs/repository.ts";
import { requireMembership } from "../promoters/repository.ts";
import { experimentKpis } from "./experiment.ts";
import { closeProgramPeriod, snapshotReader } from "./service.ts";
import { simulateDraft } from "./simulate.ts";

const params = z.object({
  programId: z.string().min(1).max(64),
  periodKey: z
    .string()
    .min(6)
    .max(10)
    .regex(/^2\d{3}-/, "a period of the years 2000 to 2999, e.g. 2026-04"),
});

export function registerPeriodRoutes(app: Api, ctx: AppContext): void {
  app.post(
    "/v1/programs/:programId/periods/:periodKey/close",
    {
      schema: {
        tags: ["periods"],
        summary: "Close a period: tier true-ups, qualification, bonuses, contests, pool, promotions. Closing twice changes nothing.",
        params,
      },
    },
    async (req) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      return ctx.db.tx(async (q) => {
        const program = await getProgram(q, merchantId, req.params.programId);
        const out = await closeProgramPeriod(q, program, req.params.periodKey, ctx.clock.now(), snapshotReader(ctx.db));
        if (!out.alreadyClosed)
          await audit(
            q,
            merchantId,
            actorOf(p),
            "period.close",
            `program:${program.id}`,
            { periodKey: out.periodKey, adjustments: out.adjustments },
            ctx.clock.now(),
          );
        return out;
      });
    },
  );

  app.get(
    "/v1/programs/:programId/periods",
    { schema: { tags: ["periods"], summary: "Closed periods with their summaries", params: params.pick({ programId: true }) } },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read(async (q) => {
        await getProgram(q, merchantId, req.params.programId);
        const items = await q.query(
          `SELECT period_key AS "periodKey", starts_at AS "startsAt", ends_at AS "endsAt", plan_version AS "planVersion", closed_at AS "closedAt", summary
         FROM period_closes WHERE merchant_id = $1 AND program_id = $2 ORDER BY starts_at DESC LIMIT 120`,
          [merchantId, req.params.programId],
        );
        return { items };
      });
    },
  );

  app.post(
    "/v1/programs/:programId/simulate",
    {
      schema: {
        tags: ["plans"],
        summary: "What-if (方案模拟): replay the program's stored history under a draft plan and compare with the current plan",
        params: params.pick({ programId: true }),
        body: z.object({
          document: z.unknown(),
          from: isoDateTime.optional(),
          to: isoDateTime.optional(),
        }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read(async (q) => {
        const program = await getProgram(q, merchantId, req.params.programId);
        return simulateDraft(q, program, req.body.document, ctx.clock.now(), req.body);
      });
    },
  );

  app.get(
    "/v1/programs/:programId/experiment",
    {
      schema: {
        tags: ["plans"],
        summary: "A/B experiment (方案实验): per-variant promoters, active promoters, sales, commission cost and ROI",
        params: params.pick({ programId: true }),
        querystring: z.object({ from: isoDateTime.optional(), to: isoDateTime.optional() }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read(async (q) => experimentKpis(q, await getProgram(q, merchantId, req.params.programId), ctx.clock.now(), req.query));
    },
  );

  app.post(
    "/v1/contributions",
    {
      schema: {
        tags: ["periods"],
        summary: "Record contribution value (贡献值) for the contribution pool: valid clicks, consultations, content shares, training…",
        headers: idempotencyHeaders,
        body: z.object({
          programId: z.string().min(1).max(64).optional(),
          promoterId: z.string().min(1).max(64),
          type: z.string().min(1).max(64),
          count: z.number().int().min(1).max(1_000_000).default(1),
          occurredAt: isoDateTime.optional(),
          eventRef: z.string().min(1).max(128).optional(),
        }),
      },
    },
    async (req, reply) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const b = req.body;
      const key = keyOf(req.headers);
      const out = await ctx.db.tx((q) =>
        idempotent(q, merchantId, "POST /v1/contributions", key, b, ctx.clock.now(), async () => {
          const program = await resolveProgram(q, merchantId, b.programId);
          await requireMembership(q, merchantId, program.id, b.promoterId);
          if (b.eventRef) {
            const [dup] = await q.query("SELECT 1 FROM contribution_events WHERE merchant_id = $1 AND program_id = $2 AND event_ref = $3", [
              merchantId,
              program.id,
              b.eventRef,
            ]);
            if (dup) fail("IDEMPOTENCY_KEY_REUSED", "This eventRef was already recorded.", { field: "eventRef" });
          }
          const id = newId("ctb");
          await q.query(
            "INSERT INTO contribution_events (merchant_id, id, program_id, promoter_id, type, count, event_ref, occurred_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            [
              merchantId,
              id,
              program.id,
              b.promoterId,
              b.type,
              b.count,
              b.eventRef ?? null,
              b.occurredAt ? new Date(b.occurredAt) : ctx.clock.now(),
              ctx.clock.now(),
            ],
          );
          return { statusCode: 201, body: { id, programId: program.id, promoterId: b.promoterId, type: b.type, count: b.count } };
        }),
      );
      return sendStored(reply, out);
    },
  );
}
