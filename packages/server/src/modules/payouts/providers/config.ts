/**
 * Each merchant's payout provider configuration (table payout_provider_configs): the whole configuration sealed
 * (src/crypto/sealed.ts), a masked copy for views. The sandbox is always available: its row (with a generated callback
 * secret and the default settings) is created the first time it is asked for.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, randomBytes } from "node:crypto";
import { z } from "zod";
import { type RotationCount, rotateTable, type SealedTarget } from "../../../crypto/rotation.ts";
import { type KeyRing, open, reseal, seal } from "../../../crypto/sealed.ts";
import type { Db, Sql } from "../../../db/client.ts";
import type { PayoutProviderName } from "./types.ts";

export const SANDBOX_DEFAULTS = {
  /** From acceptance to the decision (and the first callback). */
  delayMs: 2_000,
  /** Share of transfers the sandbox declines. */
  failureRate: 0.1,
  /** Share of transfers whose callback is sent twice. */
  duplicateRate: 0.1,
  /** Share of transfers whose callback comes late (lateDelayMs after the decision). */
  lateRate: 0.05,
  lateDelayMs: 60_000,
  /** Deliveries tried per callback before the sandbox gives up (the caller then learns the outcome by query). */
  callbackAttemptsMax: 5,
};

export const sandboxSettingsSchema = z
  .object({
    delayMs: z.number().int().min(0).max(86_400_000),
    failureRate: z.number().min(0).max(1),
    duplicateRate: z.number().min(0).max(1),
    lateRate: z.number().min(0).max(1),
    lateDelayMs: z.number().int().min(0).max(86_400_000),
    callbackAttemptsMax: z.number().int().min(1).max(20),
  })
  .partial()
  .strict();
export type SandboxSettings = typeof SANDBOX_DEFAULTS;

export interface SandboxConfig extends SandboxSettings {
  /** HMAC-SHA256 key of the sandbox's callbacks (base64 of 32 bytes). */
  secret: string;
}

/** An https URL; http only to this machine (a local fake of the provider's API). */
const baseUrl = z
  .string()
  .url()
  .max(200)
  .refine((u) => {
    const x = new URL(u);
    return x.protocol === "https:" || (x.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(x.hostname));
  }, "must be an https URL (http only to localhost)");

const pem = (kind: "private" | "public") =>
  z
    .string()
    .min(1)
    .max(10_000)
    .refine((text) => rsaKey(kind, text) !== null, `must be an RSA ${kind} key of at least 2048 bits in PEM`);

export const wechatConfigSchema = z
  .object({
    mchId: z.string().regex(/^[0-9]{8,12}$/, "the 商户号: 8–12 digits"),
    appId: z.string().regex(/^wx[0-9a-zA-Z]{16}$/, "the AppID the openids belong to: wx + 16 characters"),
    serialNo: z.string().regex(/^[0-9A-Fa-f]{8,64}$/, "the merchant API certificate's serial number (hex)"),
    privateKeyPem: pem("private"),
    apiV3Key: z.string().refine((k) => Buffer.byteLength(k, "utf8") === 32, "the APIv3 key is exactly 32 bytes"),
    platformPublicKeyPem: pem("public"),
    platformSerial: z
      .string()
      .min(8)
      .max(64)
      .regex(/^[0-9A-Za-z_]+$/, "the 微信支付公钥ID or platform certificate serial"),
    baseUrl: baseUrl.default("https://api.mch.weixin.qq.com"),
    /** transfer_scene_id 1005 (佣金报酬) report infos. */
    postType: z.string().min(1).max(32).default("推广员"),
    rewardDescription: z.string().min(1).max(32).default("推广佣金"),
    userRecvPerception: z.string().min(1).max(32).default("劳务报酬"),
  })
  .strict();
export type WechatConfig = z.infer<typeof wechatConfigSchema>;

export const alipayConfigSchema = z
  .object({
    appId: z.string().regex(/^[0-9]{16}$/, "the application's APPID: 16 digits"),
    privateKeyPem: pem("private"),
    alipayPublicKeyPem: pem("public"),
    gateway: baseUrl.default("https://openapi.alipay.com/gateway.do"),
    orderTitle: z.string().min(1).max(60).default("佣金提现"),
  })
  .strict();
export type AlipayConfig = z.infer<typeof alipayConfigSchema>;

export type ProviderConfig = { sandbox: SandboxConfig; wechat: WechatConfig; alipay: AlipayConfig };

/** The RSA key in `text`, or null when it is not one of at least 2048 bits. */
export function rsaKey(kind: "private" | "public", text: string): KeyObject | null {
  // A private key would give its public key: a public key is asked for, never a private one in its place.
  if (kind === "public" && /PRIVATE KEY/.test(text)) return null;
  try {
    const k = kind === "private" ? createPrivateKey(text) : createPublicKey(text);
    if (k.asymmetricKeyType !== "rsa") return null;
    const bits = k.asymmetricKeyDetails?.modulusLength ?? 0;
    return bits >= 2048 ? k : null;
  } catch {
    return null;
  }
}

/** A public key's fingerprint for views: the first 16 hex characters of SHA-256 of its DER form. */
export function keyFingerprint(kind: "private" | "public", text: string): string {
  const k = rsaKey(kind, text);
  if (!k) return "invalid";
  const pub = kind === "private" ? createPublicKey(k) : k;
  return `rsa${pub.asymmetricKeyDetails?.modulusLength}:${createHash("sha256")
    .update(pub.export({ type: "spki", format: "der" }))
    .digest("hex")
    .slice(0, 16)}`;
}

export function maskConfig<P extends PayoutProviderName>(provider: P, c: ProviderConfig[P]): Record<string, unknown> {
  if (provider === "wechat") {
    const w = c as WechatConfig;
    return {
      mchId: w.mchId,
      appId: w.appId,
      serialNo: w.serialNo,
      platformSerial: w.platformSerial,
      baseUrl: w.baseUrl,
      merchantKey: keyFingerprint("private", w.privateKeyPem),
      platformKey: keyFingerprint("public", w.platformPublicKeyPem),
      apiV3Key: "set",
      postType: w.postType,
      rewardDescription: w.rewardDescription,
      userRecvPerception: w.userRecvPerception,
    };
  }
  if (provider === "alipay") {
    const a = c as AlipayConfig;
    return {
      appId: a.appId,
      gateway: a.gateway,
      appKey: keyFingerprint("private", a.privateKeyPem),
      alipayKey: keyFingerprint("public", a.alipayPublicKeyPem),
      orderTitle: a.orderTitle,
    };
  }
  const { secret: _secret, ...settings } = c as SandboxConfig;
  return { ...settings, secret: "set" };
}

const aad = (merchantId: string, provider: PayoutProviderName) => `payout_provider:${merchantId}:${provider}`;

export interface StoredConfig<P extends PayoutProviderName> {
  provider: P;
  enabled: boolean;
  config: ProviderConfig[P];
  masked: Record<string, unknown>;
  updatedAt: string;
}

export async function loadConfig<P extends PayoutProviderName>(
  q: Sql,
  ring: KeyRing,
  merchantId: string,
  provider: P,
): Promise<StoredConfig<P> | null> {
  const [r] = await q.query<{ enabled: boolean; config_sealed: string; config_masked: Record<string, unknown>; updated_at: Date }>(
    "SELECT enabled, config_sealed, config_masked, updated_at FROM payout_provider_configs WHERE merchant_id = $1 AND provider = $2",
    [merchantId, provider],
  );
  if (!r) return null;
  return {
    provider,
    enabled: r.enabled,
    config: JSON.parse(open(ring, r.config_sealed, aad(merchantId, provider))) as ProviderConfig[P],
    masked: r.config_masked,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export async function saveConfig<P extends PayoutProviderName>(
  q: Sql,
  ring: KeyRing,
  merchantId: string,
  provider: P,
  enabled: boolean,
  config: ProviderConfig[P],
  at: Date,
): Promise<StoredConfig<P>> {
  const masked = maskConfig(provider, config);
  await q.query(
    `INSERT INTO payout_provider_configs (merchant_id, provider, enabled, config_sealed, config_masked, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (merchant_id, provider) DO UPDATE SET enabled = $3, config_sealed = $4, config_masked = $5, updated_at = $6`,
    [merchantId, provider, enabled, seal(ring, JSON.stringify(config), aad(merchantId, provider)), JSON.stringify(masked), at],
  );
  return { provider, enabled, config, masked, updatedAt: at.toISOString() };
}

export function newSandboxSecret(): string {
  return randomBytes(32).toString("base64");
}

/** The merchant's sandbox configuration, created with a fresh secret and the defaults the first time. */
export async function sandboxConfig(q: Sql, ring: KeyRing, merchantId: string, at: Date): Promise<SandboxConfig> {
  const found = await loadConfig(q, ring, merchantId, "sandbox");
  if (found) return { ...SANDBOX_DEFAULTS, ...found.config };
  const config: SandboxConfig = { ...SANDBOX_DEFAULTS, secret: newSandboxSecret() };
  const sealed = seal(ring, JSON.stringify(config), aad(merchantId, "sandbox"));
  await q.query(
    `INSERT INTO payout_provider_configs (merchant_id, provider, enabled, config_sealed, config_masked, updated_at)
     VALUES ($1, 'sandbox', true, $2, $3, $4) ON CONFLICT (merchant_id, provider) DO NOTHING`,
    [merchantId, sealed, JSON.stringify(maskConfig("sandbox", config)), at],
  );
  // Another caller may have created it first: its secret is the one.
  const stored = await loadConfig(q, ring, merchantId, "sandbox");
  return { ...SANDBOX_DEFAULTS, ...(stored?.config ?? config) };
}

/** The provider configurations for key rotation (crypto/rotation.ts; `fenxiao keys rotate`). */
export const providerConfigTarget: SealedTarget<{ merchant_id: string; provider: PayoutProviderName; config_sealed: string }> = {
  table: "payout_provider_configs",
  select: `SELECT merchant_id, provider, config_sealed, merchant_id || '/' || provider AS rotation_key FROM payout_provider_configs
           WHERE merchant_id || '/' || provider > $1 AND config_sealed NOT LIKE $2 ORDER BY merchant_id || '/' || provider LIMIT $3 FOR UPDATE`,
  redo: (ring, r) => [r.merchant_id, r.provider, reseal(ring, r.config_sealed, aad(r.merchant_id, r.provider))],
  update: "UPDATE payout_provider_configs SET config_sealed = $3 WHERE merchant_id = $1 AND provider = $2",
};

/** Re-seal the provider configurations alone (the counts of crypto/rotation.ts). */
export function resealProviderConfigs(db: Db, ring: KeyRing, batchSize = 500): Promise<RotationCount> {
  return rotateTable(db, ring, providerConfigTarget, batchSize);
}
