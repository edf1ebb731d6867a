/**
 * Each platform's webhook signature, checked over the raw body before it is parsed:
 *  - Shopify: X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(app's client secret, raw body));
 *  - WooCommerce: X-WC-Webhook-Signature = base64(HMAC-SHA256(the webhook's secret, raw body));
 *  - Youzan: the body's `sign` = hex(MD5(client_id + msg + client_secret)).
 * Compared in constant time.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { type Delivery, header, type Platform, Unmappable } from "./mapping.ts";
import { youzanEnvelope } from "./youzan.ts";

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const hmacBase64 = (secret: string, raw: Buffer) => createHmac("sha256", secret).update(raw).digest("base64");

/** Whether the delivery is signed with `secret`; a missing signature is a wrong one. */
export function signatureValid(platform: Platform, secret: string, d: Delivery): boolean {
  switch (platform) {
    case "shopify": {
      const h = header(d, "x-shopify-hmac-sha256");
      return !!h && same(h.trim(), hmacBase64(secret, d.raw));
    }
    case "woocommerce": {
      const h = header(d, "x-wc-webhook-signature");
      return !!h && same(h.trim(), hmacBase64(secret, d.raw));
    }
    case "youzan": {
      try {
        const e = youzanEnvelope(d.raw);
        const expected = createHash("md5").update(`${e.clientId}${e.msg}${secret}`, "utf8").digest("hex");
        return same(e.sign.toLowerCase(), expected);
      } catch (err) {
        if (err instanceof Unmappable) return false;
        throw err;
      }
    }
  }
}
