/**
 * The sandbox payout provider on its own (the provider, not a payout run: payout-sandbox.test.ts runs payouts through it)
 * against a real database and a real HTTP receiver: acceptance, the delayed decision, the
 * signed callback (twice, late, retried, given up), idempotency on outRef, forged callbacks refused, and its records
 * surviving a new process (a new provider instance; on PostgreSQL a new connection pool).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresDb } from "../src/db/client.ts";
import { sandboxConfig, saveConfig } from "../src/modules/payouts/providers/config.ts";
import { type ProviderDeps, providerFor } from "../src/modules/payouts/providers/factory.ts";
import {
  CALLBACK_BACKOFF_MS,
  runSandboxCallbacks,
  signSandboxCallback,
  startSandboxDelivery,
} from "../src/modules/payouts/providers/sandbox.ts";
import { CallbackRejected, type PayoutRequest, PayoutRequestRejected } from "../src/modules/payouts/providers/types.ts";
import { rng } from "../src/rng.ts";
import { type Receiver, startReceiver } from "./fakes/receiver.ts";
import { type Harness, type MerchantFixture, merchantFixture, onPostgres, startHarness, TEST_KEY_RING } from "./helpers.ts";

let h: Harness;
let m: MerchantFixture;
let rx: Receiver;
let seq = 0;

beforeAll(async () => {
  h = await startHarness();
  m = await merchantFixture(h, "Sandbox pay");
  rx = await startReceiver();
});
afterAll(async () => {
  await rx?.close();
  await h?.close();
});

const deps = (seed = 1): ProviderDeps => ({ db: h.db, clock: h.clock, rng: rng(seed) });
const provider = (merchantId = m.merchantId, seed = 1) => h.db.tx((q) => providerFor(q, TEST_KEY_RING, merchantId, "sandbox", deps(seed)));
const deliver = () => runSandboxCallbacks({ db: h.db, clock: h.clock, ring: TEST_KEY_RING });

async function settings(s: Record<string, number>, merchantId = m.merchantId) {
  await h.db.tx(async (q) => {
    const c = await sandboxConfig(q, TEST_KEY_RING, merchantId, h.clock.now());
    await saveConfig(q, TEST_KEY_RING, merchantId, "sandbox", true, { ...c, ...s }, h.clock.now());
  });
}

function request(over: Partial<PayoutRequest> = {}): PayoutRequest {
  seq++;
  return {
    merchantId: m.merchantId,
    withdrawalId: `wd_${seq}`,
    outRef: `W${seq}`,
    amountMinor: 12_345,
    currency: "CNY",
    payee: { kind: "bank", holderName: "张三", bankName: "招商银行", cardNumber: "6222000011112222", branch: null },
    remark: "佣金提现",
    ...over,
    notifyUrl: `${rx.url}/cb/${over.outRef ?? `W${seq}`}`,
  };
}

/** The callbacks received for one request. */
const got = (req: PayoutRequest) => rx.received.filter((r) => r.path === new URL(req.notifyUrl).pathname);

function later(ms: number) {
  h.clock.set(new Date(h.clock.now().getTime() + ms));
}

describe("sandbox provider", () => {
  it("accepts, decides after the delay, and calls back once with a signature parseCallback verifies", async () => {
    await settings({ delayMs: 2_000, failureRate: 0, duplicateRate: 0, lateRate: 0 });
    const p = await provider();
    const req = request();
    const s = await p.submit(req);
    expect(s).toMatchObject({ state: "processing", providerState: "ACCEPTED" });
    expect(await p.query(req.outRef)).toEqual(s);
    await deliver();
    expect(got(req)).toHaveLength(0); // not decided yet: nothing is due
    later(2_000);
    const done = await p.query(req.outRef);
    expect(done).toMatchObject({ state: "succeeded", providerState: "SUCCESS", providerRef: (s as { providerRef: string }).providerRef });
    expect(await deliver()).toBeGreaterThanOrEqual(1);
    expect(got(req)).toHaveLength(1);
    const cb = got(req)[0]!;
    const parsed = await p.parseCallback(cb.headers, cb.body);
    expect(parsed).toEqual({ outRef: req.outRef, status: done });
    later(60_000);
    await deliver();
    expect(got(req)).toHaveLength(1); // delivered once, no more
  });

  it("is idempotent on outRef: the same request returns the same transfer, other parameters are refused", async () => {
    const p = await provider();
    const req = request();
    const first = await p.submit(req);
    const again = await (await provider(m.merchantId, 99)).submit(req);
    expect(again).toEqual(first);
    await expect(p.submit({ ...req, amountMinor: req.amountMinor + 1 })).rejects.toMatchObject({ code: "OUT_REF_CONFLICT" });
    await expect(p.submit({ ...req, payee: { ...req.payee, holderName: "李四" } as PayoutRequest["payee"] })).rejects.toBeInstanceOf(
      PayoutRequestRejected,
    );
    const [n] = await h.db.read((q) =>
      q.query<{ n: number }>("SELECT count(*)::int AS n FROM sandbox_transfers WHERE out_ref = $1", [req.outRef]),
    );
    expect(n?.n).toBe(1);
  });

  it("refuses a malformed request before accepting anything", async () => {
    const p = await provider();
    await expect(p.submit(request({ outRef: "has-dash" }))).rejects.toMatchObject({ code: "REQUEST_INVALID" });
    await expect(p.submit(request({ remark: "长".repeat(33) }))).rejects.toMatchObject({ code: "REQUEST_INVALID" });
    await expect(p.submit(request({ amountMinor: 0 }))).rejects.toMatchObject({ code: "REQUEST_INVALID" });
  });

  it("fails at the failure rate: the query and the callback both say failed with a reason", async () => {
    await settings({ delayMs: 0, failureRate: 1, duplicateRate: 0, lateRate: 0 });
    const p = await provider();
    const req = request();
    const s = await p.submit(req);
    expect(s).toMatchObject({ state: "failed", providerState: "FAIL" });
    expect((s as { reason: string }).reason).toMatch(/SANDBOX_DECLINED/);
    await deliver();
    const parsed = await p.parseCallback(got(req)[0]!.headers, got(req)[0]!.body);
    expect(parsed.status).toEqual(s);
  });

  it("sends a callback twice (same message id) at the duplicate rate, and late at the late rate", async () => {
    await settings({ delayMs: 1_000, failureRate: 0, duplicateRate: 1, lateRate: 1, lateDelayMs: 60_000 });
    const p = await provider();
    const req = request();
    await p.submit(req);
    later(1_000);
    expect((await p.query(req.outRef)).state).toBe("succeeded"); // decided on time…
    await deliver();
    expect(got(req)).toHaveLength(0); // …but the callback is late
    later(60_000);
    await deliver();
    expect(got(req)).toHaveLength(1);
    later(1_000);
    await deliver();
    expect(got(req)).toHaveLength(2);
    later(60_000);
    await deliver();
    expect(got(req)).toHaveLength(2);
    const [a, b] = got(req) as [Receiver["received"][0], Receiver["received"][0]];
    expect(a.headers["webhook-id"]).toBe(b.headers["webhook-id"]);
    expect((await p.parseCallback(a.headers, a.body)).status).toEqual((await p.parseCallback(b.headers, b.body)).status);
  });

  it("retries a callback that is not answered 2xx with backoff, then gives up; query still answers", async () => {
    await settings({ delayMs: 0, failureRate: 0, duplicateRate: 0, lateRate: 0, callbackAttemptsMax: 3 });
    const p = await provider();
    const req = request();
    await p.submit(req);
    rx.status = 503;
    try {
      await deliver();
      expect(got(req)).toHaveLength(1);
      later(CALLBACK_BACKOFF_MS[0]! - 1);
      await deliver();
      expect(got(req)).toHaveLength(1); // not before the backoff
      later(1);
      await deliver();
      expect(got(req)).toHaveLength(2);
      later(CALLBACK_BACKOFF_MS[1]!);
      await deliver();
      expect(got(req)).toHaveLength(3);
      later(86_400_000);
      await deliver();
      expect(got(req)).toHaveLength(3); // gave up after 3 attempts
    } finally {
      rx.status = 200;
    }
    const [row] = await h.db.read((q) =>
      q.query<{ callbacks_left: number; callback_error: string }>(
        "SELECT callbacks_left, callback_error FROM sandbox_transfers WHERE out_ref = $1",
        [req.outRef],
      ),
    );
    expect(row).toMatchObject({ callbacks_left: 0 });
    expect(row?.callback_error).toMatch(/gave up after 3 attempts: HTTP 503/);
    expect((await p.query(req.outRef)).state).toBe("succeeded");
  });

  it("refuses forged, tampered, stale and other merchants' callbacks", async () => {
    await settings({ delayMs: 0, failureRate: 0, duplicateRate: 0, lateRate: 0 });
    const p = await provider();
    const req = request();
    await p.submit(req);
    await deliver();
    const { headers, body } = got(req)[0]!;
    await expect(p.parseCallback(headers, body.replace('"succeeded"', '"failed"'))).rejects.toBeInstanceOf(CallbackRejected);
    await expect(p.parseCallback({ ...headers, "webhook-signature": "v1,AAAA" }, body)).rejects.toThrow(/does not verify/);
    const forged = signSandboxCallback(
      Buffer.alloc(32, 7).toString("base64"),
      String(headers["webhook-id"]),
      Number(headers["webhook-timestamp"]),
      body,
    );
    await expect(p.parseCallback({ ...headers, "webhook-signature": forged }, body)).rejects.toThrow(/does not verify/);
    await expect(p.parseCallback({ ...headers, "webhook-timestamp": undefined }, body)).rejects.toBeInstanceOf(CallbackRejected);
    later(301_000);
    await expect(p.parseCallback(headers, body)).rejects.toThrow(/too far/);
    // A second merchant's sandbox has its own secret: the first one's callback does not verify there.
    const m2 = await merchantFixture(h, "Sandbox other");
    const p2 = await provider(m2.merchantId);
    h.clock.set(new Date(Number(headers["webhook-timestamp"]) * 1000));
    await expect(p2.parseCallback(headers, body)).rejects.toThrow(/does not verify/);
    expect((await p.parseCallback(headers, body)).outRef).toBe(req.outRef);
  });

  it("decides from the seeded generator: the same seed gives the same outcomes", async () => {
    const outcomes = async (merchantId: string) => {
      await settings({ delayMs: 0, failureRate: 0.5, duplicateRate: 0, lateRate: 0 }, merchantId);
      const p = await provider(merchantId, 42);
      const out: string[] = [];
      for (let i = 0; i < 12; i++) out.push((await p.submit(request({ merchantId }))).state);
      return out;
    };
    const a = await outcomes((await merchantFixture(h, "Seed A")).merchantId);
    const b = await outcomes((await merchantFixture(h, "Seed B")).merchantId);
    expect(a).toEqual(b);
    expect(new Set(a)).toEqual(new Set(["succeeded", "failed"]));
  });

  it("answers a query from its own records after a restart (a new provider, and on PostgreSQL a new pool)", async () => {
    await settings({ delayMs: 5_000, failureRate: 0, duplicateRate: 0, lateRate: 0 });
    const req = request();
    const s = await (await provider()).submit(req);
    later(5_000);
    if (onPostgres && h.url) {
      const db2 = PostgresDb.open(h.url, 2);
      try {
        const p2 = await db2.tx((q) => providerFor(q, TEST_KEY_RING, m.merchantId, "sandbox", { db: db2, clock: h.clock }));
        expect(await p2.query(req.outRef)).toMatchObject({ state: "succeeded", providerRef: (s as { providerRef: string }).providerRef });
      } finally {
        await db2.close();
      }
    }
    const p3 = await provider(m.merchantId, 7);
    expect(await p3.query(req.outRef)).toMatchObject({ state: "succeeded" });
    expect(await p3.query("NeverSubmitted1")).toEqual({ state: "not_found" });
  });

  it("a server delivers due callbacks by itself (startSandboxDelivery)", async () => {
    await settings({ delayMs: 0, failureRate: 0, duplicateRate: 0, lateRate: 0 });
    const req = request();
    await (await provider()).submit(req);
    const delivery = startSandboxDelivery({ db: h.db, clock: h.clock, ring: TEST_KEY_RING }, () => undefined, 20);
    try {
      for (let i = 0; i < 200 && got(req).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      delivery.stop();
    }
    expect(got(req)).toHaveLength(1);
  });

  it("live providers are off unless configured and enabled", async () => {
    for (const name of ["wechat", "alipay"] as const)
      await expect(h.db.tx((q) => providerFor(q, TEST_KEY_RING, m.merchantId, name, deps()))).rejects.toMatchObject({
        code: "PAYOUT_PROVIDER_NOT_CONFIGURED",
      });
  });
});
