/** Webhook endpoints in the database: the signing secrets sealed at rest (crypto/sealed.ts), never in a view. */
import type { KeyRing } from "../../crypto/sealed.ts";
import { open, seal } from "../../crypto/sealed.ts";
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { newId } from "../../ids.ts";
import { newWebhookSecret } from "./signature.ts";

/** How long the previous secret still signs after a rotation (both signatures are sent meanwhile). */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

export interface EndpointView {
  id: string;
  url: string;
  description: string;
  events: string[];
  disabled: boolean;
  disabledReason: string | null;
  /** Until when the previous secret is still sent beside the new one (after a rotation). */
  previousSecretUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

type EndpointRow = {
  id: string;
  url: string;
  description: string;
  events: string[];
  disabled_at: Date | null;
  disabled_reason: string | null;
  previous_secret_until: Date | null;
  created_at: Date;
  updated_at: Date;
};

const COLUMNS = "id, url, description, events, disabled_at, disabled_reason, previous_secret_until, created_at, updated_at";

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function viewOf(r: EndpointRow, now: Date): EndpointView {
  const until = r.previous_secret_until && new Date(r.previous_secret_until) > now ? iso(r.previous_secret_until) : null;
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    events: r.events,
    disabled: r.disabled_at !== null,
    disabledReason: r.disabled_reason,
    previousSecretUntil: until,
    createdAt: iso(r.created_at) as string,
    updatedAt: iso(r.updated_at) as string,
  };
}

/** Where a secret is sealed: the additional data binds it to its endpoint and column. */
export const secretAad = (merchantId: string, id: string, which: "current" | "previous") => `webhook_endpoint:${which}:${merchantId}:${id}`;

export async function createEndpoint(
  q: Sql,
  ring: KeyRing,
  merchantId: string,
  e: { url: string; events: string[]; description: string },
  now: Date,
): Promise<{ view: EndpointView; secret: string }> {
  const id = newId("we");
  const secret = newWebhookSecret();
  const [row] = await q.query<EndpointRow>(
    `INSERT INTO webhook_endpoints (merchant_id, id, url, description, events, secret_sealed, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING ${COLUMNS}`,
    [merchantId, id, e.url, e.description, e.events, seal(ring, secret, secretAad(merchantId, id, "current")), now],
  );
  return { view: viewOf(row as EndpointRow, now), secret };
}

export async function listEndpoints(q: Sql, merchantId: string, now: Date): Promise<EndpointView[]> {
  const rows = await q.query<EndpointRow>(
    `SELECT ${COLUMNS} FROM webhook_endpoints WHERE merchant_id = $1 ORDER BY created_at, id LIMIT 500`,
    [merchantId],
  );
  return rows.map((r) => viewOf(r, now));
}

export async function getEndpoint(q: Sql, merchantId: string, id: string, now: Date, forUpdate = false): Promise<EndpointView> {
  const [row] = await q.query<EndpointRow>(
    `SELECT ${COLUMNS} FROM webhook_endpoints WHERE merchant_id = $1 AND id = $2${forUpdate ? " FOR UPDATE" : ""}`,
    [merchantId, id],
  );
  if (!row) fail("NOT_FOUND", `No webhook endpoint ${id}.`);
  return viewOf(row, now);
}

export async function updateEndpoint(
  q: Sql,
  merchantId: string,
  id: string,
  patch: { url?: string; events?: string[]; description?: string; disabled?: boolean },
  now: Date,
): Promise<EndpointView> {
  await getEndpoint(q, merchantId, id, now, true);
  const [row] = await q.query<EndpointRow>(
    `UPDATE webhook_endpoints SET url = coalesce($3, url), events = coalesce($4, events), description = coalesce($5, description),
       disabled_at = CASE WHEN $6::boolean IS NULL THEN disabled_at WHEN $6 THEN coalesce(disabled_at, $7) ELSE NULL END,
       disabled_reason = CASE WHEN $6::boolean IS NULL THEN disabled_reason WHEN $6 THEN coalesce(disabled_reason, 'disabled by the merchant') ELSE NULL END,
       updated_at = $7
     WHERE merchant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    [merchantId, id, patch.url ?? null, patch.events ?? null, patch.description ?? null, patch.disabled ?? null, now],
  );
  return viewOf(row as EndpointRow, now);
}

export async function deleteEndpoint(q: Sql, merchantId: string, id: string, now: Date): Promise<void> {
  await getEndpoint(q, merchantId, id, now, true);
  await q.query("DELETE FROM webhook_endpoints WHERE merchant_id = $1 AND id = $2", [merchantId, id]);
}

/** A new current secret; the old one keeps signing (beside it) for ROTATION_OVERLAP_MS. */
export async function rotateSecret(
  q: Sql,
  ring: KeyRing,
  merchantId: string,
  id: string,
  now: Date,
): Promise<{ view: EndpointView; secret: string }> {
  const [cur] = await q.query<{ secret_sealed: string }>(
    "SELECT secret_sealed FROM webhook_endpoints WHERE merchant_id = $1 AND id = $2 FOR UPDATE",
    [merchantId, id],
  );
  if (!cur) fail("NOT_FOUND", `No webhook endpoint ${id}.`);
  const old = open(ring, cur.secret_sealed, secretAad(merchantId, id, "current"));
  const secret = newWebhookSecret();
  const [row] = await q.query<EndpointRow>(
    `UPDATE webhook_endpoints SET secret_sealed = $3, previous_secret_sealed = $4, previous_secret_until = $5, updated_at = $6
     WHERE merchant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    [
      merchantId,
      id,
      seal(ring, secret, secretAad(merchantId, id, "current")),
      seal(ring, old, secretAad(merchantId, id, "previous")),
      new Date(now.getTime() + ROTATION_OVERLAP_MS),
      now,
    ],
  );
  return { view: viewOf(row as EndpointRow, now), secret };
}

/** The secrets that sign a delivery now: the current one, and the previous one during a rotation's overlap. */
export function signingSecrets(
  ring: KeyRing,
  merchantId: string,
  id: string,
  r: { secret_sealed: string; previous_secret_sealed: string | null; previous_secret_until: Date | string | null },
  now: Date,
): string[] {
  const out = [open(ring, r.secret_sealed, secretAad(merchantId, id, "current"))];
  if (r.previous_secret_sealed && r.previous_secret_until && new Date(r.previous_secret_until) > now)
    out.push(open(ring, r.previous_secret_sealed, secretAad(merchantId, id, "previous")));
  return out;
}
