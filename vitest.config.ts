import { defineConfig } from "vitest/config";

/** The key that seals personal data in servers the tests start as child processes (tests only; never a real key). */
const env = { FENXIAO_SECRET_KEY: "dGVzdHMtb25seS1rZXktLW5ldmVyLWEtcmVhbC1vbmU=" };

export default defineConfig({
  test: {
    // Two test files at once (the runner has two cores; much of a file's time is spent waiting on PostgreSQL, PGlite's
    // thread, server processes and the browser). Each file has databases of its own and listens on ports from 0.
    maxWorkers: Number(process.env.FENXIAO_TEST_WORKERS ?? 2),
    projects: [
      {
        test: {
          name: "core",
          include: ["packages/core/test/**/*.test.ts"],
          // The property tests are CPU-bound (thousands of runs); beside another file on two shared cores a test takes
          // several times its quiet-machine time. A timeout stops a hang; it is not a speed check.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "server",
          include: ["packages/server/test/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One migrated database per run, which each test database starts from (db-images.ts).
          globalSetup: ["packages/server/test/db-images.ts"],
          env,
        },
      },
      {
        test: {
          name: "web",
          include: ["packages/web/test/**/*.test.ts"],
          // Builds packages/web/dist once per run, before the files start (instead of once per browser test file), and
          // makes the demo data once per run for the browser files' servers (demo-image.ts; the files wait for it).
          globalSetup: ["packages/server/test/db-images.ts", "packages/web/test/build-once.ts", "packages/web/test/demo-image.ts"],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          env,
        },
      },
    ],
  },
});
