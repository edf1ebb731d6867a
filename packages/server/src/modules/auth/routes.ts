import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { authenticate, bearerToken, sha256 } from "../../http/auth.ts";
import type { Api } from "../../http/types.ts";
import { login } from "./service.ts";

export function registerAuthRoutes(app: Api, ctx: AppContext): void {
  app.post(
    "/v1/auth/login",
    {
      schema: {
        tags: ["auth"],
        summary: "Log in (merchant admin, platform admin or promoter); returns a session token",
        security: [],
        body: z.object({ email: z.string().email().max(200), password: z.string().min(1).max(200) }),
      },
    },
    async (req) => ctx.db.tx((q) => login(q, req.body.email, req.body.password, ctx.clock.now(), ctx.config.sessionHours)),
  );

  app.post("/v1/auth/logout", { schema: { tags: ["auth"], summary: "End this session" } }, async (req, reply) => {
    await authenticate(ctx, req);
    const token = bearerToken(req) ?? "";
    await ctx.db.tx((q) => q.query("DELETE FROM sessions WHERE token_hash = $1", [sha256(token)]));
    return reply.status(204).send();
  });

  app.get("/v1/me", { schema: { tags: ["auth"], summary: "Who am I" } }, async (req) => {
    const p = await authenticate(ctx, req);
    if (p.kind === "api_key") return { kind: "api_key", merchantId: p.merchantId, keyId: p.keyId };
    const [u] = await ctx.db.read((q) =>
      q.query<{ id: string; email: string; name: string; role: string; merchant_id: string | null; promoter_id: string | null }>(
        "SELECT id, email, name, role, merchant_id, promoter_id FROM users WHERE id = $1",
        [p.userId],
      ),
    );
    return {
      kind: "user",
      id: u?.id,
      email: u?.email,
      name: u?.name,
      role: u?.role,
      merchantId: u?.merchant_id,
      promoterId: u?.promoter_id,
    };
  });
}
