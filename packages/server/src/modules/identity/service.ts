/**
 * A promoter's identity (实名) and payout accounts (收款账户): validated, sealed (crypto/sealed.ts), masked for every
 * view. Identity is person-level (one per promoter whatever the merchant), so these writes touch no merchant's data
 * and write no merchant's audit log; only a reveal (reveal.ts) does.
 *
 * One person, one promoter account: an ID number already recorded by another promoter is refused (IDENTITY_IN_USE).
 * A payout account already used by another promoter is accepted, and the merchant's view of the promoter counts how
 * many others share it (a fraud signal).
 */
import type { KeyRing } from "../../crypto/sealed.ts";
import { seal } from "../../crypto/sealed.ts";
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { newId } from "../../ids.ts";
import { maskAlipayIdentity, maskCardNumber, maskIdNumber, maskName, maskOpenid, maskPhone } from "./mask.ts";
import {
  countActiveAccounts,
  getIdentityRow,
  getPayoutAccountRow,
  type IdentityRow,
  insertPayoutAccount,
  listPayoutAccountRows,
  type MaskedDetails,
  markAccountRemoved,
  otherHolderOfIdNumber,
  ownActiveAccountWith,
  type PayoutAccountRow,
  upsertIdentity,
  withdrawalInProgressFor,
} from "./repository.ts";
import { accountIndexes, identityAad, idNumberIndexes, type PayoutDetails, payoutAccountAad } from "./sealing.ts";
import { compact, type IdType, normalPhone } from "./validate.ts";

/** Active payout accounts per promoter at most. */
export const PAYOUT_ACCOUNTS_MAX = 20;

/** The Idempotency-Key scope of a promoter's own writes (keys are stored per merchant; these are per person). */
export const personScope = (promoterId: string) => `promoter:${promoterId}`;

export interface IdentityView {
  legalName: string;
  idType: IdType;
  idNumber: string;
  phone: string | null;
  updatedAt: string;
}

export interface PayoutAccount {
  id: string;
  kind: PayoutDetails["kind"];
  display: string;
  masked: Record<string, string | null>;
  status: "active" | "removed";
  createdAt: string;
}

export interface IdentityInput {
  legalName: string;
  idType: IdType;
  idNumber: string;
  phone?: string;
}

export function identityView(row: IdentityRow | null): IdentityView | null {
  if (!row) return null;
  return {
    legalName: row.legal_name_masked,
    idType: row.id_type,
    idNumber: row.id_number_masked,
    phone: row.phone_masked,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export function payoutAccountView(row: PayoutAccountRow): PayoutAccount {
  const m = row.details_masked;
  return {
    id: row.id,
    kind: row.kind,
    display: m.display,
    masked: m.fields,
    status: row.status,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export async function getIdentity(q: Sql, promoterId: string): Promise<IdentityView | null> {
  return identityView(await getIdentityRow(q, promoterId));
}

/** Record or replace the promoter's identity; refuses an ID number another promoter has recorded. */
export async function putIdentity(q: Sql, ring: KeyRing, promoterId: string, input: IdentityInput, at: Date): Promise<IdentityView> {
  const idNumber = compact(input.idNumber);
  const legalName = input.legalName.trim();
  const phone = input.phone === undefined ? null : normalPhone(input.phone);
  const indexes = idNumberIndexes(ring, input.idType, idNumber);
  if (await otherHolderOfIdNumber(q, promoterId, indexes)) identityInUse();
  try {
    const row = await upsertIdentity(
      q,
      {
        promoter_id: promoterId,
        legal_name_sealed: seal(ring, legalName, identityAad("legal_name", promoterId)),
        legal_name_masked: maskName(legalName) as string,
        id_type: input.idType,
        id_number_sealed: seal(ring, idNumber, identityAad("id_number", promoterId)),
        id_number_masked: maskIdNumber(idNumber),
        id_number_index: indexes[0] as string,
        phone_sealed: phone === null ? null : seal(ring, phone, identityAad("phone", promoterId)),
        phone_masked: maskPhone(phone),
      },
      at,
    );
    return identityView(row) as IdentityView;
  } catch (e) {
    // Two promoters recording the same number at once: the unique index (migration 0010) lets one win.
    if ((e as { code?: string }).code === "23505") identityInUse();
    throw e;
  }
}

function identityInUse(): never {
  fail("IDENTITY_IN_USE", undefined, { field: "idNumber" });
}

/** The masked form of a payout account's details: what every view, log and event shows. */
export function maskDetails(d: PayoutDetails): MaskedDetails {
  if (d.kind === "wechat") {
    const openid = maskOpenid(d.openid);
    return { display: `微信 ${openid}`, fields: { appid: d.appid, openid } };
  }
  if (d.kind === "alipay") {
    const identity = maskAlipayIdentity(d.identityType, d.identity);
    const name = maskName(d.name);
    return { display: `支付宝 ${identity}${name ? ` (${name})` : ""}`, fields: { identityType: d.identityType, identity, name } };
  }
  const cardNumber = maskCardNumber(d.cardNumber);
  return {
    display: `${d.bankName} ${cardNumber}`,
    fields: { holderName: maskName(d.holderName), bankName: d.bankName, cardNumber, branch: d.branch },
  };
}

/** Details as stored: trimmed, card numbers compacted, the optional fields null. */
export function normalDetails(d: PayoutDetails): PayoutDetails {
  if (d.kind === "wechat") return { kind: "wechat", appid: d.appid, openid: d.openid };
  if (d.kind === "alipay")
    return { kind: "alipay", identityType: d.identityType, identity: d.identity.trim(), name: d.name?.trim() || null };
  return {
    kind: "bank",
    holderName: d.holderName.trim(),
    bankName: d.bankName.trim(),
    cardNumber: compact(d.cardNumber),
    branch: d.branch?.trim() || null,
  };
}

export async function listPayoutAccounts(q: Sql, promoterId: string): Promise<PayoutAccount[]> {
  return (await listPayoutAccountRows(q, promoterId, { activeOnly: true })).map(payoutAccountView);
}

/** Add a payout account; the same account added twice is PAYOUT_ACCOUNT_EXISTS (naming the first). */
export async function addPayoutAccount(q: Sql, ring: KeyRing, promoterId: string, input: PayoutDetails, at: Date): Promise<PayoutAccount> {
  const d = normalDetails(input);
  const indexes = accountIndexes(ring, d);
  const existing = await ownActiveAccountWith(q, promoterId, indexes);
  if (existing) fail("PAYOUT_ACCOUNT_EXISTS", undefined, { accountId: existing });
  if ((await countActiveAccounts(q, promoterId)) >= PAYOUT_ACCOUNTS_MAX)
    fail("PAYOUT_ACCOUNTS_LIMIT", undefined, { limit: PAYOUT_ACCOUNTS_MAX });
  const id = newId("pac");
  const row = await insertPayoutAccount(
    q,
    {
      id,
      promoter_id: promoterId,
      kind: d.kind,
      details_sealed: seal(ring, JSON.stringify(d), payoutAccountAad(id)),
      details_masked: maskDetails(d),
      account_index: indexes[0] as string,
    },
    at,
  );
  return payoutAccountView(row);
}

/**
 * Remove a payout account (it stays for the withdrawals that name it). Refused while a withdrawal still pays to it;
 * the row is locked first, so a withdrawal created at the same time (which locks it too) is seen or waits.
 */
export async function removePayoutAccount(
  q: Sql,
  promoterId: string,
  accountId: string,
  at: Date,
): Promise<{ id: string; status: "removed" }> {
  const row = await getPayoutAccountRow(q, promoterId, accountId, { forUpdate: true });
  if (!row) fail("PAYOUT_ACCOUNT_NOT_FOUND", undefined, { accountId });
  if (row.status === "active") {
    const w = await withdrawalInProgressFor(q, accountId);
    if (w) fail("PAYOUT_ACCOUNT_IN_USE_BY_WITHDRAWAL", undefined, { accountId, withdrawalId: w.id, state: w.state });
    await markAccountRemoved(q, accountId, at);
  }
  return { id: accountId, status: "removed" };
}

/**
 * For a withdrawal being requested: the promoter's active payout account, masked, and locked (FOR SHARE) until the
 * caller's transaction ends, so that it cannot be removed before the withdrawal naming it is committed (a removal
 * locks it FOR UPDATE, then sees the withdrawal). PAYOUT_ACCOUNT_NOT_FOUND when it is not the promoter's or was
 * removed. A row lock: take it after the ledger head and the idempotency key.
 */
export async function usePayoutAccount(q: Sql, promoterId: string, accountId: string): Promise<PayoutAccount> {
  const [row] = await q.query<PayoutAccountRow & Record<string, unknown>>(
    "SELECT * FROM payout_accounts WHERE id = $1 AND promoter_id = $2 AND status = 'active' FOR SHARE",
    [accountId, promoterId],
  );
  if (!row) fail("PAYOUT_ACCOUNT_NOT_FOUND", undefined, { accountId });
  return payoutAccountView(row);
}
