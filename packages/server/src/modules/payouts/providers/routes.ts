/**
 * A merchant's payout providers: which are configured and enabled (masked: identifiers and key fingerprints, never a
 * key), and setting one up. Configuring holds credentials that move money, so only a merchant admin's session may do
 * it (not an API key); reading is for both.
 */
import { z } from "zod";
import type { AppContext } from "../../../context.ts";
import { secretsOf } from "../../../context.ts";
import { actorOf, authenticate, merchantOf } from "../../../http/auth.ts";
import { fail, invalid } from "../../../http/errors.ts";
import type { Api } from "../../../http/types.ts";
import { audit } from "../../audit/repository.ts";
import { idempotencyHeaders, idempotent, keyOf, sendStored } from "../../idempotency/service.ts";
import {
  alipayConfigSchema,
  loadConfig,
  maskConfig,
  newSandboxSecret,
  type ProviderConfig,
  SANDBOX_DEFAULTS,
  type SandboxConfig,
  sandboxSettingsSchema,
  saveConfig,
  wechatConfigSchema,
} from "./config.ts";
import { PAYOUT_PROVIDERS, type PayoutProviderName } from "./types.ts";

const providerParam = z.object({ provider: z.enum(["sandbox", "wechat", "alipay"]) });

const putBody = z.object({
  enabled: z.boolean().describe("a live provider pays only while enabled; the sandbox is always available"),
  config: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      "the configuration (the whole of it the first time; afterwards a field left out keeps its stored value, and omitted altogether, the stored one is kept). wechat: mchId, appId, serialNo, privateKeyPem, apiV3Key, platformPublicKeyPem, platformSerial, baseUrl?, postType?, rewardDescription?, userRecvPerception?; alipay: appId, privateKeyPem, alipayPublicKeyPem, gateway?, orderTitle?; sandbox: delayMs?, failureRate?, duplicateRate?, lateRate?, lateDelayMs?, callbackAttemptsMax?",
    ),
  rotateSecret: z.boolean().optional().describe("sandbox: a new callback secret"),
});

function parsed<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  // an unknown field is named itself (config.extra), not the object that holds it
  const unknownKey = issue?.code === "unrecognized_keys" ? issue.keys.slice(0, 1) : [];
  const path = ["config", ...(issue?.path ?? []).map(String), ...unknownKey].join(".");
  invalid(path, issue?.code === "unrecognized_keys" ? `unknown field ${issue.keys.join(", ")}` : (issue?.message ?? "invalid"));
}

/** The configuration a PUT stores: the new one validated, or the stored one kept (sandbox settings merged). */
function nextConfig<P extends PayoutProviderName>(
  provider: P,
  body: z.infer<typeof putBody>,
  stored: ProviderConfig[P] | null,
): ProviderConfig[P] {
  if (provider === "sandbox") {
    const old = (stored as SandboxConfig | null) ?? { ...SANDBOX_DEFAULTS, secret: newSandboxSecret() };
    const settings = body.config === undefined ? {} : parsed(sandboxSettingsSchema, body.config);
    return { ...old, ...settings, secret: body.rotateSecret ? newSandboxSecret() : old.secret } as ProviderConfig[P];
  }
  if (body.rotateSecret) invalid("rotateSecret", "only the sandbox has a secret to rotate");
  if (body.config === undefined) {
    if (!stored) invalid("config", "required the first time a provider is configured");
    return stored;
  }
  // A field left out keeps its stored value (the console sends keys only when they are replaced: they are write-only).
  const merged = { ...((stored as Record<string, unknown> | null) ?? {}), ...body.config };
  return (provider === "wechat" ? parsed(wechatConfigSchema, merged) : parsed(alipayConfigSchema, merged)) as ProviderConfig[P];
}

export function registerPayoutProviderRoutes(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/payout-providers",
    { schema: { tags: ["payouts"], summary: "The merchant's payout providers: configured, enabled, masked settings (never a key)" } },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const rows = await ctx.db.read((q) =>
        q.query<{ provider: PayoutProviderName; enabled: boolean; config_masked: Record<string, unknown>; updated_at: Date }>(
          "SELECT provider, enabled, config_masked, updated_at FROM payout_provider_configs WHERE merchant_id = $1",
          [merchantId],
        ),
      );
      const items = PAYOUT_PROVIDERS.map((provider) => {
        const r = rows.find((x) => x.provider === provider);
        if (r)
          return {
            provider,
            configured: true,
            enabled: r.enabled,
            masked: r.config_masked,
            updatedAt: new Date(r.updated_at).toISOString(),
          };
        if (provider === "sandbox")
          return {
            provider,
            configured: true,
            enabled: true,
            masked: { ...SANDBOX_DEFAULTS, secret: "created on first use" },
            updatedAt: null,
          };
        return { provider, configured: false, enabled: false, masked: null, updatedAt: null };
      });
      return { items };
    },
  );

  app.put(
    "/v1/payout-providers/:provider",
    {
      schema: {
        tags: ["payouts"],
        summary: "Configure a payout provider (merchant admin): keys are sealed, checked (PEM keys parse, the APIv3 key is 32 bytes…)",
        params: providerParam,
        headers: idempotencyHeaders,
        body: putBody,
      },
    },
    async (req, reply) => {
      const principal = await authenticate(ctx, req);
      const merchantId = merchantOf(principal);
      if (principal.kind !== "user") fail("FORBIDDEN", "Payout provider credentials are set by a merchant admin, not with an API key.");
      const ring = secretsOf(ctx);
      const { provider } = req.params;
      const now = ctx.clock.now();
      const out = await ctx.db.tx((q) =>
        idempotent(q, merchantId, "payout-providers.put", keyOf(req.headers), { provider, body: req.body }, now, async () => {
          const stored = await loadConfig(q, ring, merchantId, provider);
          const config = nextConfig(provider, req.body, stored?.config ?? null);
          const saved = await saveConfig(q, ring, merchantId, provider, req.body.enabled, config, now);
          await audit(
            q,
            merchantId,
            actorOf(principal),
            "payout_provider.configure",
            provider,
            { enabled: saved.enabled, masked: maskConfig(provider, config) },
            now,
          );
          return {
            statusCode: 200,
            body: { provider, configured: true, enabled: saved.enabled, masked: saved.masked, updatedAt: saved.updatedAt },
          };
        }),
      );
      return sendStored(reply, out);
    },
  );
}
