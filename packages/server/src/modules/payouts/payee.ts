/**
 * The payee of a withdrawal, as the provider needs it. The full details are opened only here and only for the
 * provider request (never stored, logged or put in an event). Until the identity module's reveal is wired, a payee is
 * built from the payout account's masked view, which is what the sandbox needs.
 */
import type { Sql } from "../../db/client.ts";
import type { Payee } from "./contract.ts";

export async function payeeOf(q: Sql, merchantId: string, withdrawalId: string): Promise<Payee> {
  const [w] = await q.query<{ payout_kind: string; payee_masked: Record<string, unknown> }>(
    "SELECT payout_kind, payee_masked FROM withdrawals WHERE merchant_id = $1 AND id = $2",
    [merchantId, withdrawalId],
  );
  if (!w) throw new Error(`withdrawal ${withdrawalId} not found`);
  const m = w.payee_masked ?? {};
  const text = (k: string) => (typeof m[k] === "string" ? (m[k] as string) : "");
  if (w.payout_kind === "wechat") return { kind: "wechat", appid: text("appid"), openid: text("openid"), legalName: null };
  if (w.payout_kind === "alipay")
    return { kind: "alipay", identityType: text("identityType") || "ALIPAY_USER_ID", identity: text("identity"), name: null };
  return { kind: "bank", holderName: text("holderName"), bankName: text("bankName"), cardNumber: text("cardNumber"), branch: null };
}
