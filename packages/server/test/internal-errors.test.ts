/** An unexpected error is a 500 with an error id for the client, and one log line with the same id for the operator. */
import { describe, expect, it, vi } from "vitest";
import { buildApp, type ErrorReport, logErrorReport } from "../src/app.ts";
import { ManualClock } from "../src/clock.ts";
import { testDb } from "./helpers.ts";

describe("unexpected errors", () => {
  it("answer 500 INTERNAL with an errorId and report the same id with the request and the error", async () => {
    const t = await testDb();
    const reports: ErrorReport[] = [];
    const app = await buildApp(
      { db: t.db, clock: new ManualClock("2026-03-02T00:00:00Z"), config: { publicUrl: "http://localhost", sessionHours: 1 } },
      { onError: (r) => reports.push(r) },
    );
    try {
      await app.listen({ port: 0, host: "127.0.0.1" });
      const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect(reports).toEqual([]);
      await t.db.close(); // the database is gone: the next query fails in a way no handler expects
      const res = await fetch(`${base}/health?probe=1`);
      const body = (await res.json()) as { error: { code: string; details: { errorId: string } } };
      expect(res.status).toBe(500);
      expect(body.error.code).toBe("INTERNAL");
      expect(body.error.details.errorId).toMatch(/^err_[0-9a-z]{20}$/);
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ errorId: body.error.details.errorId, method: "GET", url: "/health?probe=1" });
      expect(reports[0]?.error).toBeInstanceOf(Error);
    } finally {
      await app.close();
      await t.drop(); // closing the database again is harmless
    }
  });

  it("the default report is one JSON line on stderr, without the query string", () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const error = Object.assign(new Error("boom"), { code: "XX000" });
      logErrorReport({ errorId: "err_abc", method: "POST", url: "/v1/orders?token=secret", error });
    } finally {
      spy.mockRestore();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith("\n")).toBe(true);
    const rec = JSON.parse(lines[0] as string);
    expect(rec).toMatchObject({ level: "error", errorId: "err_abc", method: "POST", path: "/v1/orders", code: "XX000", message: "boom" });
    expect(rec.stack).toContain("boom");
    expect(lines[0]).not.toContain("secret");
  });
});
