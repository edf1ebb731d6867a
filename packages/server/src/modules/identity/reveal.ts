/**
 * The only code that opens a promoter's sealed personal data, for the two callers that need it in full: the payout
 * adapter (revealPayee: where to send the money) and the tax export (revealIdentity: name and ID number for the
 * withholding declaration). Every reveal writes an audit entry `identity.revealed` in the merchant's audit log, naming
 * who, why (`purpose`) and which fields, with masked values only. Nothing here is reachable from an HTTP route.
 */
import { type KeyRing, open } from "../../crypto/sealed.ts";
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { audit } from "../audit/repository.ts";
import { getIdentityRow, getPayoutAccountRow } from "./repository.ts";
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

/**
 * The full payee of an active payout account of the promoter (a WeChat payee carries the identity's legal name, which
 * WeChat requires as `user_name` from ¥2,000). PAYOUT_ACCOUNT_NOT_FOUND when the account is not the promoter's or was
 * removed.
 */
export async function revealPayee(q: Sql, ring: KeyRing, promoterId: string, accountId: string, access: RevealAccess): Promise<Payee> {
  const row = await getPayoutAccountRow(q, promoterId, accountId);
  if (row?.status !== "active") fail("PAYOUT_ACCOUNT_NOT_FOUND", undefined, { accountId });
  const d = JSON.parse(open(ring, row.details_sealed, payoutAccountAad(accountId))) as PayoutDetails;
  let payee: Payee;
  const fields: string[] = [];
  if (d.kind === "wechat") {
    const legalName = await openLegalName(q, ring, promoterId);
    payee = { kind: "wechat", appid: d.appid, openid: d.openid, legalName };
    fields.push("openid", ...(legalName === null ? [] : ["legalName"]));
  } else if (d.kind === "alipay") {
    payee = { kind: "alipay", identityType: d.identityType, identity: d.identity, name: d.name };
    fields.push("identity", ...(d.name === null ? [] : ["name"]));
  } else {
    payee = { kind: "bank", holderName: d.holderName, bankName: d.bankName, cardNumber: d.cardNumber, branch: d.branch };
    fields.push("holderName", "cardNumber");
  }
  await audit(
    q,
    access.merchantId,
    access.actor,
    "identity.revealed",
    `payout_account:${accountId}`,
    { promoterId, purpose: access.purpose, kind: row.kind, fields, display: row.details_masked.display },
    access.at,
  );
  return payee;
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
