import { z } from "zod";
import { type AppContext, secretsOf } from "../../context.ts";
import type { Sql } from "../../db/client.ts";
import { actorOf, authenticate, merchantOf, promoterOf } from "../../http/auth.ts";
import { sendCsv } from "../../http/csv.ts";
import { fail, invalid } from "../../http/errors.ts";
import { requiredName } from "../../http/input.ts";
import { decodeCursor, EXPORT_PAGE, page, pageQuery } from "../../http/pagination.ts";
import type { Api } from "../../http/types.ts";
import { audit } from "../audit/repository.ts";
import { newPasswordField } from "../auth/routes.ts";
import { createUser, newPasswordHash } from "../auth/service.ts";
import { CHOSEN_CODE } from "../codes/service.ts";
import { maskName } from "../customers/mask.ts";
import { idempotencyHeaders, idempotent, keyOf, personalRequest, sendStored } from "../idempotency/service.ts";
import { getProgram } from "../programs/repository.ts";
import { admissionOf, applyToJoin } from "./applications.ts";
import { changeRank } from "./detail.ts";
import { publicJoin } from "./join.ts";
import { countPromoters, listPromoters, PROMOTER_CSV, promoterFilters, promoterListQuery } from "./list.ts";
import { requireMembership } from "./repository.ts";
import { registerPromoterRevealRoute } from "./reveal.ts";
import { checkRank, createPromoter, joinProgram, RANK_LENGTH_MAX } from "./service.ts";

const phone = z.string().regex(/^\+?[0-9 -]{6,20}$/, "digits only, 6–20");

/** Team members per page at most (and by default). */
export const TEAM_PAGE_MAX = 1000;

/** The team list's query: one level or both, a page at a time (keyset on level, joining time, id). */
export const teamQuery = z.object({
  level: z.coerce.number().int().min(1).max(2).optional(),
  limit: z.coerce.number().int().min(1).max(TEAM_PAGE_MAX).default(TEAM_PAGE_MAX),
  cursor: pageQuery.shape.cursor,
});

/**
 * Team of a promoter: level-1 and level-2 invitees with their own sales, level 1 first, then by joining time; the
 * counts per level cover the whole team whatever the page.
 */
async function team(
  q: import("../../db/client.ts").Sql,
  merchantId: string,
  programId: string,
  promoterId: string,
  masked: boolean,
  query: z.infer<typeof teamQuery>,
) {
  const c = decodeCursor(query.cursor);
  // the cursor's id is "<level>:<promoterId>": the level is the first part of the key
  const after = c ? /^([12]):(.+)$/.exec(c.id) : null;
  if (c && !after) invalid("cursor", "not a cursor returned by this API");
  const rows = await q.query<{
    promoterId: string;
    name: string;
    phone: string | null;
    level: number;
    rank: string | null;
    status: string;
    joinedAt: string;
    salesMinor: number;
  }>(
    `SELECT * FROM (
       SELECT m.promoter_id AS "promoterId", p.name, p.phone_masked AS phone, CASE WHEN m.inviter_id = $3 THEN 1 ELSE 2 END AS level, m.rank, m.status,
              m.joined_at AS "joinedAt",
              coalesce((SELECT sum(s.sales_minor - s.refunded_minor) FROM promoter_period_stats s
                        WHERE s.merchant_id = m.merchant_id AND s.program_id = m.program_id AND s.promoter_id = m.promoter_id), 0)::bigint AS "salesMinor"
       FROM memberships m JOIN promoters p ON p.id = m.promoter_id
       WHERE m.merchant_id = $1 AND m.program_id = $2 AND (m.inviter_id = $3 OR m.inviter2_id = $3)) t
     WHERE ($4::int IS NULL OR level = $4)
       AND ($5::int IS NULL OR (level, "joinedAt", "promoterId") > ($5::int, $6::timestamptz, $7::text))
     ORDER BY level, "joinedAt", "promoterId" LIMIT $8`,
    [
      merchantId,
      programId,
      promoterId,
      query.level ?? null,
      after ? Number(after[1]) : null,
      c?.at ?? null,
      after?.[2] ?? null,
      query.limit + 1,
    ],
  );
  const counts = await q.query<{ level: number; n: number }>(
    `SELECT CASE WHEN inviter_id = $3 THEN 1 ELSE 2 END AS level, count(*)::int AS n FROM memberships
     WHERE merchant_id = $1 AND program_id = $2 AND (inviter_id = $3 OR inviter2_id = $3) GROUP BY 1`,
    [merchantId, programId, promoterId],
  );
  const pg = page(rows, query.limit, (r) => ({ at: r.joinedAt, id: `${r.level}:${r.promoterId}` }));
  return {
    items: pg.items.map((r) => ({
      ...r,
      salesMinor: Number(r.salesMinor),
      name: masked ? maskName(r.name) : r.name,
      phone: r.phone, // masked as stored, for the merchant as well: the full number only through the audited reveal
    })),
    nextCursor: pg.nextCursor,
    counts: {
      level1: counts.find((x) => x.level === 1)?.n ?? 0,
      level2: counts.find((x) => x.level === 2)?.n ?? 0,
    },
  };
}

export function registerPromoterRoutes(app: Api, ctx: AppContext): void {
  registerPromoterRevealRoute(app, ctx);
  // Public: join a program with an invite code (or directly with merchantId + programId). Creates the account. Never a fee.
  app.post(
    "/v1/join",
    {
      schema: {
        tags: ["promoters"],
        summary: "Sign up as a promoter and join a program (by invite code, or directly); then log in",
        description:
          "Answers 202 with the same body whether or not the e-mail already has an account (see modules/promoters/join.ts): " +
          "a new e-mail gets an account in the program; the owner of an existing promoter account, giving its password, joins the program with it; " +
          "otherwise nothing changes. No session is returned: log in with POST /v1/auth/login.",
        security: [],
        body: z
          .object({
            inviteCode: z.string().min(4).max(16).optional(),
            merchantId: z.string().min(1).max(64).optional(),
            programId: z.string().min(1).max(64).optional(),
            name: requiredName(50),
            email: z.string().email().max(200),
            password: newPasswordField,
            phone: phone.optional(),
          })
          .refine((b) => b.inviteCode || (b.merchantId && b.programId), {
            message: "give inviteCode, or merchantId and programId",
            path: ["inviteCode"],
          }),
      },
    },
    async (req, reply) =>
      reply.status(202).send(await publicJoin(ctx.db, ctx.clock, secretsOf(ctx), req.body, ctx.config.passwordCost, ctx.codes)),
  );

  // A logged-in promoter joins another program.
  app.post(
    "/v1/me/memberships",
    {
      schema: {
        tags: ["portal"],
        summary: "Join another program with this account",
        description:
          "201 with the membership; where the program's join policy is `approval`, 202 with the application (status `pending`) instead. " +
          "Under `invite` an inviteCode is required (422 INVITE_REQUIRED).",
        body: z.object({
          merchantId: z.string().min(1).max(64),
          programId: z.string().min(1).max(64),
          inviteCode: z.string().min(4).max(16).optional(),
        }),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const promoterId = promoterOf(p);
      const actor = actorOf(p);
      const application = await ctx.db.tx(async (q) => {
        const program = await getProgram(q, req.body.merchantId, req.body.programId);
        if (program.status !== "active") fail("PROGRAM_INACTIVE");
        if (admissionOf(program, req.body.inviteCode) === "member") return null;
        return applyToJoin(q, { ...req.body, promoterId, actor, at: ctx.clock.now() });
      });
      if (application) return reply.status(202).send(application);
      const m = await ctx.db.tx(async (q) => {
        const out = await joinProgram(q, { ...req.body, promoterId, at: ctx.clock.now(), codes: ctx.codes });
        await audit(
          q,
          out.merchantId,
          actorOf(p),
          "promoter.join",
          `promoter:${promoterId}`,
          { inviterId: out.inviterId },
          ctx.clock.now(),
        );
        return out;
      });
      return reply.status(201).send(m);
    },
  );

  app.get("/v1/me/memberships", { schema: { tags: ["portal"], summary: "My programs, codes and inviters" } }, async (req) => {
    const promoterId = promoterOf(await authenticate(ctx, req));
    const items = await ctx.db.read((q) =>
      q.query(
        `SELECT m.merchant_id AS "merchantId", mc.name AS "merchantName", m.program_id AS "programId", pr.name AS "programName", m.code,
                m.inviter_id AS "inviterId", m.rank, m.status, m.joined_at AS "joinedAt", pr.currency
         FROM memberships m JOIN programs pr ON pr.merchant_id = m.merchant_id AND pr.id = m.program_id
         JOIN merchants mc ON mc.id = m.merchant_id WHERE m.promoter_id = $1 ORDER BY m.joined_at LIMIT 100`,
        [promoterId],
      ),
    );
    return { items };
  });

  app.get(
    "/v1/me/team",
    {
      schema: {
        tags: ["portal"],
        summary: "My team: level-1 and level-2 invitees (names and phones masked), a page at a time, with counts per level",
        querystring: teamQuery.extend({ merchantId: z.string().min(1).max(64), programId: z.string().min(1).max(64) }),
      },
    },
    async (req) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      return ctx.db.read(async (q) => {
        await requireMembership(q, req.query.merchantId, req.query.programId, promoterId);
        return team(q, req.query.merchantId, req.query.programId, promoterId, true, req.query);
      });
    },
  );

  // Merchant side.
  app.post(
    "/v1/promoters",
    {
      schema: {
        tags: ["promoters"],
        summary: "Add a promoter to a program (e.g. store staff); optional login account",
        headers: idempotencyHeaders,
        body: z.object({
          programId: z.string().min(1).max(64),
          name: requiredName(50),
          phone: phone.optional(),
          email: z.string().email().max(200).optional(),
          password: newPasswordField.optional(),
          inviteCode: z.string().min(4).max(16).optional(),
          rank: z.string().max(RANK_LENGTH_MAX).optional(),
          code: z
            .string()
            .regex(CHOSEN_CODE, "4–16 letters and digits")
            .optional()
            .describe(
              "the promoter's promo / invite code, stored upper-case (random when absent); 409 CODE_TAKEN when any merchant's promoter or link has it",
            ),
        }),
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const b = req.body;
      if (b.email && !b.password)
        fail("VALIDATION_FAILED", "password: required with email", { issues: [{ path: "password", message: "required with email" }] });
      // The password is not part of the stored request hash: a retry is the same request whatever it sends there; the
      // phone is compared by its keyed digest.
      const hashed = personalRequest(secretsOf(ctx), { ...b, password: undefined }, ["phone"]);
      const passwordHash = b.email && b.password ? await newPasswordHash(b.password, "password", ctx.config.passwordCost, b.email) : null;
      const out = await ctx.db.tx((q) =>
        idempotent(q, merchantId, "POST /v1/promoters", keyOf(req.headers), hashed, ctx.clock.now(), async () => {
          return { statusCode: 201, body: await addPromoter(q) };
        }),
      );
      return sendStored(reply, out);
      async function addPromoter(q: Sql) {
        const promoterId = await createPromoter(q, secretsOf(ctx), { name: b.name, phone: b.phone });
        if (b.email && passwordHash) {
          const userId = await createUser(q, { email: b.email, passwordHash, name: b.name, role: "promoter", promoterId });
          await q.query("UPDATE promoters SET user_id = $2 WHERE id = $1", [promoterId, userId]);
        }
        const m = await joinProgram(q, {
          merchantId,
          programId: b.programId,
          promoterId,
          inviteCode: b.inviteCode,
          rank: b.rank,
          code: b.code,
          at: ctx.clock.now(),
          codes: ctx.codes,
        });
        await audit(q, merchantId, actorOf(p), "promoter.add", `promoter:${promoterId}`, { programId: b.programId }, ctx.clock.now());
        return m;
      }
    },
  );

  app.get(
    "/v1/promoters",
    {
      schema: {
        tags: ["promoters"],
        summary: "Promoters with sales, earnings, team size and balances: search, filters, sort, total count",
        querystring: promoterListQuery,
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const { limit, offset, ...f } = req.query;
      return ctx.db.read(async (q) => ({
        items: await listPromoters(q, ctx.secrets, merchantId, f, limit, offset),
        total: await countPromoters(q, ctx.secrets, merchantId, f),
      }));
    },
  );

  app.get(
    "/v1/promoters/export.csv",
    {
      schema: {
        tags: ["promoters"],
        summary: "The promoter list as CSV (UTF-8 with BOM), with the list's filters",
        querystring: promoterFilters,
      },
    },
    async (req, reply) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      await sendCsv(reply, "promoters.csv", PROMOTER_CSV, async (cursor) => {
        const offset = cursor ? Number(cursor) : 0;
        const items = await ctx.db.read((q) => listPromoters(q, ctx.secrets, merchantId, req.query, EXPORT_PAGE, offset));
        return { items, nextCursor: items.length === EXPORT_PAGE ? String(offset + EXPORT_PAGE) : null };
      });
    },
  );

  app.get(
    "/v1/promoters/:promoterId",
    {
      schema: {
        tags: ["promoters"],
        summary: "One promoter's membership",
        params: z.object({ promoterId: z.string().min(1).max(64) }),
        querystring: z.object({ programId: z.string().min(1).max(64) }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read(async (q) => {
        const m = await requireMembership(q, merchantId, req.query.programId, req.params.promoterId);
        const [pr] = await q.query<{ name: string; phone: string | null }>(
          "SELECT name, phone_masked AS phone FROM promoters WHERE id = $1",
          [m.promoterId],
        );
        return { ...m, name: pr?.name, phone: pr?.phone ?? null };
      });
    },
  );

  app.get(
    "/v1/promoters/:promoterId/team",
    {
      schema: {
        tags: ["promoters"],
        summary: "A promoter's downline (level 1 and 2), a page at a time, with counts per level",
        params: z.object({ promoterId: z.string().min(1).max(64) }),
        querystring: teamQuery.extend({ programId: z.string().min(1).max(64) }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read(async (q) => {
        await requireMembership(q, merchantId, req.query.programId, req.params.promoterId);
        return team(q, merchantId, req.query.programId, req.params.promoterId, false, req.query);
      });
    },
  );

  app.patch(
    "/v1/promoters/:promoterId",
    {
      schema: {
        tags: ["promoters"],
        summary: "Change a promoter's status or rank in a program",
        params: z.object({ promoterId: z.string().min(1).max(64) }),
        body: z.object({
          programId: z.string().min(1).max(64),
          status: z.enum(["active", "suspended", "left"]).optional(),
          rank: z.string().max(RANK_LENGTH_MAX).nullable().optional(),
          reason: z.string().trim().min(1).max(500).optional().describe("why (kept in the audit entry and a manual rank change's history)"),
        }),
      },
    },
    async (req) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const b = req.body;
      return ctx.db.tx(async (q) => {
        await requireMembership(q, merchantId, b.programId, req.params.promoterId);
        if (typeof b.rank === "string") await checkRank(q, await getProgram(q, merchantId, b.programId), b.rank, ctx.clock.now());
        if (b.status)
          await q.query("UPDATE memberships SET status = $4 WHERE merchant_id = $1 AND program_id = $2 AND promoter_id = $3", [
            merchantId,
            b.programId,
            req.params.promoterId,
            b.status,
          ]);
        if (b.rank !== undefined)
          await changeRank(q, merchantId, b.programId, req.params.promoterId, b.rank, actorOf(p), b.reason, ctx.clock.now());
        await audit(q, merchantId, actorOf(p), "promoter.update", `promoter:${req.params.promoterId}`, b, ctx.clock.now());
        return requireMembership(q, merchantId, b.programId, req.params.promoterId);
      });
    },
  );
}
