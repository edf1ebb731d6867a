/**
 * The payee of a withdrawal, as the provider needs it: opened from the sealed payout account by the identity module
 * (revealPayee, audited as `identity.revealed`), for the provider request only — never stored, logged or put in an
 * event. A payout account removed since the request cannot be paid: the caller fails the withdrawal (money returns).
 */
import type { KeyRing } from "../../crypto/sealed.ts";
import type { Sql } from "../../db/client.ts";
import { ApiError } from "../../http/errors.ts";
import { revealPayee, revealPayees } from "../identity/reveal.ts";
import type { Payee } from "./contract.ts";

export type PayeeResult = { ok: true; payee: Payee } | { ok: false; reason: string };

export async function payeeOf(q: Sql, ring: KeyRing | undefined, merchantId: string, withdrawalId: string, at: Date): Promise<PayeeResult> {
  const [w] = await q.query<{ promoter_id: string; payout_account_id: string }>(
    "SELECT promoter_id, payout_account_id FROM withdrawals WHERE merchant_id = $1 AND id = $2",
    [merchantId, withdrawalId],
  );
  if (!w) throw new Error(`withdrawal ${withdrawalId} not found`);
  if (!ring) throw new Error("paying out needs the key ring that seals payout accounts: set FENXIAO_SECRET_KEY");
  try {
    const payee = await revealPayee(q, ring, w.promoter_id, w.payout_account_id, {
      merchantId,
      actor: "system:payout-run",
      purpose: `payout:${withdrawalId}`,
      at,
    });
    return { ok: true, payee };
  } catch (e) {
    if (e instanceof ApiError && e.code === "PAYOUT_ACCOUNT_NOT_FOUND")
      return { ok: false, reason: "PAYOUT_ACCOUNT_REMOVED: the payout account was removed" };
    throw e;
  }
}

/** payeeOf for many withdrawals of one merchant at once (revealPayees: the same payees and audit entries). */
export async function payeesOf(
  q: Sql,
  ring: KeyRing | undefined,
  merchantId: string,
  withdrawalIds: readonly string[],
  at: Date,
): Promise<Map<string, PayeeResult>> {
  if (withdrawalIds.length === 0) return new Map();
  const rows = await q.query<{ id: string; promoter_id: string; payout_account_id: string }>(
    "SELECT id, promoter_id, payout_account_id FROM withdrawals WHERE merchant_id = $1 AND id = ANY($2::text[])",
    [merchantId, withdrawalIds],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = withdrawalIds.find((id) => !byId.has(id));
  if (missing) throw new Error(`withdrawal ${missing} not found`);
  if (!ring) throw new Error("paying out needs the key ring that seals payout accounts: set FENXIAO_SECRET_KEY");
  const payees = await revealPayees(
    q,
    ring,
    withdrawalIds.map((id) => {
      const w = byId.get(id) as { promoter_id: string; payout_account_id: string };
      return {
        promoterId: w.promoter_id,
        accountId: w.payout_account_id,
        access: { merchantId, actor: "system:payout-run", purpose: `payout:${id}`, at },
      };
    }),
  );
  return new Map(
    withdrawalIds.map((id, i) => {
      const p = payees[i];
      return [id, p ? { ok: true, payee: p } : { ok: false, reason: "PAYOUT_ACCOUNT_REMOVED: the payout account was removed" }];
    }),
  );
}
