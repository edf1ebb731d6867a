/** Builds the web app into dist/, which the server serves at `/`. `npm run dev -w @fenxiao/web` proxies the API to :3000. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { defineConfig, type Plugin } from "vite";

const api = process.env.FENXIAO_API ?? "http://localhost:3000";

/**
 * Write `.br` and `.gz` beside each built asset, at the top compression levels (once per build instead of on every
 * request): the server sends them as they are to a client that accepts them (http/web.ts, preCompressed).
 */
function precompress(): Plugin {
  return {
    name: "fenxiao-precompress",
    apply: "build",
    writeBundle(options) {
      const dir = join(options.dir ?? join(import.meta.dirname, "dist"), "assets");
      if (!existsSync(dir)) return;
      for (const f of readdirSync(dir)) {
        if (!/\.(js|css|svg|json)$/.test(f)) continue;
        const raw = readFileSync(join(dir, f));
        if (raw.length < 1024) continue;
        const params = { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length };
        writeFileSync(join(dir, `${f}.br`), brotliCompressSync(raw, { params }));
        writeFileSync(join(dir, `${f}.gz`), gzipSync(raw, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [precompress()],
  base: "/",
  oxc: { jsx: { runtime: "automatic" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
    rollupOptions: {
      // antd marks its modules "use client" for React Server Components; meaningless in this single-page app.
      onwarn(warning, warn) {
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
  server: { proxy: { "/v1": api, "/r": api, "/docs": api, "/openapi.json": api, "/health": api } },
});
