/**
 * The only code that opens a promoter's sealed personal data, for the two callers that need it in full: the payout
 * adapter (revealPayee: where to send the money) and the tax export (revealIdentity: name and ID number for the
 * withholding declaration). Every reveal writes an audit entry `identity.revealed` in the merchant's audit log, naming
 * who, why (`purpose`) and which fields, with masked values only. Nothing here is reachable from an HTTP route.
 */
import { type KeyRing, open } from "../../crypto/sealed.ts";
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { type AuditEntry, audit, auditMany } from "../audit/repository.ts";
import { getIdentityRow, getIdentityRows, getPayoutAccountRow, getPayoutAccountRows, type PayoutAccountRow } from "./repository.ts";
import { identityAad, type PayoutDetails, payoutAccountAad } from "./sealing.ts";
import { type PayoutAccount, payoutAccountView } from "./service.ts";
import type { IdType } from "./validate.ts";

export type Payee =
  | { kind: "wechat"; appid: string; openid: string; legalName: string | null }
  | { kind: "alipay"; identityType: "ALIPAY_USER_ID" | "ALIPAY_LOGON_ID"; identity: string; name: string | null }
  | { kind: "bank"; holderName: string; bankName: string; cardNumber: string; branch: string | null };

export interface RevealedIdentity {
  legalName: string;
  idType: IdType;
  idNumber: string;
  phone: string | null;
}

/** Who opens the values, for which merchant and why: written to that merchant's audit log. */
export interface RevealAccess {
  merchantId: string;
  /** e.g. `system:payout-run`, `user:<id>`, `api_key:<id>`. */
  actor: string;
  /** e.g. `payout:<withdrawalId>`, `tax-export:2026-11`. */
  purpose: string;
  at: Date;
}

async function openLegalName(q: Sql, ring: KeyRing, promoterId: string): Promise<string | null> {
  const row = await getIdentityRow(q, promoterId);
  return row ? open(ring, row.legal_name_sealed, identityAad("legal_name", promoterId)) : null;
}

/** The payee and the fields opened, from a payout account's opened details (and the identity's legal name for WeChat). */
function payeeOfDetails(d: PayoutDetails, legalName: () => string | null): { payee: Payee; fields: string[] } {
  if (d.kind === "wechat") {
    const name = legalName();
    return {
      payee: { kind: "wechat", appid: d.appid, openid: d.openid, legalName: name },
      fields: ["openid", ...(name === null ? [] : ["legalName"])],
    };
  }
  if (d.kind === "alipay")
    return {
      payee: { kind: "alipay", identityType: d.identityType, identity: d.identity, name: d.name },
      fields: ["identity", ...(d.name === null ? [] : ["name"])],
    };
  return {
    payee: { kind: "bank", holderName: d.holderName, bankName: d.bankName, cardNumber: d.cardNumber, branch: d.branch },
    fields: ["holderName", "cardNumber"],
  };
}

function revealedAudit(access: RevealAccess, row: PayoutAccountRow, promoterId: string, fields: string[]) {
  return {
    actor: access.actor,
    action: "identity.revealed",
    subject: `payout_account:${row.id}`,
    details: { promoterId, purpose: access.purpose, kind: row.kind, fields, display: row.details_masked.display },
  };
}

/**
 * The full payee of an active payout account of the promoter (a WeChat payee carries the identity's legal name, which
 * WeChat requires as `user_name` from ¥2,000). PAYOUT_ACCOUNT_NOT_FOUND when the account is not the promoter's or was
 * removed.
 */
export async function revealPayee(q: Sql, ring: KeyRing, promoterId: string, accountId: string, access: RevealAccess): Promise<Payee> {
  const row = await getPayoutAccountRow(q, promoterId, accountId);
  if (row?.status !== "active") fail("PAYOUT_ACCOUNT_NOT_FOUND", undefined, { accountId });
  const d = JSON.parse(open(ring, row.details_sealed, payoutAccountAad(accountId))) as PayoutDetails;
  const legal = d.kind === "wechat" ? await openLegalName(q, ring, promoterId) : null;
  const { payee, fields } = payeeOfDetails(d, () => legal);
  const e = revealedAudit(access, row, promoterId, fields);
  await audit(q, access.merchantId, e.actor, e.action, e.subject, e.details, access.at);
  return payee;
}

/**
 * revealPayee for many payout accounts of one merchant at once (a payout run's chunk): the same payees and the same
 * `identity.revealed` entries, read and written with a few statements. Each answer is the payee, or null when the
 * account is not the promoter's or was removed (nothing is revealed or audited for it).
 */
export async function revealPayees(
  q: Sql,
  ring: KeyRing,
  wanted: readonly { promoterId: string; accountId: string; access: RevealAccess }[],
): Promise<(Payee | null)[]> {
  if (wanted.length === 0) return [];
  const merchantId = wanted[0]?.access.merchantId as string;
  const at = wanted[0]?.access.at as Date;
  if (wanted.some((w) => w.access.merchantId !== merchantId || w.access.at.getTime() !== at.getTime()))
    throw new Error("revealPayees: one merchant and one time for the whole set");
  const accounts = new Map(
    (
      await getPayoutAccountRows(
        q,
        wanted.map((w) => w.accountId),
      )
    ).map((r) => [r.id, r]),
  );
  const identities = new Map((await getIdentityRows(q, [...new Set(wanted.map((w) => w.promoterId))])).map((r) => [r.promoter_id, r]));
  const entries: AuditEntry[] = [];
  const out = wanted.map((w) => {
    const row = accounts.get(w.accountId);
    if (!row || row.promoter_id !== w.promoterId || row.status !== "active") return null;
    const d = JSON.parse(open(ring, row.details_sealed, payoutAccountAad(row.id))) as PayoutDetails;
    const { payee, fields } = payeeOfDetails(d, () => {
      const idRow = identities.get(w.promoterId);
      return idRow ? open(ring, idRow.legal_name_sealed, identityAad("legal_name", w.promoterId)) : null;
    });
    entries.push(revealedAudit(w.access, row, w.promoterId, fields));
    return payee;
  });
  await auditMany(q, merchantId, entries, at);
  return out;
}

/** The promoter's identity in full (the tax export), or null when none is recorded (then nothing is audited). */
export async function revealIdentity(q: Sql, ring: KeyRing, promoterId: string, access: RevealAccess): Promise<RevealedIdentity | null> {
  const row = await getIdentityRow(q, promoterId);
  if (!row) return null;
  const out: RevealedIdentity = {
    legalName: open(ring, row.legal_name_sealed, identityAad("legal_name", promoterId)),
    idType: row.id_type,
    idNumber: open(ring, row.id_number_sealed, identityAad("id_number", promoterId)),
    phone: row.phone_sealed === null ? null : open(ring, row.phone_sealed, identityAad("phone", promoterId)),
  };
  await audit(
    q,
    access.merchantId,
    access.actor,
    "identity.revealed",
    `promoter:${promoterId}`,
    {
      promoterId,
      purpose: access.purpose,
      fields: ["legalName", "idNumber", ...(out.phone === null ? [] : ["phone"])],
      idType: row.id_type,
      idNumber: row.id_number_masked,
    },
    access.at,
  );
  return out;
}

/** Whether the promoter has recorded an identity, and the masked legal name (opens nothing, audits nothing). */
export async function identitySummary(q: Sql, promoterId: string): Promise<{ present: boolean; legalNameMasked: string | null }> {
  const row = await getIdentityRow(q, promoterId);
  return { present: row !== null, legalNameMasked: row?.legal_name_masked ?? null };
}

/**
 * A payout account of the promoter as views show it (masked; `display` is what a withdrawal keeps as its payee), or
 * null when the promoter has none with this id. Opens nothing.
 */
export async function maskedPayoutAccount(q: Sql, promoterId: string, accountId: string): Promise<PayoutAccount | null> {
  const row = await getPayoutAccountRow(q, promoterId, accountId);
  return row ? payoutAccountView(row) : null;
}
