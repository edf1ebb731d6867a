import { z } from "zod";
import type { AppContext } from "../../context.ts";
import type { Sql } from "../../db/client.ts";
import { actorOf, authenticate, merchantOf } from "../../http/auth.ts";
import { isoDateTime } from "../../http/dates.ts";
import { fail } from "../../http/errors.ts";
import { positiveIntParam } from "../../http/input.ts";
import type { Api } from "../../http/types.ts";
import { audit } from "../audit/repository.ts";
import { idempotencyHeaders, idempotent, keyOf, sendStored } from "../idempotency/service.ts";
import { getPlanVersion, getProgram, listPlanVersions, listPrograms, lockProgram } from "./repository.ts";
import { checkRetroactive, retroactiveImpact } from "./retroactive.ts";
import { programPatch, programSettings } from "./schema.ts";
import {
  assertPublishable,
  checkPolicyChange,
  createDraftPlan,
  createProgram,
  lintDocument,
  publishPlan,
  updateProgram,
} from "./service.ts";

const programParams = z.object({ programId: z.string().min(1).max(64) });

/** The longest reason a retroactive publish may give (it is kept in the audit log). */
export const RETROACTIVE_REASON_MAX = 500;

const publishBody = z
  .object({
    effectiveFrom: isoDateTime.optional(),
    /** Publish even though effectiveFrom is in the past and orders were paid since (audited with the reason). */
    allowRetroactive: z.boolean().optional(),
    reason: z.string().trim().min(1).max(RETROACTIVE_REASON_MAX).optional(),
  })
  .refine((b) => b.allowRetroactive !== true || b.reason !== undefined, {
    path: ["reason"],
    message: "a retroactive publish (allowRetroactive) needs a reason",
  })
  .default({});

export function registerProgramRoutes(app: Api, ctx: AppContext): void {
  app.post(
    "/v1/programs",
    { schema: { tags: ["programs"], summary: "Create a program (分销计划)", headers: idempotencyHeaders, body: programSettings } },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const out = await ctx.db.tx((q) =>
        idempotent(q, merchantId, "POST /v1/programs", keyOf(req.headers), req.body, ctx.clock.now(), async () => {
          const id = await createProgram(q, merchantId, req.body, undefined, ctx.clock.now());
          await audit(q, merchantId, actorOf(p), "program.create", `program:${id}`, req.body, ctx.clock.now());
          return { statusCode: 201, body: await getProgram(q, merchantId, id) };
        }),
      );
      return sendStored(reply, out);
    },
  );

  app.get("/v1/programs", { schema: { tags: ["programs"], summary: "List programs" } }, async (req) => {
    const merchantId = merchantOf(await authenticate(ctx, req));
    return { items: await ctx.db.read((q) => listPrograms(q, merchantId)) };
  });

  app.get(
    "/v1/programs/:programId",
    { schema: { tags: ["programs"], summary: "A program and its settings", params: programParams } },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read((q) => getProgram(q, merchantId, req.params.programId));
    },
  );

  app.patch(
    "/v1/programs/:programId",
    { schema: { tags: ["programs"], summary: "Change program settings", params: programParams, body: programPatch } },
    async (req) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      return ctx.db.tx(async (q) => {
        await lockProgram(q, merchantId, req.params.programId);
        const program = await getProgram(q, merchantId, req.params.programId);
        if (req.body.compliancePolicy) await checkPolicyChange(q, program, req.body.compliancePolicy, ctx.clock.now());
        await updateProgram(q, merchantId, req.params.programId, req.body);
        await audit(q, merchantId, actorOf(p), "program.update", `program:${req.params.programId}`, req.body, ctx.clock.now());
        return getProgram(q, merchantId, req.params.programId);
      });
    },
  );

  app.get(
    "/v1/programs/:programId/plans",
    { schema: { tags: ["plans"], summary: "Plan versions", params: programParams } },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read(async (q) => {
        await getProgram(q, merchantId, req.params.programId);
        return { items: await listPlanVersions(q, merchantId, req.params.programId) };
      });
    },
  );

  app.get(
    "/v1/programs/:programId/plans/:version",
    { schema: { tags: ["plans"], summary: "One plan version", params: programParams.extend({ version: positiveIntParam }) } },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read((q) => getPlanVersion(q, merchantId, req.params.programId, req.params.version));
    },
  );

  app.post(
    "/v1/programs/:programId/plans",
    {
      schema: {
        tags: ["plans"],
        summary: "Save a draft plan version (validated and linted, not yet in force)",
        headers: idempotencyHeaders,
        params: programParams,
        body: z.object({ document: z.unknown() }),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const scope = `POST /v1/programs/${req.params.programId}/plans`;
      const out = await ctx.db.tx((q) =>
        idempotent(q, merchantId, scope, keyOf(req.headers), req.body, ctx.clock.now(), async () => {
          const program = await getProgram(q, merchantId, req.params.programId);
          const v = await createDraftPlan(q, program, req.body.document, ctx.clock.now());
          await audit(q, merchantId, actorOf(p), "plan.draft", `program:${program.id}`, { version: v.version }, ctx.clock.now());
          return { statusCode: 201, body: v };
        }),
      );
      return sendStored(reply, out);
    },
  );

  app.post(
    "/v1/programs/:programId/plans/lint",
    {
      schema: {
        tags: ["plans"],
        summary: "Validate and lint a plan document under the program's compliance policy, without saving it",
        params: programParams,
        body: z.object({ document: z.unknown() }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const program = await ctx.db.read((q) => getProgram(q, merchantId, req.params.programId));
      return lintDocument(program, req.body.document);
    },
  );

  app.post(
    "/v1/programs/:programId/plans/:version/publish",
    {
      schema: {
        tags: ["plans"],
        summary: "Publish a draft version; it is in force from effectiveFrom (default now). Runs the compliance linter.",
        headers: idempotencyHeaders,
        params: programParams.extend({ version: positiveIntParam }),
        body: publishBody,
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const scope = `POST /v1/programs/${req.params.programId}/plans/${req.params.version}/publish`;
      const stored = await ctx.db.tx((q) =>
        idempotent(q, merchantId, scope, keyOf(req.headers), req.body, ctx.clock.now(), async () => ({
          statusCode: 200,
          body: await publish(q),
        })),
      );
      return sendStored(reply, stored);
      async function publish(q: Sql) {
        await lockProgram(q, merchantId, req.params.programId);
        const program = await getProgram(q, merchantId, req.params.programId);
        const current = await getPlanVersion(q, merchantId, program.id, req.params.version);
        if (current.status !== "draft") fail("PLAN_NOT_DRAFT");
        const now = ctx.clock.now();
        const at = req.body.effectiveFrom ? new Date(req.body.effectiveFrom) : now;
        assertPublishable(program, current.document);
        const impact = await retroactiveImpact(q, program, current.document, at, now);
        const retroactive = checkRetroactive(impact, req.body.allowRetroactive === true);
        const out = await publishPlan(q, program, req.params.version, current.document, at, now);
        const details: Record<string, unknown> = { version: req.params.version, effectiveFrom: at };
        if (retroactive)
          details.retroactive = {
            reason: req.body.reason,
            ordersPaidSince: impact.ordersPaidSince,
            currentVersion: impact.whatIf?.currentVersion ?? null,
            deltaCostMinor: impact.whatIf?.deltaCostMinor ?? 0,
          };
        await audit(
          q,
          merchantId,
          actorOf(p),
          retroactive ? "plan.publish_retroactive" : "plan.publish",
          `program:${program.id}`,
          details,
          now,
        );
        return out;
      }
    },
  );
  app.post(
    "/v1/programs/:programId/plans/:version/publish-preview",
    {
      schema: {
        tags: ["plans"],
        summary:
          "What publishing a version from effectiveFrom would change: whether it is retroactive, the orders paid since, and a what-if over them",
        params: programParams.extend({ version: positiveIntParam }),
        body: z.object({ effectiveFrom: isoDateTime.optional() }).default({}),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read(async (q) => {
        const program = await getProgram(q, merchantId, req.params.programId);
        const v = await getPlanVersion(q, merchantId, program.id, req.params.version);
        if (v.status !== "draft") fail("PLAN_NOT_DRAFT");
        const now = ctx.clock.now();
        const at = req.body.effectiveFrom ? new Date(req.body.effectiveFrom) : now;
        return { version: v.version, ...(await retroactiveImpact(q, program, v.document, at, now)) };
      });
    },
  );
}
