/**
 * Serves the web app (merchant console and promoter portal, built into packages/web/dist) at `/`.
 * Files are served as they are; any other GET that is not an API path gets index.html, so that the
 * app's own routes (/console/orders, /portal/team, …) survive a reload. API paths (/v1, /r, /docs,
 * /openapi.json, /health) are never touched: an unknown API path keeps the JSON 404 of the API.
 * When the app has not been built, nothing is registered.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

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

export async function webApp(app: FastifyInstance, opts: { root?: string } = {}): Promise<void> {
  const root = opts.root ?? WEB_DIST_DIR;
  if (!existsSync(join(root, "index.html"))) return;

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

  app.get("/*", { schema: { hide: true } }, (req, reply) => {
    const path = req.url.split("?")[0] ?? "/";
    if (isApiPath(path)) return reply.callNotFound();
    // A missing file is a 404 (sendFile calls the not-found handler); any other path is a route of the app.
    return reply.sendFile(looksLikeFile(path) ? path.slice(1) : "index.html");
  });
  app.get("/", { schema: { hide: true } }, (_req, reply) => reply.sendFile("index.html"));
}

export default webApp;
