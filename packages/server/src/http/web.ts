/**
 * Serves the web app (merchant console and promoter portal, built into packages/web/dist) at `/`.
 * Files are served as they are; any other GET that is not an API path gets index.html, so that the
 * app's own routes (/console/orders, /portal/team, …) survive a reload. API paths (/v1, /r, /docs,
 * /openapi.json, /health) are never touched: an unknown API path keeps the JSON 404 of the API.
 * Until the app is built (a first `npm start` builds it beside the starting server, scripts/start.mjs), its pages
 * answer 503 with a short page that says so and reloads itself; the first request after the build serves the app.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";

export const WEB_DIST_DIR = fileURLToPath(new URL("../../../web/dist", import.meta.url));

/** Paths that belong to the API; the app never answers for them. */
export const API_PATH_PREFIXES = ["/v1", "/r", "/docs", "/openapi.json", "/health"] as const;

export function isApiPath(path: string): boolean {
  return API_PATH_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

/** A request for a file (a dot in the last segment) that does not exist is a 404, not the app. */
function looksLikeFile(path: string): boolean {
  const last = path.slice(path.lastIndexOf("/") + 1);
  return last.includes(".");
}

/** How often the "being built" page reloads itself, in seconds (also its Retry-After). */
export const WEB_BUILDING_RETRY_S = 3;

const BUILDING_PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="${WEB_BUILDING_RETRY_S}">
<title>Fenxiao 分销</title></head><body>
<h1>控制台正在构建…</h1><p>首次启动时会构建网页端，稍候本页会自动刷新。API 已可使用。</p>
<p lang="en">The console is being built (the first <code>npm start</code> builds it); this page reloads by itself.
The API is already up. If it stays here, run <code>npm run build:web</code>.</p></body></html>`;

export async function webApp(app: FastifyInstance, opts: { root?: string } = {}): Promise<void> {
  const root = opts.root ?? WEB_DIST_DIR;
  const index = join(root, "index.html");
  let built = existsSync(index);
  /** Whether the build is there; once it is, it stays (a rebuild replaces files, it never removes index.html for long). */
  const isBuilt = () => {
    if (!built) built = existsSync(index);
    return built;
  };

  // Only reply.sendFile; files are looked up per request, so a rebuild is served without a restart.
  await app.register(fastifyStatic, {
    root,
    serve: false,
    index: false,
    // The build writes .br and .gz beside each asset (packages/web/vite.config.ts): sent as they are when the client
    // accepts them; anything else is compressed per request by @fastify/compress (http/headers.ts).
    preCompressed: true,
    // Vite puts content-hashed files under assets/: cache them for good; everything else (index.html) is revalidated.
    setHeaders(reply, filePath) {
      reply.header("cache-control", filePath.startsWith(join(root, "assets")) ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });

  const building = (reply: FastifyReply) =>
    reply
      .status(503)
      .header("retry-after", String(WEB_BUILDING_RETRY_S))
      .header("cache-control", "no-store")
      .type("text/html")
      .send(BUILDING_PAGE);

  app.get("/*", { schema: { hide: true } }, (req, reply) => {
    const path = req.url.split("?")[0] ?? "/";
    if (isApiPath(path)) return reply.callNotFound();
    if (!isBuilt()) return looksLikeFile(path) ? reply.callNotFound() : building(reply);
    // A missing file is a 404 (sendFile calls the not-found handler); any other path is a route of the app.
    return reply.sendFile(looksLikeFile(path) ? path.slice(1) : "index.html");
  });
  app.get("/", { schema: { hide: true } }, (_req, reply) => (isBuilt() ? reply.sendFile("index.html") : building(reply)));
}

export default webApp;
