/** Builds the web app into dist/, which the server serves at `/`. `npm run dev -w @fenxiao/web` proxies the API to :3000. */
import { defineConfig } from "vite";

const api = process.env.FENXIAO_API ?? "http://localhost:3000";

export default defineConfig({
  root: import.meta.dirname,
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
