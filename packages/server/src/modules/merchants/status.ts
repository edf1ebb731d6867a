/**
 * A merchant's status: `active` or `suspended` by the platform admin, with a reason (docs/operations.md).
 *
 * Suspension deletes nothing and changes no money: it refuses, with 403 MERCHANT_SUSPENDED, every call of the
 * merchant's API keys and admin sessions (http/auth.ts) and their logins, the merchant's public links (/r, answered
 * with a page that says so), sign-ups to its programs (/v1/join), its promoters' new links, posters and withdrawals
 * (their balance stays theirs and the wallet shows it) and its shops' connector deliveries (which the shop
 * retries, and which are accepted again after reactivation). Each change is in the merchant's audit log.
 */
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { audit } from "../audit/repository.ts";

export type MerchantStatus = "active" | "suspended";

export async function merchantStatus(q: Sql, merchantId: string): Promise<MerchantStatus | null> {
  const [m] = await q.query<{ status: MerchantStatus }>("SELECT status FROM merchants WHERE id = $1", [merchantId]);
  return m?.status ?? null;
}

/** Refuse anything of a suspended merchant that does not pass through its credentials (links, sign-up, connectors). */
export async function requireActiveMerchant(q: Sql, merchantId: string): Promise<void> {
  if ((await merchantStatus(q, merchantId)) === "suspended") fail("MERCHANT_SUSPENDED");
}

export interface MerchantStatusView {
  id: string;
  status: MerchantStatus;
  statusReason: string | null;
  statusChangedAt: string | null;
}

/**
 * Suspend or reactivate, with the reason; setting the status it already has changes nothing (and is not audited).
 * The caller forgets the merchant's cached API keys after the commit (forgetMerchantKeys).
 */
export async function setMerchantStatus(
  q: Sql,
  c: { merchantId: string; status: MerchantStatus; reason: string; actor: string; at: Date },
): Promise<MerchantStatusView> {
  const [m] = await q.query<{ status: MerchantStatus }>("SELECT status FROM merchants WHERE id = $1 FOR UPDATE", [c.merchantId]);
  if (!m) fail("NOT_FOUND", "No merchant with this id.", { field: "merchantId" });
  if (m.status !== c.status) {
    await q.query("UPDATE merchants SET status = $2, status_reason = $3, status_changed_at = $4 WHERE id = $1", [
      c.merchantId,
      c.status,
      c.reason,
      c.at,
    ]);
    const action = c.status === "suspended" ? "merchant.suspend" : "merchant.reactivate";
    await audit(q, c.merchantId, c.actor, action, `merchant:${c.merchantId}`, { reason: c.reason }, c.at);
  }
  const [v] = await q.query<MerchantStatusView & Record<string, unknown>>(
    `SELECT id, status, status_reason AS "statusReason", status_changed_at AS "statusChangedAt" FROM merchants WHERE id = $1`,
    [c.merchantId],
  );
  return v as MerchantStatusView;
}

/** What a browser following a suspended merchant's link sees (both languages; no script, no outside resource). */
export const SUSPENDED_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>活动已暂停 · Promotion paused</title>
<style>body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;padding:48px 24px;color:#262626;text-align:center}
h1{font-size:22px;margin:0 0 12px}p{color:#595959;line-height:1.6;margin:0 0 8px}</style></head>
<body><main><h1>该商家的推广活动已暂停</h1><p>这个链接暂时无法访问，请稍后再试或直接联系商家。</p>
<h1 lang="en">This merchant's promotion is paused</h1><p lang="en">This link cannot be followed for now. Please try again later or contact the merchant.</p></main></body></html>
`;
