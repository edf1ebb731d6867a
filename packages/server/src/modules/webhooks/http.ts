/** One HTTP attempt of a delivery: POST the body with its headers, at most ATTEMPT_TIMEOUT_MS, keep ≤ 1 KB of the answer. */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { checkHost, guardedLookup } from "./address.ts";
import { ATTEMPT_TIMEOUT_MS } from "./schedule.ts";

/** How much of a response body the delivery log keeps. */
export const EXCERPT_BYTES_MAX = 1024;

export interface AttemptResult {
  statusCode: number | null;
  retryAfter: string | undefined;
  excerpt: string | null;
  error: string | null;
  latencyMs: number;
}

function readExcerpt(res: IncomingMessage): Promise<string> {
  return new Promise((ok) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => ok(Buffer.concat(chunks).subarray(0, EXCERPT_BYTES_MAX).toString("utf8"));
    res.on("data", (b: Buffer) => {
      if (size < EXCERPT_BYTES_MAX) chunks.push(b);
      size += b.length;
      if (size >= EXCERPT_BYTES_MAX) {
        res.destroy();
        done();
      }
    });
    res.on("end", done);
    res.on("error", done);
    res.on("close", done);
  });
}

export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs = ATTEMPT_TIMEOUT_MS,
): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const u = new URL(url);
    const host = u.hostname.replace(/^\[|\]$/g, "");
    if (isIP(host)) await checkHost(host); // a literal address skips the guarded lookup
    const send = u.protocol === "https:" ? httpsRequest : httpRequest;
    const res = await new Promise<IncomingMessage>((ok, fail) => {
      const req = send(u, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
        lookup: guardedLookup as never,
        signal: AbortSignal.timeout(timeoutMs),
      });
      req.on("response", ok);
      req.on("error", fail);
      req.end(body);
    });
    const excerpt = await Promise.race([
      readExcerpt(res),
      new Promise<string>((ok) => setTimeout(() => ok(""), Math.max(0, timeoutMs - elapsed())).unref()),
    ]);
    res.destroy();
    const ra = res.headers["retry-after"];
    return { statusCode: res.statusCode ?? null, retryAfter: Array.isArray(ra) ? ra[0] : ra, excerpt, error: null, latencyMs: elapsed() };
  } catch (e) {
    const err = e as Error & { code?: string };
    const why = err.name === "TimeoutError" || err.name === "AbortError" ? `timed out after ${timeoutMs} ms` : err.message || String(e);
    return { statusCode: null, retryAfter: undefined, excerpt: null, error: why.slice(0, 500), latencyMs: elapsed() };
  }
}
