import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { authenticate, bearerToken, requirePlatformAdmin, sha256 } from "../../http/auth.ts";
import { fail } from "../../http/errors.ts";
import type { Api } from "../../http/types.ts";
import { dummyHash, PASSWORD_COST, PASSWORD_LENGTH_MAX, PASSWORD_LENGTH_MIN } from "./passwords.ts";
import { changePassword, login, resetMerchantUserPassword } from "./service.ts";

/** A new password in a request body: the rules are checked by the service, which names the field and the rule. */
export const newPasswordField = z
  .string()
  .max(PASSWORD_LENGTH_MAX)
  .describe(`At least ${PASSWORD_LENGTH_MIN} characters; common passwords and the account's e-mail are refused.`);

export function registerAuthRoutes(app: Api, ctx: AppContext): void {
  const cost = ctx.config.passwordCost ?? PASSWORD_COST;
  // Made now, so that the first login of an unknown e-mail does not pay for it (and take longer than a known one).
  void dummyHash(cost);

  app.post(
    "/v1/auth/login",
    {
      schema: {
        tags: ["auth"],
        summary: "Log in (merchant admin, platform admin or promoter); returns a session token",
        description: "An unknown e-mail and a wrong password get the same 401 and take the same time.",
        security: [],
        body: z.object({ email: z.string().email().max(200), password: z.string().min(1).max(PASSWORD_LENGTH_MAX) }),
      },
    },
    async (req) => login(ctx.db, req.body.email, req.body.password, { now: ctx.clock.now(), hours: ctx.config.sessionHours, cost }),
  );

  app.post("/v1/auth/logout", { schema: { tags: ["auth"], summary: "End this session" } }, async (req, reply) => {
    await authenticate(ctx, req);
    const token = bearerToken(req) ?? "";
    await ctx.db.tx((q) => q.query("DELETE FROM sessions WHERE token_hash = $1", [sha256(token)]));
    return reply.status(204).send();
  });

  app.post(
    "/v1/auth/password",
    {
      schema: {
        tags: ["auth"],
        summary: "Change my password (any logged-in user); ends my other sessions",
        description:
          "403 PASSWORD_INCORRECT when currentPassword is wrong; 400 VALIDATION_FAILED naming newPassword when it breaks the rules. " +
          "The calling session stays valid; every other session of the user ends at once.",
        body: z.object({ currentPassword: z.string().min(1).max(PASSWORD_LENGTH_MAX), newPassword: newPasswordField }),
      },
    },
    async (req) => {
      const p = await authenticate(ctx, req);
      if (p.kind !== "user") fail("FORBIDDEN", "An API key has no password: log in as the user.");
      return changePassword(ctx.db, {
        userId: p.userId,
        sessionTokenHash: sha256(bearerToken(req) ?? ""),
        currentPassword: req.body.currentPassword,
        newPassword: req.body.newPassword,
        cost,
      });
    },
  );

  app.post(
    "/v1/users/:userId/password",
    {
      schema: {
        tags: ["platform"],
        summary: "Reset a merchant user's password (platform admin); ends all of that user's sessions; audited",
        params: z.object({ userId: z.string().max(64) }),
        body: z.object({ newPassword: newPasswordField }),
      },
    },
    async (req) => {
      const p = await authenticate(ctx, req);
      requirePlatformAdmin(p);
      if (p.kind !== "user") fail("FORBIDDEN");
      return resetMerchantUserPassword(ctx.db, {
        actorUserId: p.userId,
        userId: req.params.userId,
        newPassword: req.body.newPassword,
        now: ctx.clock.now(),
        cost,
      });
    },
  );

  app.get(
    "/v1/merchants/:merchantId/users",
    {
      schema: {
        tags: ["platform"],
        summary: "A merchant's users (platform admin), e.g. to reset a password",
        params: z.object({ merchantId: z.string().max(64) }),
      },
    },
    async (req) => {
      requirePlatformAdmin(await authenticate(ctx, req));
      const items = await ctx.db.read((q) =>
        q.query(
          `SELECT id, email, name, role, created_at AS "createdAt" FROM users WHERE merchant_id = $1 ORDER BY created_at, id LIMIT 1000`,
          [req.params.merchantId],
        ),
      );
      return { items };
    },
  );

  app.get("/v1/me", { schema: { tags: ["auth"], summary: "Who am I" } }, async (req) => {
    const p = await authenticate(ctx, req);
    if (p.kind === "api_key") return { kind: "api_key", merchantId: p.merchantId, keyId: p.keyId };
    const [u] = await ctx.db.read((q) =>
      q.query<{
        id: string;
        email: string;
        name: string;
        role: string;
        merchant_id: string | null;
        promoter_id: string | null;
        password_change_required: boolean;
      }>("SELECT id, email, name, role, merchant_id, promoter_id, password_change_required FROM users WHERE id = $1", [p.userId]),
    );
    return {
      kind: "user",
      id: u?.id,
      email: u?.email,
      name: u?.name,
      role: u?.role,
      merchantId: u?.merchant_id,
      promoterId: u?.promoter_id,
      passwordChangeRequired: u?.password_change_required ?? false,
    };
  });
}
