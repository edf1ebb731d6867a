import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      { test: { name: "core", include: ["packages/core/test/**/*.test.ts"] } },
      {
        test: {
          name: "server",
          include: ["packages/server/test/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      { test: { name: "web", include: ["packages/web/test/**/*.test.ts"], testTimeout: 180_000, hookTimeout: 300_000 } },
    ],
  },
});
