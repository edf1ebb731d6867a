/**
 * Outgoing webhooks (Standard Webhooks v1): the signer against the specification's test vector, the endpoint resource,
 * real deliveries verified by a receiver built on the `standardwebhooks` package (forged and stale ones refused), the
 * retry schedule, 410 and Retry-After, the 1 KB response excerpt, the timeout and the SSRF rule.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PostgresDb } from "../src/db/client.ts";
import { runWebhooks } from "../src/jobs/webhooks.ts";
import { emitEvent, emitEvents } from "../src/modules/events/outbox.ts";
import { nonPublicRange } from "../src/modules/webhooks/address.ts";
import { dispatchEvents } from "../src/modules/webhooks/dispatch.ts";
import { postWebhook } from "../src/modules/webhooks/http.ts";
import { ATTEMPTS_MAX, JITTER, RETRY_SCHEDULE_MS, retryDelayMs } from "../src/modules/webhooks/schedule.ts";
import { sendDue } from "../src/modules/webhooks/send.ts";
import { signatureHeader, signV1 } from "../src/modules/webhooks/signature.ts";
import { type Harness, type Json, type MerchantFixture, merchantFixture, onPostgres, startHarness, TEST_KEY_RING } from "./helpers.ts";

interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A local receiver: records every request and answers with what `answer` says (200 by default). */
class Receiver {
  server: Server;
  got: Received[] = [];
  answer: (r: Received) => { status: number; headers?: Record<string, string>; body?: string } = () => ({ status: 200, body: "ok" });
  url = "";
  constructor() {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const r = { headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString("utf8") };
        this.got.push(r);
        const a = this.answer(r);
        res.writeHead(a.status, a.headers ?? {});
        res.end(a.body ?? "");
      });
    });
  }
  async start(): Promise<this> {
    await new Promise<void>((ok) => this.server.listen(0, "127.0.0.1", () => ok()));
    const a = this.server.address();
    this.url = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}/hook`;
    return this;
  }
  close(): Promise<void> {
    return new Promise((ok) => this.server.close(() => ok()));
  }
}

let h: Harness;
let m: MerchantFixture;
let rx: Receiver;

beforeAll(async () => {
  process.env.WEBHOOKS_ALLOW_PRIVATE = "1";
  // The receiver checks timestamps against its own clock (5 minutes of tolerance): the server's clock starts now.
  h = await startHarness(new Date().toISOString());
  m = await merchantFixture(h, "Hooks");
  rx = await new Receiver().start();
});
afterAll(async () => {
  await rx?.close();
  await h?.close();
  delete process.env.WEBHOOKS_ALLOW_PRIVATE;
});
afterEach(() => {
  process.env.WEBHOOKS_ALLOW_PRIVATE = "1";
  rx.answer = () => ({ status: 200, body: "ok" });
});

const run = () => runWebhooks(h.db, h.clock, TEST_KEY_RING);
const emitEventsOf = (q: import("../src/db/client.ts").Sql, events: Parameters<typeof emitEvents>[2]) =>
  emitEvents(q, m.merchantId, events, h.clock.now());
const emit = (type: "plan.published" | "period.closed" | "commission.created", data: Record<string, unknown>, merchantId = m.merchantId) =>
  h.db.tx((q) => emitEvent(q, merchantId, { type, subject: `test:${type}`, data }, h.clock.now())).then((ids) => ids[0] as string);

async function createEndpoint(body: Record<string, unknown>, token = m.apiKey): Promise<Json> {
  const r = await h.call("POST", "/v1/webhook-endpoints", { token, body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

async function deliveries(endpointId: string): Promise<Json[]> {
  const r = await h.call("GET", `/v1/webhook-endpoints/${endpointId}/deliveries`, { token: m.apiKey });
  expect(r.status).toBe(200);
  return r.body.items;
}

async function dropEndpoint(id: string) {
  expect((await h.call("DELETE", `/v1/webhook-endpoints/${id}`, { token: m.apiKey })).status).toBe(200);
}

describe("the signer", () => {
  it("reproduces the Standard Webhooks test vector", () => {
    // libraries/javascript/src/webhook.test.ts of github.com/standard-webhooks/standard-webhooks ("sign function works")
    expect(signV1("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}')).toBe(
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    );
  });

  it("agrees with the standardwebhooks package, one signature per secret, space-separated", () => {
    const a = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const b = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
    const ts = Math.floor(Date.now() / 1000);
    const header = signatureHeader([a, b], "evt_1", ts, '{"x":1}');
    expect(header.split(" ")).toHaveLength(2);
    for (const s of [a, b])
      expect(
        new Webhook(s).verify('{"x":1}', { "webhook-id": "evt_1", "webhook-timestamp": String(ts), "webhook-signature": header }),
      ).toEqual({
        x: 1,
      });
  });
});

describe("the endpoint resource", () => {
  it("creates an endpoint with a secret shown once, lists and reads it without the secret, changes and deletes it", async () => {
    const created = await createEndpoint({ url: rx.url, events: ["plan.published", "order.attributed"], description: "ERP" });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.secret.slice(6), "base64")).toHaveLength(32);
    expect(created.events).toEqual(["order.attributed", "plan.published"]);
    const list = await h.call("GET", "/v1/webhook-endpoints", { token: m.apiKey });
    expect(list.body.items.map((e: Json) => e.id)).toContain(created.id);
    expect(JSON.stringify(list.body)).not.toContain(created.secret.slice(6));
    const one = await h.call("GET", `/v1/webhook-endpoints/${created.id}`, { token: m.apiKey });
    expect(one.body.secret).toBeUndefined();
    expect(one.body.description).toBe("ERP");
    const [stored] = await h.db.read((q) =>
      q.query<{ secret_sealed: string }>("SELECT secret_sealed FROM webhook_endpoints WHERE id = $1", [created.id]),
    );
    expect(stored?.secret_sealed).toMatch(/^v1\./);
    expect(stored?.secret_sealed).not.toContain(created.secret.slice(6));
    const patched = await h.call("PATCH", `/v1/webhook-endpoints/${created.id}`, {
      token: m.apiKey,
      body: { events: ["*"], disabled: true },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ events: ["*"], disabled: true, disabledReason: "disabled by the merchant" });
    const enabled = await h.call("PATCH", `/v1/webhook-endpoints/${created.id}`, { token: m.apiKey, body: { disabled: false } });
    expect(enabled.body).toMatchObject({ disabled: false, disabledReason: null });
    await dropEndpoint(created.id);
    expect((await h.call("GET", `/v1/webhook-endpoints/${created.id}`, { token: m.apiKey })).status).toBe(404);
  });

  it("replays a create with the same Idempotency-Key (the same secret), and refuses the key with another body", async () => {
    const headers = { "idempotency-key": "wh-create-1" };
    const body = { url: rx.url, events: ["*"] };
    const a = await h.call("POST", "/v1/webhook-endpoints", { token: m.apiKey, body, headers });
    const b = await h.call("POST", "/v1/webhook-endpoints", { token: m.apiKey, body, headers });
    expect(a.status).toBe(201);
    expect(b.body).toEqual(a.body);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    const c = await h.call("POST", "/v1/webhook-endpoints", { token: m.apiKey, body: { ...body, description: "x" }, headers });
    expect(c.status).toBe(409);
    await dropEndpoint(a.body.id);
  });

  it("refuses unknown event types, '*' with others, a non-web URL, and another merchant's endpoint", async () => {
    const bad = await h.call("POST", "/v1/webhook-endpoints", { token: m.apiKey, body: { url: rx.url, events: ["order.eaten"] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("events");
    const star = await h.call("POST", "/v1/webhook-endpoints", { token: m.apiKey, body: { url: rx.url, events: ["*", "plan.published"] } });
    expect(star.status).toBe(400);
    expect(star.body.error.message).toContain("events");
    const ftp = await h.call("POST", "/v1/webhook-endpoints", { token: m.apiKey, body: { url: "ftp://example.com/x", events: ["*"] } });
    expect(ftp.status).toBe(400);
    expect(ftp.body.error.message).toContain("url");
    const mine = await createEndpoint({ url: rx.url, events: ["*"] });
    const other = await merchantFixture(h, "Other");
    expect((await h.call("GET", `/v1/webhook-endpoints/${mine.id}`, { token: other.apiKey })).status).toBe(404);
    expect((await h.call("DELETE", `/v1/webhook-endpoints/${mine.id}`, { token: other.apiKey })).status).toBe(404);
    await dropEndpoint(mine.id);
  });
});

describe("SSRF", () => {
  it("classifies addresses: loopback, private, link-local, unique-local, mapped IPv4, CGNAT refused; public allowed", () => {
    for (const a of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "::",
      "fe80::1",
      "fc00::1",
      "fd12:3456::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
      "224.0.0.1",
    ])
      expect(nonPublicRange(a), a).not.toBeNull();
    for (const a of ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) expect(nonPublicRange(a), a).toBeNull();
  });

  it("refuses endpoint URLs on loopback, private and link-local networks unless WEBHOOKS_ALLOW_PRIVATE=1", async () => {
    delete process.env.WEBHOOKS_ALLOW_PRIVATE;
    for (const url of [
      "http://127.0.0.1:9/x",
      "http://localhost:9/x",
      "http://[::1]/x",
      "http://10.0.0.8/x",
      "http://169.254.169.254/latest",
      "http://[fe80::1]/x",
      "http://[::ffff:192.168.0.1]/x",
    ]) {
      const r = await h.call("POST", "/v1/webhook-endpoints", { token: m.apiKey, body: { url, events: ["*"] } });
      expect(r.status, url).toBe(422);
      expect(r.body.error.code, url).toBe("WEBHOOK_URL_REFUSED");
    }
    const made = await createEndpoint({ url: "http://93.184.216.34/hook", events: ["*"] });
    expect(made.url).toBe("http://93.184.216.34/hook");
    const patch = await h.call("PATCH", `/v1/webhook-endpoints/${made.id}`, { token: m.apiKey, body: { url: "http://192.168.7.7/" } });
    expect(patch.status).toBe(422);
    expect(patch.body.error.code).toBe("WEBHOOK_URL_REFUSED");
    process.env.WEBHOOKS_ALLOW_PRIVATE = "1";
    await dropEndpoint(made.id);
  });

  it("checks again at delivery time, in the connection's own lookup (a name that now resolves to loopback is refused)", async () => {
    const ep = await createEndpoint({ url: rx.url.replace("127.0.0.1", "localhost"), events: ["plan.published"] });
    delete process.env.WEBHOOKS_ALLOW_PRIVATE; // as if the name had been re-pointed at a private address after saving
    const before = rx.got.length;
    await emit("plan.published", { n: 1 });
    await run();
    expect(rx.got.length).toBe(before);
    const [d] = await deliveries(ep.id);
    expect(d.status).toBe("pending");
    expect(d.lastError).toMatch(/localhost resolves to .*(loopback)/);
    const direct = await postWebhook("http://127.0.0.1:9/x", {}, "{}");
    expect(direct.error).toMatch(/127\.0\.0\.1 .*loopback/);
    process.env.WEBHOOKS_ALLOW_PRIVATE = "1";
    await dropEndpoint(ep.id);
  });
});

describe("deliveries", () => {
  it("delivers signed events that a standardwebhooks receiver verifies; forged and stale ones are refused", async () => {
    const ep = await createEndpoint({ url: rx.url, events: ["plan.published"] });
    const wh = new Webhook(ep.secret);
    const verified: unknown[] = [];
    const refused: string[] = [];
    rx.answer = (r) => {
      try {
        verified.push(wh.verify(r.body, r.headers));
        return { status: 204 };
      } catch (e) {
        refused.push((e as Error).message);
        return { status: 400, body: "bad signature" };
      }
    };
    const before = rx.got.length;
    const id = await emit("plan.published", { programId: "prg_1", version: 3 });
    await emit("period.closed", { not: "subscribed" });
    const out = await run();
    expect(out.outcomes).toEqual(["succeeded"]);
    const got = rx.got.slice(before);
    expect(got).toHaveLength(1);
    const r = got[0] as Received;
    expect(r.headers["webhook-id"]).toBe(id);
    expect(Number(r.headers["webhook-timestamp"])).toBe(Math.floor(h.clock.now().getTime() / 1000));
    expect(r.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(r.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(r.body)).toEqual({
      type: "plan.published",
      timestamp: h.clock.now().toISOString(),
      data: { programId: "prg_1", version: 3 },
    });
    expect(verified).toEqual([JSON.parse(r.body)]);

    // forged: another body under the same headers, or another secret's signature; stale: a timestamp 10 minutes old
    const post = (headers: Record<string, string>, body: string) =>
      fetch(rx.url, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body }).then((x) => x.status);
    const keep = { "webhook-id": r.headers["webhook-id"] as string, "webhook-timestamp": r.headers["webhook-timestamp"] as string };
    expect(await post({ ...keep, "webhook-signature": r.headers["webhook-signature"] as string }, r.body.replace("3", "4"))).toBe(400);
    const other = `whsec_${Buffer.alloc(32, 1).toString("base64")}`;
    const ts = Number(keep["webhook-timestamp"]);
    expect(await post({ ...keep, "webhook-signature": signV1(other, id, ts, r.body) }, r.body)).toBe(400);
    const stale = ts - 600;
    expect(
      await post({ ...keep, "webhook-timestamp": String(stale), "webhook-signature": signV1(ep.secret, id, stale, r.body) }, r.body),
    ).toBe(400);
    expect(refused).toEqual(["No matching signature found", "No matching signature found", "Message timestamp too old"]);
    const [d] = await deliveries(ep.id);
    expect(d).toMatchObject({ eventId: id, eventType: "plan.published", status: "succeeded", attempts: 1, lastStatusCode: 204 });
    expect(d.log).toEqual([expect.objectContaining({ attempt: 1, statusCode: 204, responseExcerpt: "" })]);
    expect(d.log[0].latencyMs).toBeGreaterThanOrEqual(0);
    await dropEndpoint(ep.id);
  });

  it("sends each event to each subscribed endpoint once, under the event id; a second run sends nothing", async () => {
    const a = await createEndpoint({ url: rx.url, events: ["*"] });
    const b = await createEndpoint({ url: rx.url, events: ["commission.created"] });
    const before = rx.got.length;
    const e1 = await emit("commission.created", { id: "cl_1" });
    const e2 = await emit("period.closed", { id: "pc_1" });
    expect((await run()).outcomes).toHaveLength(3);
    expect((await run()).outcomes).toHaveLength(0);
    const ids = rx.got.slice(before).map((r) => r.headers["webhook-id"]);
    expect(ids.sort()).toEqual([e1, e1, e2].sort());
    const [undispatched] = await h.db.read((q) =>
      q.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE dispatched_at IS NULL"),
    );
    expect(undispatched?.n).toBe(0);
    await dropEndpoint(a.id);
    await dropEndpoint(b.id);
  });

  it("retries on the schedule with jitter (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h), then fails", async () => {
    const ep = await createEndpoint({ url: rx.url, events: ["plan.published"] });
    rx.answer = () => ({ status: 503, body: "busy" });
    const before = rx.got.length;
    const id = await emit("plan.published", { retry: true });
    const start = h.clock.now().getTime();
    let t = start;
    for (let attempt = 1; attempt <= ATTEMPTS_MAX; attempt++) {
      const out = await run();
      expect(out.outcomes, `attempt ${attempt}`).toEqual([attempt === ATTEMPTS_MAX ? "failed" : "retry"]);
      const [d] = await deliveries(ep.id);
      expect(d.attempts).toBe(attempt);
      if (attempt === ATTEMPTS_MAX) {
        expect(d.status).toBe("failed");
        break;
      }
      const wait = new Date(d.nextAttemptAt).getTime() - t;
      const base = RETRY_SCHEDULE_MS[attempt] as number;
      expect(wait, `wait after attempt ${attempt}`).toBeGreaterThanOrEqual(Math.floor(base * (1 - JITTER)));
      expect(wait).toBeLessThanOrEqual(Math.ceil(base * (1 + JITTER)));
      // not before it is due
      h.clock.set(new Date(t + wait - 1));
      expect((await run()).outcomes).toEqual([]);
      t += wait;
      h.clock.set(new Date(t));
    }
    const got = rx.got.slice(before);
    expect(got).toHaveLength(ATTEMPTS_MAX);
    expect(new Set(got.map((r) => r.headers["webhook-id"]))).toEqual(new Set([id]));
    expect(new Set(got.map((r) => r.body)).size).toBe(1); // the same body every time; the timestamp and signature change
    expect(new Set(got.map((r) => r.headers["webhook-timestamp"])).size).toBe(ATTEMPTS_MAX);
    const [d] = await deliveries(ep.id);
    expect(d.log.map((l: Json) => l.statusCode)).toEqual(Array(ATTEMPTS_MAX).fill(503));
    expect(d.log[0].responseExcerpt).toBe("busy");
    h.clock.set(new Date());
    await dropEndpoint(ep.id);
  });

  it("jitter stays within ±10 % and Retry-After is honoured when longer", () => {
    expect(retryDelayMs(1, null, 0)).toBe(4500);
    expect(retryDelayMs(1, null, 0.999_999)).toBe(5500);
    expect(retryDelayMs(1, 120_000, 0.5)).toBe(120_000);
    expect(retryDelayMs(3, 1_000, 0.5)).toBe(30 * 60_000);
    expect(retryDelayMs(ATTEMPTS_MAX, null)).toBeNull();
  });

  it("honours Retry-After and counts only 2xx as success (3xx is not followed)", async () => {
    const ep = await createEndpoint({ url: rx.url, events: ["plan.published"] });
    rx.answer = () => ({ status: 429, headers: { "retry-after": "600" } });
    await emit("plan.published", { ra: 1 });
    expect((await run()).outcomes).toEqual(["retry"]);
    let [d] = await deliveries(ep.id);
    expect(new Date(d.nextAttemptAt).getTime() - h.clock.now().getTime()).toBe(600_000);
    h.clock.set(new Date(h.clock.now().getTime() + 600_000));
    rx.answer = () => ({ status: 302, headers: { location: "http://127.0.0.1:9/" } });
    expect((await run()).outcomes).toEqual(["retry"]);
    [d] = await deliveries(ep.id);
    expect(d.lastStatusCode).toBe(302);
    h.clock.set(new Date());
    await dropEndpoint(ep.id);
  });

  it("410 Gone disables the endpoint; it then gets no new deliveries until re-enabled", async () => {
    const ep = await createEndpoint({ url: rx.url, events: ["plan.published"] });
    rx.answer = () => ({ status: 410, body: "gone" });
    await emit("plan.published", { gone: 1 });
    expect((await run()).outcomes).toEqual(["gone"]);
    const view = await h.call("GET", `/v1/webhook-endpoints/${ep.id}`, { token: m.apiKey });
    expect(view.body).toMatchObject({ disabled: true, disabledReason: "the endpoint answered 410 Gone" });
    const [d] = await deliveries(ep.id);
    expect(d.status).toBe("failed");
    await emit("plan.published", { gone: 2 });
    expect((await run()).outcomes).toEqual([]);
    expect(await deliveries(ep.id)).toHaveLength(1);
    // the merchant re-enables it and resends the failed delivery by hand
    rx.answer = () => ({ status: 200, body: "x".repeat(5000) });
    await h.call("PATCH", `/v1/webhook-endpoints/${ep.id}`, { token: m.apiKey, body: { disabled: false } });
    const resend = await h.call("POST", `/v1/webhook-endpoints/${ep.id}/deliveries/${d.id}/resend`, { token: m.apiKey });
    expect(resend.status).toBe(202);
    expect(resend.body.status).toBe("pending");
    expect((await run()).outcomes).toEqual(["succeeded"]);
    const [again] = await deliveries(ep.id);
    expect(again).toMatchObject({ id: d.id, status: "succeeded", attempts: 2 });
    expect(again.log[1].responseExcerpt).toHaveLength(1024); // at most 1 KB of the response is kept
    const missing = await h.call("POST", `/v1/webhook-endpoints/${ep.id}/deliveries/whd_nope/resend`, { token: m.apiKey });
    expect(missing.status).toBe(404);
    await dropEndpoint(ep.id);
  });

  it("a rotated secret: both signatures are sent during the overlap, then only the new one", async () => {
    const ep = await createEndpoint({ url: rx.url, events: ["plan.published"] });
    const rot = await h.call("POST", `/v1/webhook-endpoints/${ep.id}/rotate-secret`, { token: m.apiKey });
    expect(rot.status).toBe(200);
    expect(rot.body.secret).toMatch(/^whsec_/);
    expect(rot.body.secret).not.toBe(ep.secret);
    expect(new Date(rot.body.previousSecretUntil).getTime() - h.clock.now().getTime()).toBe(24 * 3_600_000);
    const before = rx.got.length;
    await emit("plan.published", { rotated: 1 });
    await run();
    const r = rx.got[before] as Received;
    expect(r.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    for (const s of [ep.secret, rot.body.secret])
      expect(new Webhook(s).verify(r.body, r.headers)).toMatchObject({ type: "plan.published" });
    // after the overlap only the new secret signs (the clock jumps; the signature is checked without the receiver's clock)
    h.clock.set(new Date(h.clock.now().getTime() + 24 * 3_600_000 + 1000));
    await emit("plan.published", { rotated: 2 });
    await run();
    const late = rx.got[before + 1] as Received;
    const sig = late.headers["webhook-signature"] as string;
    expect(sig.split(" ")).toHaveLength(1);
    expect(sig).toBe(signV1(rot.body.secret, late.headers["webhook-id"] as string, Number(late.headers["webhook-timestamp"]), late.body));
    h.clock.set(new Date());
    await dropEndpoint(ep.id);
  });

  it("gives up an attempt after its timeout", async () => {
    const hang = createServer(() => undefined);
    await new Promise<void>((ok) => hang.listen(0, "127.0.0.1", () => ok()));
    const a = hang.address();
    const r = await postWebhook(`http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}/`, {}, "{}", 300);
    expect(r.statusCode).toBeNull();
    expect(r.error).toBe("timed out after 300 ms");
    expect(r.latencyMs).toBeLessThan(5000);
    hang.closeAllConnections();
    await new Promise((ok) => hang.close(ok));
  });
});

describe.skipIf(!onPostgres)("two server processes' jobs at once (PostgreSQL)", () => {
  it("share the work: every event dispatched once, every delivery sent once", async () => {
    const ep = await createEndpoint({ url: rx.url, events: ["commission.created"] });
    const other = PostgresDb.open(h.url as string, 5);
    try {
      const N = 300;
      const ids = await h.db.tx((q) =>
        emitEventsOf(
          q,
          Array.from({ length: N }, (_, i) => ({ type: "commission.created" as const, subject: `c:${i}`, data: { i } })),
        ),
      );
      const before = rx.got.length;
      const now = () => h.clock.now();
      const [a, b] = await Promise.all([dispatchEvents(h.db, now, 20), dispatchEvents(other, now, 20)]);
      expect(a + b).toBe(N);
      const [n] = await h.db.read((q) =>
        q.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1", [ep.id]),
      );
      expect(n?.n).toBe(N);
      const rounds = async (db: import("../src/db/client.ts").Db) => {
        let sent = 0;
        for (;;) {
          const out = await sendDue(db, h.clock, TEST_KEY_RING, 10);
          sent += out.length;
          if (out.length === 0) return sent;
        }
      };
      const [x, y] = await Promise.all([rounds(h.db), rounds(other)]);
      expect(x + y).toBe(N);
      expect(x).toBeGreaterThan(0);
      expect(y).toBeGreaterThan(0);
      const got = rx.got.slice(before).map((r) => r.headers["webhook-id"]);
      expect(got).toHaveLength(N);
      expect(new Set(got)).toEqual(new Set(ids));
    } finally {
      await other.close();
      await dropEndpoint(ep.id);
    }
  });
});
