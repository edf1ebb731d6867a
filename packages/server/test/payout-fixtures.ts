/**
 * Fixtures for payout tests and the payout benchmark: approved withdrawals with real ledger balances (commission
 * accrued, released, then locked by the request), written set-wise so that 100,000 take seconds; and a provider that
 * answers in memory, implementing the PayoutProvider contract (submit idempotent on outRef, query, signed callbacks).
 */
import { createHmac } from "node:crypto";
import { accrue, release, withdrawLock } from "@fenxiao/core";
import { type KeyRing, seal } from "../src/crypto/sealed.ts";
import type { Db } from "../src/db/client.ts";
import { newId } from "../src/ids.ts";
import { type PayoutDetails, payoutAccountAad } from "../src/modules/identity/sealing.ts";
import { postTxs } from "../src/modules/ledger/repository.ts";
import type { PayoutProvider, PayoutRequest, PayoutStatus, ProviderName, ProviderRegistry } from "../src/modules/payouts/contract.ts";
import { PayoutRequestRejected } from "../src/modules/payouts/providers/types.ts";

export interface SeedOptions {
  /** Seals the payout accounts' details (the server's key ring). */
  ring: KeyRing;
  count: number;
  amountMinor?: number;
  taxMinor?: number;
  feeMinor?: number;
  kind?: "wechat" | "alipay" | "bank";
  at: Date;
  chunk?: number;
}

function detailsOf(kind: "wechat" | "alipay" | "bank", promoterId: string): PayoutDetails {
  const n = promoterId.replace(/[^a-z0-9]/g, "").slice(-12);
  if (kind === "wechat") return { kind, appid: "wx0123456789abcdef", openid: `o6_${n}` };
  if (kind === "alipay") return { kind, identityType: "ALIPAY_LOGON_ID", identity: `${n}@example.com`, name: "张三" };
  return { kind, holderName: "张三", bankName: "招商银行", cardNumber: "6222020200112233445", branch: null };
}

/** `count` approved withdrawals of one promoter each, in order of request time; returns their ids in that order. */
export async function seedApprovedWithdrawals(db: Db, merchantId: string, programId: string, o: SeedOptions): Promise<string[]> {
  const amount = o.amountMinor ?? 10_000;
  const tax = o.taxMinor ?? 0;
  const fee = o.feeMinor ?? 0;
  const kind = o.kind ?? "wechat";
  const chunk = o.chunk ?? 2_000;
  const ids: string[] = [];
  for (let start = 0; start < o.count; start += chunk) {
    const n = Math.min(chunk, o.count - start);
    const rows = Array.from({ length: n }, (_, i) => ({
      promoter: newId("pmt"),
      account: newId("pac"),
      withdrawal: newId("wd"),
      at: new Date(o.at.getTime() + (start + i) * 10),
    }));
    await db.tx(async (q) => {
      await q.query("INSERT INTO promoters (id, name) SELECT id, 'P ' || id FROM unnest($1::text[]) AS t(id)", [
        rows.map((r) => r.promoter),
      ]);
      await q.query(
        `INSERT INTO payout_accounts (id, promoter_id, kind, details_sealed, details_masked, account_index, created_at)
         SELECT a, p, $3, s, $4::jsonb, 'idx:' || a, $5 FROM unnest($1::text[], $2::text[], $6::text[]) AS t(a, p, s)`,
        [
          rows.map((r) => r.account),
          rows.map((r) => r.promoter),
          kind,
          JSON.stringify({ display: "test", fields: {} }),
          o.at,
          rows.map((r) => seal(o.ring, JSON.stringify(detailsOf(kind, r.promoter)), payoutAccountAad(r.account))),
        ],
      );
      const drafts = [
        accrue(
          merchantId,
          "CNY",
          `seed:${rows[0]?.withdrawal}:accrue`,
          "seed",
          rows.map((r) => ({ promoterId: r.promoter, amountMinor: amount })),
        ),
        release(
          "CNY",
          `seed:${rows[0]?.withdrawal}:release`,
          "seed",
          rows.map((r) => ({ promoterId: r.promoter, amountMinor: amount })),
        ),
        ...rows.map((r) =>
          withdrawLock("CNY", `withdrawal:${r.withdrawal}:request`, "withdrawal request", {
            promoterId: r.promoter,
            amountMinor: amount,
            taxMinor: tax,
            feeMinor: fee,
          }),
        ),
      ];
      await postTxs(q, merchantId, drafts, o.at);
      await q.query(
        `INSERT INTO withdrawals (merchant_id, id, program_id, promoter_id, payout_account_id, payout_kind, payee_masked, currency, amount_minor, tax_minor,
            fee_minor, net_minor, state, approval, requested_at, requested_day, review_due_at, decided_by, decided_at, updated_at)
         SELECT $1, w, $2, p, a, $3, $4::jsonb, 'CNY', $5::bigint, $6::bigint, $7::bigint, $5::bigint - $6::bigint - $7::bigint, 'approved', 'auto', t, t::date, t + interval '48 hours', 'system', t, t
         FROM unnest($8::text[], $9::text[], $10::text[], $11::timestamptz[]) AS x(w, p, a, t)`,
        [
          merchantId,
          programId,
          kind,
          JSON.stringify({ kind, display: "test" }),
          amount,
          tax,
          fee,
          rows.map((r) => r.withdrawal),
          rows.map((r) => r.promoter),
          rows.map((r) => r.account),
          rows.map((r) => r.at),
        ],
      );
      if (tax > 0)
        await q.query(
          `INSERT INTO tax_withholdings (merchant_id, withdrawal_id, agent, promoter_id, method, tax_year, tax_month, income_minor, tax_minor, created_at)
           SELECT $1, w, 'platform', p, 'flat', 2026, '2026-03', $2, $3, $4 FROM unnest($5::text[], $6::text[]) AS x(w, p)`,
          [merchantId, amount, tax, o.at, rows.map((r) => r.withdrawal), rows.map((r) => r.promoter)],
        );
    });
    ids.push(...rows.map((r) => r.withdrawal));
  }
  return ids;
}

export type Outcome = PayoutStatus | "throw" | "reject";

/**
 * A provider in memory: `decide(req, attempt)` says what each submit answers; transfers are recorded once per outRef
 * (a repeated submit returns the transfer's current status, as real providers do), and `settle` sets a final status
 * that `query` then reports. Callbacks are signed with an HMAC of the body.
 */
export class MemoryProvider implements PayoutProvider {
  readonly transfers = new Map<string, { req: PayoutRequest; status: PayoutStatus; submits: number }>();
  submits = 0;
  constructor(
    readonly name: ProviderName,
    private readonly decide: (req: PayoutRequest, n: number) => Outcome = () => ({ state: "succeeded", providerState: "SUCCESS" }),
    readonly secret = "test-secret",
  ) {}
  async submit(req: PayoutRequest): Promise<PayoutStatus> {
    this.submits += 1;
    const t = this.transfers.get(req.outRef);
    if (t) {
      t.submits += 1;
      return t.status;
    }
    const out = this.decide(req, this.submits);
    if (out === "throw") throw new Error("connection reset");
    if (out === "reject") throw new PayoutRequestRejected("REQUEST_INVALID", "transfer_remark: longer than 32 characters");
    this.transfers.set(req.outRef, { req, status: out, submits: 1 });
    return out;
  }
  async query(outRef: string): Promise<PayoutStatus | { state: "not_found" }> {
    return this.transfers.get(outRef)?.status ?? { state: "not_found" };
  }
  settle(outRef: string, status: PayoutStatus): void {
    const t = this.transfers.get(outRef);
    if (t) t.status = status;
  }
  sign(body: string): string {
    return createHmac("sha256", this.secret).update(body).digest("hex");
  }
  async parseCallback(headers: Record<string, string | string[] | undefined>, rawBody: string) {
    if (headers["x-signature"] !== this.sign(rawBody)) throw new Error("bad signature");
    return JSON.parse(rawBody) as { outRef: string; status: PayoutStatus };
  }
}

export function registryOf(...providers: PayoutProvider[]): ProviderRegistry {
  const m = new Map<string, PayoutProvider>(providers.map((p) => [p.name, p]));
  return { get: async (_merchantId, n) => m.get(n) };
}
