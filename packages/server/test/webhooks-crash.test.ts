/**
 * A server process SIGKILLed while its webhook deliveries are in flight loses no event: after a restart every event
 * reaches the receiver (at least once, some twice: those whose attempt the kill cut short, once their lease ran out),
 * and a receiver that dedupes on webhook-id applies each exactly once. On PostgreSQL, with real server processes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import pg from "pg";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEASE_MS } from "../src/modules/webhooks/schedule.ts";
import { type ServerChild, startServerChild } from "./child-server.ts";
import { createTestDatabase, type Json, onPostgres } from "./helpers.ts";

const API_KEY = "fxk_demo_beibei_0000000000000000";
const ORDERS = 20;
/** Requests answered before the receiver stops answering (the rest hang until the server is killed). */
const ANSWERED_BEFORE_HANG = 5;

describe.skipIf(!onPostgres)("webhooks survive SIGKILL during delivery", () => {
  let db: { url: string; drop: () => Promise<void> } | null = null;
  let child: ServerChild | null = null;
  let receiver: Server | null = null;
  const hung: ServerResponse[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    if (child && child.proc.exitCode === null && child.proc.signalCode === null) {
      child.proc.kill("SIGKILL");
      await child.exited;
    }
    for (const r of hung) r.destroy();
    await new Promise((ok) => (receiver ? receiver.close(ok) : ok(null)));
    await db?.drop();
  });

  it("no event is lost; every id is seen at least once and applied once", { timeout: 180_000 }, async () => {
    const env = { ...process.env, DATABASE_URL: db?.url, FENXIAO_DEMO: "1", WEBHOOKS_ALLOW_PRIVATE: "1" };
    child = await startServerChild(env);
    const api = (base: string, method: string, path: string, body?: unknown) =>
      fetch(base + path, {
        method,
        headers: { authorization: `Bearer ${API_KEY}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));

    // The receiver: verifies with standardwebhooks, applies each webhook-id once, stops answering after a few.
    let secret = "";
    let answered = 0;
    let killed = false;
    const seen: string[] = [];
    const applied = new Map<string, unknown>();
    let firstHang: () => void = () => undefined;
    const hanging = new Promise<void>((ok) => {
      firstHang = ok;
    });
    receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        let payload: unknown;
        try {
          payload = new Webhook(secret).verify(body, req.headers as Record<string, string>);
        } catch {
          res.writeHead(400).end();
          return;
        }
        const id = req.headers["webhook-id"] as string;
        seen.push(id);
        if (!killed && answered >= ANSWERED_BEFORE_HANG) {
          hung.push(res); // in flight when the server dies
          firstHang();
          return;
        }
        answered++;
        if (!applied.has(id)) applied.set(id, payload);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((ok) => receiver?.listen(0, "127.0.0.1", () => ok()));
    const a = receiver.address();
    const url = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}/hook`;

    const ep = await api(child.base, "POST", "/v1/webhook-endpoints", { url, events: ["order.attributed", "commission.created"] });
    expect(ep.status).toBe(201);
    secret = ep.body.secret;
    const promoters = await api(child.base, "GET", "/v1/promoters?limit=50");
    const codes = (promoters.body.items as { code: string; status: string }[]).filter((p) => p.status === "active").map((p) => p.code);
    expect(codes.length).toBeGreaterThan(0);
    const paidAt = new Date(Date.now() - 3600_000).toISOString();
    for (let i = 0; i < ORDERS; i++) {
      const r = await api(child.base, "POST", "/v1/orders", {
        orderRef: `WH-${i}`,
        customer: { ref: `WH-C${i}` },
        paidAt,
        promoCode: codes[i % codes.length],
        lines: [{ productId: "SKU-1001", quantity: 1, netAmountMinor: 32_800 }],
      });
      expect(r.status).toBe(201);
    }

    // Kill the server while deliveries hang in the receiver, then start it again on the same database.
    await hanging;
    await new Promise((r) => setTimeout(r, 300));
    child.proc.kill("SIGKILL");
    await child.exited;
    killed = true;
    for (const r of hung) r.destroy();
    const inFlight = new Set(seen.slice(ANSWERED_BEFORE_HANG));
    expect(inFlight.size).toBeGreaterThan(0);
    child = await startServerChild(env);

    const c = new pg.Client({ connectionString: db?.url });
    await c.connect();
    try {
      const expected = (
        await c.query<{ id: string }>(
          `SELECT ev.id FROM events ev JOIN webhook_endpoints e ON e.merchant_id = ev.merchant_id AND e.id = $1
           WHERE ev.type = ANY(e.events) AND ev.occurred_at >= e.created_at`,
          [ep.body.id],
        )
      ).rows.map((r) => r.id);
      expect(expected.length).toBeGreaterThanOrEqual(ORDERS * 2);
      // The cut-short attempts are retried once their lease runs out.
      const deadline = Date.now() + LEASE_MS + 60_000;
      while (Date.now() < deadline && !expected.every((id) => applied.has(id))) await new Promise((r) => setTimeout(r, 500));
      expect([...applied.keys()].sort()).toEqual([...expected].sort());
      for (const id of inFlight) expect(seen.filter((x) => x === id).length, id).toBeGreaterThanOrEqual(2);
      expect(new Set(seen)).toEqual(new Set(expected)); // nothing invented
      const { rows } = await c.query<{ status: string; n: number }>(
        "SELECT status, count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1 GROUP BY status",
        [ep.body.id],
      );
      expect(rows).toEqual([{ status: "succeeded", n: expected.length }]);
    } finally {
      await c.end();
    }
  });
});
