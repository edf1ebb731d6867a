/**
 * The sandbox provider: behaves like a real asynchronous payout provider without moving money. `submit` accepts
 * (processing); after `delayMs` the transfer is decided — succeeded, or failed at `failureRate` — and a callback is
 * posted to the request's notifyUrl, signed like a Standard Webhooks message (HMAC-SHA256 under the merchant's sandbox
 * secret). At `duplicateRate` the callback is sent twice, at `lateRate` it comes `lateDelayMs` late; a callback that is
 * not answered 2xx is retried with backoff up to `callbackAttemptsMax` times.
 *
 * What the simulated bank accepted and decided is kept in `sandbox_transfers` (the provider's side, not Fenxiao's
 * books), so that `query` answers after a server restart. Decisions are drawn when a transfer is accepted, from the
 * `rng` given (seeded in tests), and become visible at their time: before it, the transfer is processing.
 *
 * Callbacks are delivered by `runSandboxCallbacks` — on demand in tests, every second by `startSandboxDelivery` in a
 * server.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Clock } from "../../../clock.ts";
import type { KeyRing } from "../../../crypto/sealed.ts";
import type { Db } from "../../../db/client.ts";
import { randomBase32 } from "../../../ids.ts";
import { rng as seededRng } from "../../../rng.ts";
import { canonicalJson } from "../../idempotency/service.ts";
import { type SandboxConfig, sandboxConfig } from "./config.ts";
import {
  CallbackRejected,
  checkRequest,
  header,
  type PayoutProvider,
  type PayoutRequest,
  PayoutRequestRejected,
  type PayoutStatus,
} from "./types.ts";

export type Rng = ReturnType<typeof seededRng>;

export interface SandboxDeps {
  db: Db;
  clock: Clock;
  /** Decides failures, duplicates and late callbacks; seeded in tests. */
  rng?: Rng;
}

/** Clock skew allowed on a callback's timestamp (as the Standard Webhooks reference library allows). */
export const CALLBACK_TOLERANCE_S = 300;
/** The second copy of a duplicated callback follows the first this much later. */
export const DUPLICATE_GAP_MS = 1_000;
/** Waits between failed deliveries of one callback. */
export const CALLBACK_BACKOFF_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000];
/** A callback being delivered is not picked up again for this long (another runner, a crash mid-delivery). */
const DELIVERY_LEASE_MS = 30_000;

const defaultRng = (): Rng => seededRng(Math.floor(Math.random() * 2 ** 32));

interface Row {
  merchant_id: string;
  out_ref: string;
  bill_no: string;
  params_hash: string;
  notify_url: string;
  outcome: "succeeded" | "failed";
  reason: string | null;
  decide_at: Date;
  callbacks_left: number;
  callback_attempts: number;
}

function statusOf(r: Row, now: Date): PayoutStatus {
  const decideAt = new Date(r.decide_at);
  if (now < decideAt) return { state: "processing", providerRef: r.bill_no, providerState: "ACCEPTED" };
  if (r.outcome === "succeeded")
    return { state: "succeeded", providerRef: r.bill_no, providerState: "SUCCESS", finishedAt: decideAt.toISOString() };
  return { state: "failed", providerRef: r.bill_no, providerState: "FAIL", reason: r.reason ?? "SANDBOX_DECLINED" };
}

function paramsHash(req: PayoutRequest): string {
  const { withdrawalId, amountMinor, currency, payee, remark } = req;
  return createHash("sha256").update(canonicalJson({ withdrawalId, amountMinor, currency, payee, remark })).digest("hex");
}

/** The Standard Webhooks signature `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. */
export function signSandboxCallback(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac("sha256", Buffer.from(secret, "base64")).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

export class SandboxProvider implements PayoutProvider {
  readonly name = "sandbox" as const;
  private readonly rng: Rng;
  constructor(
    private readonly merchantId: string,
    private readonly config: SandboxConfig,
    private readonly deps: SandboxDeps,
  ) {
    this.rng = deps.rng ?? defaultRng();
  }

  async submit(req: PayoutRequest): Promise<PayoutStatus> {
    const [out] = await this.submitMany([req]);
    if (out instanceof PayoutRequestRejected) throw out;
    return out as PayoutStatus;
  }

  /**
   * Many submits at once, each answered as `submit` answers it (a refusal is returned, not thrown): the decisions drawn
   * in the order given, the accepted transfers recorded with one statement in one transaction of the provider's side.
   * What it buys: a payout run's chunk reaches the sandbox in one round trip instead of one per transfer.
   */
  async submitMany(reqs: readonly PayoutRequest[]): Promise<(PayoutStatus | PayoutRequestRejected)[]> {
    const c = this.config;
    const now = this.deps.clock.now();
    const out: (PayoutStatus | PayoutRequestRejected)[] = new Array(reqs.length);
    const fresh: { i: number; req: PayoutRequest; hash: string; failed: boolean; copies: number; decideAt: Date; callbackAt: Date }[] = [];
    reqs.forEach((req, i) => {
      try {
        checkRequest(req, req.payee.kind);
        if (req.merchantId !== this.merchantId)
          throw new PayoutRequestRejected("REQUEST_INVALID", "merchantId: not this provider's merchant");
      } catch (e) {
        if (!(e instanceof PayoutRequestRejected)) throw e;
        out[i] = e;
        return;
      }
      const failed = this.rng.chance(c.failureRate);
      const copies = this.rng.chance(c.duplicateRate) ? 2 : 1;
      const late = this.rng.chance(c.lateRate);
      const decideAt = new Date(now.getTime() + c.delayMs);
      const callbackAt = new Date(decideAt.getTime() + (late ? c.lateDelayMs : 0));
      fresh.push({ i, req, hash: paramsHash(req), failed, copies, decideAt, callbackAt });
    });
    if (fresh.length === 0) return out;
    // One transaction (the provider's side); concurrent submits run in parallel.
    const rows = await this.deps.db.tx(async (q) => {
      const inserted = await q.query<Row & Record<string, unknown>>(
        `INSERT INTO sandbox_transfers (merchant_id, out_ref, bill_no, withdrawal_id, amount_minor, currency, params_hash, notify_url,
           outcome, reason, accepted_at, decide_at, callback_at, callbacks_left)
         SELECT $1, x.out_ref, x.bill_no, x.withdrawal_id, x.amount, x.currency, x.hash, x.notify_url, x.outcome, x.reason, $2, x.decide_at, x.callback_at, x.copies
         FROM unnest($3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                     $12::timestamptz[], $13::timestamptz[], $14::int[])
           AS x(out_ref, bill_no, withdrawal_id, amount, currency, hash, notify_url, outcome, reason, decide_at, callback_at, copies)
         ON CONFLICT (merchant_id, out_ref) DO NOTHING RETURNING *`,
        [
          this.merchantId,
          now,
          fresh.map((f) => f.req.outRef),
          fresh.map(() => `sbx${randomBase32(24)}`),
          fresh.map((f) => f.req.withdrawalId),
          fresh.map((f) => f.req.amountMinor),
          fresh.map((f) => f.req.currency),
          fresh.map((f) => f.hash),
          fresh.map((f) => f.req.notifyUrl),
          fresh.map((f) => (f.failed ? "failed" : "succeeded")),
          fresh.map((f) => (f.failed ? "SANDBOX_DECLINED: the sandbox declined this transfer (failureRate)" : null)),
          fresh.map((f) => f.decideAt),
          fresh.map((f) => f.callbackAt),
          fresh.map((f) => f.copies),
        ],
      );
      const byRef = new Map(inserted.map((r) => [r.out_ref as string, r as Row]));
      const known = fresh.map((f) => f.req.outRef).filter((ref) => !byRef.has(ref));
      if (known.length > 0)
        for (const r of await q.query<Row & Record<string, unknown>>(
          "SELECT * FROM sandbox_transfers WHERE merchant_id = $1 AND out_ref = ANY($2::text[])",
          [this.merchantId, known],
        ))
          byRef.set(r.out_ref, r as Row);
      return byRef;
    });
    for (const f of fresh) {
      const row = rows.get(f.req.outRef) as Row;
      out[f.i] =
        row.params_hash !== f.hash
          ? new PayoutRequestRejected("OUT_REF_CONFLICT", `outRef ${f.req.outRef} is already a transfer with other parameters`)
          : statusOf(row, now);
    }
    return out;
  }

  async query(outRef: string): Promise<PayoutStatus | { state: "not_found" }> {
    const [r] = await this.deps.db.read((q) =>
      q.query<Row & Record<string, unknown>>("SELECT * FROM sandbox_transfers WHERE merchant_id = $1 AND out_ref = $2", [
        this.merchantId,
        outRef,
      ]),
    );
    return r ? statusOf(r, this.deps.clock.now()) : { state: "not_found" };
  }

  async parseCallback(
    headers: Record<string, string | string[] | undefined>,
    rawBody: string,
  ): Promise<{ outRef: string; status: PayoutStatus }> {
    const id = header(headers, "webhook-id");
    const ts = header(headers, "webhook-timestamp");
    const sigs = header(headers, "webhook-signature");
    if (!id || !ts || !sigs || !/^[0-9]{1,12}$/.test(ts))
      throw new CallbackRejected("missing webhook-id, webhook-timestamp or webhook-signature");
    const skew = Math.abs(this.deps.clock.now().getTime() / 1000 - Number(ts));
    if (skew > CALLBACK_TOLERANCE_S) throw new CallbackRejected("webhook-timestamp is too far from now");
    const expected = Buffer.from(signSandboxCallback(this.config.secret, id, Number(ts), rawBody));
    const ok = sigs.split(" ").some((s) => {
      const b = Buffer.from(s);
      return b.length === expected.length && timingSafeEqual(b, expected);
    });
    if (!ok) throw new CallbackRejected("the signature does not verify");
    let body: {
      type?: unknown;
      merchantId?: unknown;
      outRef?: unknown;
      billNo?: unknown;
      state?: unknown;
      reason?: unknown;
      finishedAt?: unknown;
    };
    try {
      body = JSON.parse(rawBody);
    } catch {
      throw new CallbackRejected("the body is not JSON");
    }
    if (body.type !== "sandbox.transfer.finished" || body.merchantId !== this.merchantId || typeof body.outRef !== "string")
      throw new CallbackRejected("not a sandbox transfer notice for this merchant");
    const billNo = typeof body.billNo === "string" ? body.billNo : undefined;
    if (body.state === "succeeded")
      return {
        outRef: body.outRef,
        status: { state: "succeeded", providerRef: billNo, providerState: "SUCCESS", finishedAt: String(body.finishedAt) },
      };
    if (body.state === "failed")
      return { outRef: body.outRef, status: { state: "failed", providerRef: billNo, providerState: "FAIL", reason: String(body.reason) } };
    throw new CallbackRejected("unknown state in the notice");
  }
}

export interface DeliveryDeps {
  db: Db;
  clock: Clock;
  ring: KeyRing;
  /** How callbacks are posted (global fetch unless given). */
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The callback of a decided transfer, as the sandbox posts it. */
export function sandboxCallback(secret: string, r: Row, at: Date): { headers: Record<string, string>; body: string } {
  const decideAt = new Date(r.decide_at).toISOString();
  const body = JSON.stringify({
    type: "sandbox.transfer.finished",
    merchantId: r.merchant_id,
    outRef: r.out_ref,
    billNo: r.bill_no,
    state: r.outcome,
    reason: r.outcome === "failed" ? r.reason : null,
    finishedAt: decideAt,
  });
  const id = `msg_${r.bill_no}`;
  const ts = Math.floor(at.getTime() / 1000);
  return {
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(ts),
      "webhook-signature": signSandboxCallback(secret, id, ts, body),
    },
    body,
  };
}

/**
 * Post the callbacks that are due (at most `limit`), each once; returns how many were posted with a 2xx answer. A
 * failed delivery is tried again after the next backoff step; after `callbackAttemptsMax` failures the sandbox gives
 * up on that callback (recorded in callback_error), as a real provider eventually does.
 */
export async function runSandboxCallbacks(deps: DeliveryDeps, limit = 500, concurrency = 16): Promise<number> {
  const now = deps.clock.now();
  const due = await deps.db.tx((q) =>
    q.query<Row & Record<string, unknown>>(
      `UPDATE sandbox_transfers SET callback_at = $2
       WHERE (merchant_id, out_ref) IN (SELECT merchant_id, out_ref FROM sandbox_transfers WHERE callbacks_left > 0 AND callback_at <= $1
                                        ORDER BY callback_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [now, new Date(now.getTime() + DELIVERY_LEASE_MS), limit],
    ),
  );
  const configs = new Map<string, Promise<SandboxConfig>>();
  const configOf = (merchantId: string) => {
    let c = configs.get(merchantId);
    if (!c) {
      c = deps.db.tx((q) => sandboxConfig(q, deps.ring, merchantId, now));
      configs.set(merchantId, c);
    }
    return c;
  };
  let delivered = 0;
  let next = 0;
  const worker = async () => {
    while (next < due.length) {
      const r = due[next++] as Row;
      const config = await configOf(r.merchant_id);
      const error = await post(deps, r.notify_url, sandboxCallback(config.secret, r, now));
      if (error === null) delivered++;
      await deps.db.tx((q) => recordDelivery(q, r, error, now, config.callbackAttemptsMax));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker));
  return delivered;
}

async function post(deps: DeliveryDeps, url: string, msg: { headers: Record<string, string>; body: string }): Promise<string | null> {
  try {
    const res = await (deps.fetch ?? fetch)(url, {
      method: "POST",
      headers: msg.headers,
      body: msg.body,
      redirect: "manual",
      signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`;
  } catch (e) {
    return (e as Error).message.slice(0, 200);
  }
}

async function recordDelivery(q: import("../../../db/client.ts").Sql, r: Row, error: string | null, now: Date, attemptsMax: number) {
  if (error === null) {
    await q.query(
      `UPDATE sandbox_transfers SET callbacks_left = callbacks_left - 1, callback_attempts = 0, callback_error = NULL, callback_at = $3
       WHERE merchant_id = $1 AND out_ref = $2`,
      [r.merchant_id, r.out_ref, new Date(now.getTime() + DUPLICATE_GAP_MS)],
    );
    return;
  }
  const attempts = r.callback_attempts + 1;
  const giveUp = attempts >= attemptsMax;
  const wait = CALLBACK_BACKOFF_MS[Math.min(attempts, CALLBACK_BACKOFF_MS.length) - 1] as number;
  await q.query(
    `UPDATE sandbox_transfers SET callback_attempts = $3, callback_error = $4, callback_at = $5, callbacks_left = CASE WHEN $6 THEN 0 ELSE callbacks_left END
     WHERE merchant_id = $1 AND out_ref = $2`,
    [
      r.merchant_id,
      r.out_ref,
      attempts,
      giveUp ? `gave up after ${attempts} attempts: ${error}` : error,
      new Date(now.getTime() + wait),
      giveUp,
    ],
  );
}

/** Deliver due sandbox callbacks every `everyMs` in this process (a server); stop() ends it. */
export function startSandboxDelivery(deps: DeliveryDeps, log: (msg: string) => void, everyMs = 1_000): { stop(): void } {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      // Until nothing more is due (a large run's callbacks fall due together), at most a minute's work per tick.
      const until = Date.now() + 60_000;
      while ((await runSandboxCallbacks(deps)) > 0 && Date.now() < until);
    } catch (e) {
      log(`sandbox callbacks failed: ${(e as Error).message}`);
    } finally {
      running = false;
    }
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
