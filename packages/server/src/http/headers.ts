/**
 * Response headers for every route (docs/operations.md, "Security headers and compression"):
 *
 * - security headers from `@fastify/helmet`: a Content-Security-Policy the web app and the API reference (/docs)
 *   work under (scripts only from this origin; inline styles, which antd and Swagger UI set, allowed), framing
 *   refused (`frame-ancestors 'none'`, `X-Frame-Options: DENY`), `X-Content-Type-Options: nosniff`,
 *   `Referrer-Policy: no-referrer`;
 * - `Strict-Transport-Security` only on a request that came over TLS: to this server, or to a proxy it trusts
 *   (TRUST_PROXY) that says so with `X-Forwarded-Proto: https`. Over plain HTTP it would mean nothing, and on a
 *   development host it would pin the browser to an HTTPS that is not there;
 * - `Cache-Control: no-store` on every API answer (/v1, /r): they are one caller's data, and some carry secrets
 *   (session tokens from login and join, API keys from key and merchant creation) that no cache may keep;
 * - compression (`@fastify/compress`): brotli or gzip, as the client accepts, for API JSON and the web app's files.
 */

import { constants } from "node:zlib";
import compress from "@fastify/compress";
import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";

export const HSTS = "max-age=31536000; includeSubDomains";

export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  // antd (CSS-in-JS) and Swagger UI write style elements and attributes at run time.
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:"],
  fontSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // Not upgrade-insecure-requests: a server on plain HTTP (a laptop, a test) would have its own files upgraded away.
  upgradeInsecureRequests: null,
};

const isApiAnswer = (url: string) => url.startsWith("/v1/") || url === "/v1" || url.startsWith("/r/");

export async function registerHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook("onRequest", async (req, reply) => {
    if (req.protocol === "https") reply.header("strict-transport-security", HSTS);
    if (isApiAnswer(req.url)) reply.header("cache-control", "no-store");
  });
  // Before @fastify/static (web.ts) and every route: the global hook applies to routes added after it.
  await app.register(compress, {
    global: true,
    encodings: ["br", "gzip"],
    threshold: 1024,
    // Quality 5: most of brotli's gain at a small part of its top quality's cost, for answers compressed per request.
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } },
    // Request bodies are taken as sent: no decompression, so the body limit measures what is parsed.
    globalDecompression: false,
  });
}
