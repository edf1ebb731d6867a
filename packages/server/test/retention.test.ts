/**
 * What the hourly purge forgets: stored Idempotency-Keys after their retention (default 30 days) — what a retry after
 * that gets, the retention's parsing and its limits — and expired login sessions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import {
  IDEMPOTENCY_PURGE_BATCH,
  IDEMPOTENCY_RETENTION_DAYS_DEFAULT,
  IDEMPOTENCY_RETENTION_DAYS_MAX,
  parseRetentionDays,
  purgeIdempotencyKeys,
} from "../src/jobs/idempotency.ts";
import { startScheduler } from "../src/jobs/scheduler.ts";
import { purgeExpiredSessions } from "../src/jobs/sessions.ts";
import { PASSWORD_COST_TESTS_ONLY } from "../src/modules/auth/passwords.ts";
import { login } from "../src/modules/auth/service.ts";
import {
  type Harness,
  type MerchantFixture,
  merchantFixture,
  PASSWORD,
  paidOrder,
  promoterFixture,
  START,
  startHarness,
} from "./helpers.ts";

const DAY = 86_400_000;

describe("idempotency key retention", () => {
  let h: Harness;
  let m: MerchantFixture;
  let other: MerchantFixture;
  let code: string;

  beforeAll(async () => {
    h = await startHarness();
    m = await merchantFixture(h, "Retain");
    other = await merchantFixture(h, "Other");
    code = (await promoterFixture(h, m, "keeper")).code;
  });
  afterAll(async () => {
    await h.close();
  });

  const keysOf = async (merchantId: string) =>
    (
      await h.db.read((q) =>
        q.query<{ key: string; created_at: Date }>("SELECT key, created_at FROM idempotency_keys WHERE merchant_id = $1 ORDER BY key", [
          merchantId,
        ]),
      )
    ).map((r) => ({ key: r.key, at: new Date(r.created_at).toISOString() }));

  it("keeps keys for the retention, forgets them after it, and a retry after that is refused by the order's own guard", async () => {
    const post = (ref: string, key: string) =>
      h.call("POST", "/v1/orders", {
        token: m.apiKey,
        body: paidOrder(ref, `c-${ref}`, { promoCode: code }),
        headers: { "idempotency-key": key },
      });
    const refund = (key: string) =>
      h.call("POST", "/v1/orders/R-OLD/refunds", {
        token: m.apiKey,
        body: { refundRef: "rf-1", amountMinor: 5_000 },
        headers: { "idempotency-key": key },
      });

    h.clock.set(START);
    expect((await post("R-OLD", "k-old")).status).toBe(201);
    const first = await refund("k-refund");
    expect(first.status).toBe(200);
    // Keys are stamped with the server's clock, whichever path stored them (set ingest or a single event).
    expect(await keysOf(m.merchantId)).toEqual([
      { key: "k-old", at: START },
      { key: "k-refund", at: START },
    ]);

    h.clock.advanceDays(29);
    expect((await post("R-NEW", "k-new")).status).toBe(201);
    expect(await purgeIdempotencyKeys(h.db, h.clock, 30)).toBe(0);
    const replay = await post("R-OLD", "k-old");
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");

    h.clock.advanceDays(2); // 31 days after the first keys, 2 after the newest
    expect(await purgeIdempotencyKeys(h.db, h.clock, 30)).toBe(2);
    expect((await keysOf(m.merchantId)).map((k) => k.key)).toEqual(["k-new"]);
    expect(await purgeIdempotencyKeys(h.db, h.clock, 30)).toBe(0);

    // Within its retention a key still replays.
    const kept = await post("R-NEW", "k-new");
    expect(kept.headers.get("idempotent-replayed")).toBe("true");
    // After it, the paid order is a new request: refused by its orderRef, never a second order.
    const late = await post("R-OLD", "k-old");
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("ORDER_EXISTS");
    // A refund retried with its refundRef is answered from its first effect: nothing is reversed twice.
    const lateRefund = await refund("k-refund");
    expect(lateRefund.status).toBe(200);
    expect(lateRefund.body.refundedMinor).toBe(first.body.refundedMinor);
    const orders = await h.call("GET", "/v1/orders?limit=10", { token: m.apiKey });
    expect(orders.body.items.map((o: { orderRef: string }) => o.orderRef).sort()).toEqual(["R-NEW", "R-OLD"]);
    const verify = await h.call("GET", "/v1/ledger/verify", { token: m.apiKey });
    expect(verify.body.ok).toBe(true);
  });

  it("retention 0 keeps every key", async () => {
    const before = await keysOf(m.merchantId);
    expect(before.length).toBeGreaterThan(0);
    h.clock.advanceDays(10_000);
    expect(await purgeIdempotencyKeys(h.db, h.clock, 0)).toBe(0);
    expect(await keysOf(m.merchantId)).toEqual(before);
  });

  it("works through a backlog larger than one batch, and leaves newer keys and other merchants' keys alone", async () => {
    const now = h.clock.now();
    const old = new Date(now.getTime() - 40 * DAY);
    const recent = new Date(now.getTime() - 1 * DAY);
    await h.db.tx(async (q) => {
      await q.query(
        `INSERT INTO idempotency_keys (merchant_id, scope, key, request_hash, status_code, response, created_at)
         SELECT $1, 'test', 'old-' || g, 'h', 200, 'null'::jsonb, $2 FROM generate_series(1, $3::int) g`,
        [other.merchantId, old, IDEMPOTENCY_PURGE_BATCH + 7],
      );
      await q.query(
        `INSERT INTO idempotency_keys (merchant_id, scope, key, request_hash, status_code, response, created_at)
         SELECT $1, 'test', 'recent-' || g, 'h', 200, 'null'::jsonb, $2 FROM generate_series(1, 3) g`,
        [other.merchantId, recent],
      );
    });
    const mine = await keysOf(m.merchantId); // older than 30 days now: forgotten with the backlog
    expect(mine.every((k) => Date.parse(k.at) < now.getTime() - 30 * DAY)).toBe(true);
    expect(mine.length).toBeGreaterThan(0);
    expect(await purgeIdempotencyKeys(h.db, h.clock, 30)).toBe(IDEMPOTENCY_PURGE_BATCH + 7 + mine.length);
    expect((await keysOf(other.merchantId)).map((k) => k.key)).toEqual(["recent-1", "recent-2", "recent-3"]);
    expect(await keysOf(m.merchantId)).toEqual([]);
  });

  it("the server's scheduler runs the purge with the configured retention", async () => {
    const logs: string[] = [];
    h.clock.advanceDays(2); // the three recent keys are 3 days old now
    const s = startScheduler(h.db, h.clock, (msg) => logs.push(msg), { everyMs: 3_600_000, idempotencyRetentionDays: 2 });
    try {
      for (let i = 0; i < 100 && !logs.some((l) => l.includes("idempotency")); i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      s.stop();
    }
    expect(logs).toContain("forgot 3 idempotency keys older than 2 days");
    expect(await keysOf(other.merchantId)).toEqual([]);
  });
});

describe("expired login sessions", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it("are deleted by the purge; live sessions keep working", async () => {
    const short = await login(h.db, "root@test.local", PASSWORD, { now: h.clock.now(), hours: 1, cost: PASSWORD_COST_TESTS_ONLY });
    const count = async () => (await h.db.read((q) => q.query<{ n: number }>("SELECT count(*)::int AS n FROM sessions")))[0]?.n;
    const before = await count();
    expect(await purgeExpiredSessions(h.db, h.clock)).toBe(0);
    expect((await h.call("GET", "/v1/merchants", { token: short.token })).status).toBe(200);
    h.clock.advanceDays(1); // the 1-hour session has expired; the harness's admin session lives 10 years
    expect((await h.call("GET", "/v1/merchants", { token: short.token })).status).toBe(401);
    expect(await purgeExpiredSessions(h.db, h.clock)).toBe(1);
    expect(await count()).toBe((before ?? 0) - 1);
    expect((await h.call("GET", "/v1/merchants", { token: short.token })).status).toBe(401);
    expect((await h.call("GET", "/v1/merchants", { token: h.adminToken })).status).toBe(200);
  });
});

describe("IDEMPOTENCY_RETENTION_DAYS", () => {
  it("defaults to 30 days and accepts 0 (forever) to the maximum", () => {
    expect(IDEMPOTENCY_RETENTION_DAYS_DEFAULT).toBe(30);
    expect(parseRetentionDays(undefined)).toBe(30);
    expect(parseRetentionDays("")).toBe(30);
    expect(parseRetentionDays("0")).toBe(0);
    expect(parseRetentionDays("7")).toBe(7);
    expect(parseRetentionDays(String(IDEMPOTENCY_RETENTION_DAYS_MAX))).toBe(IDEMPOTENCY_RETENTION_DAYS_MAX);
    expect(loadConfig({ IDEMPOTENCY_RETENTION_DAYS: "90" }).idempotencyRetentionDays).toBe(90);
    expect(loadConfig({}).idempotencyRetentionDays).toBe(30);
  });

  it.each(["-1", "1.5", "thirty", String(IDEMPOTENCY_RETENTION_DAYS_MAX + 1)])("refuses %s, naming the setting", (v) => {
    expect(() => parseRetentionDays(v)).toThrow(/IDEMPOTENCY_RETENTION_DAYS/);
    expect(() => loadConfig({ IDEMPOTENCY_RETENTION_DAYS: v })).toThrow(/IDEMPOTENCY_RETENTION_DAYS/);
  });
});
