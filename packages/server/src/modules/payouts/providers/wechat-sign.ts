/**
 * WeChat Pay API v3 cryptography (docs/payouts.md, "WeChat Pay"), with node:crypto only — the official SDKs for Node
 * are not published by WeChat Pay, and the four operations are a few lines each:
 *
 * - request signing: `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",timestamp="…",serial_no="…",
 *   signature="…"`, the signature SHA256-with-RSA under the merchant's API private key over
 *   `METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n`;
 * - response and callback verification: `Wechatpay-Timestamp`, `Wechatpay-Nonce`, `Wechatpay-Signature`,
 *   `Wechatpay-Serial` (which platform key), SHA256-with-RSA over `TIMESTAMP\nNONCE\nBODY\n` under the platform
 *   public key;
 * - sensitive fields (user_name): RSA-OAEP (SHA-1, MGF1) under the platform public key, base64;
 * - callback resources: AEAD_AES_256_GCM under the APIv3 key, with the resource's nonce and associated_data, the
 *   16-byte tag at the end of the base64 ciphertext.
 */
import { constants, createDecipheriv, createSign, createVerify, publicEncrypt, randomBytes } from "node:crypto";
import { header } from "./types.ts";

export const AUTH_SCHEME = "WECHATPAY2-SHA256-RSA2048";
/** Timestamps of responses and callbacks further than this from now are refused (replays). */
export const WECHAT_TOLERANCE_S = 300;

export function nonce(): string {
  return randomBytes(16).toString("hex");
}

export function authorization(
  a: { mchId: string; serialNo: string; privateKeyPem: string },
  method: string,
  pathWithQuery: string,
  body: string,
  timestamp: number,
  nonceStr = nonce(),
): string {
  const message = `${method}\n${pathWithQuery}\n${timestamp}\n${nonceStr}\n${body}\n`;
  const signature = createSign("RSA-SHA256").update(message, "utf8").sign(a.privateKeyPem, "base64");
  return `${AUTH_SCHEME} mchid="${a.mchId}",nonce_str="${nonceStr}",timestamp="${timestamp}",serial_no="${a.serialNo}",signature="${signature}"`;
}

/**
 * Why a response or callback's signature is not to be believed, or null when it verifies under the platform key
 * `serial` names, within the allowed clock skew.
 */
export function verifyPlatformSignature(
  platform: { publicKeyPem: string; serial: string },
  headers: Record<string, string | string[] | undefined>,
  body: string,
  now: Date,
): string | null {
  const ts = header(headers, "wechatpay-timestamp");
  const nonceStr = header(headers, "wechatpay-nonce");
  const signature = header(headers, "wechatpay-signature");
  const serial = header(headers, "wechatpay-serial");
  if (!ts || !nonceStr || !signature || !serial) return "the Wechatpay-Timestamp, -Nonce, -Signature or -Serial header is missing";
  if (serial !== platform.serial) return `signed with platform key ${serial}, not the configured ${platform.serial}`;
  if (!/^[0-9]{1,12}$/.test(ts) || Math.abs(now.getTime() / 1000 - Number(ts)) > WECHAT_TOLERANCE_S)
    return "Wechatpay-Timestamp is too far from now";
  try {
    const ok = createVerify("RSA-SHA256")
      .update(`${ts}\n${nonceStr}\n${body}\n`, "utf8")
      .verify(platform.publicKeyPem, signature, "base64");
    return ok ? null : "the signature does not verify";
  } catch {
    return "the signature does not verify";
  }
}

export function encryptSensitive(platformPublicKeyPem: string, text: string): string {
  return publicEncrypt(
    { key: platformPublicKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" },
    Buffer.from(text, "utf8"),
  ).toString("base64");
}

export interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  nonce: string;
  associated_data?: string;
}

/** The plaintext of a callback's resource; throws when it does not open under the APIv3 key. */
export function decryptResource(apiV3Key: string, r: EncryptedResource): string {
  if (r.algorithm !== "AEAD_AES_256_GCM") throw new Error(`unsupported resource algorithm ${r.algorithm}`);
  const data = Buffer.from(r.ciphertext, "base64");
  if (data.length < 17) throw new Error("the resource is too short");
  const d = createDecipheriv("aes-256-gcm", Buffer.from(apiV3Key, "utf8"), Buffer.from(r.nonce, "utf8"));
  d.setAAD(Buffer.from(r.associated_data ?? "", "utf8"));
  d.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([d.update(data.subarray(0, data.length - 16)), d.final()]).toString("utf8");
}
