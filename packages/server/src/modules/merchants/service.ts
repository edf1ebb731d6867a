import { randomBytes } from "node:crypto";
import type { Sql } from "../../db/client.ts";
import { sha256 } from "../../http/auth.ts";
import { fail } from "../../http/errors.ts";
import { newId } from "../../ids.ts";
import { createUser } from "../auth/service.ts";

export async function createMerchant(q: Sql, m: { name: string; id?: string; slug?: string; at?: Date }): Promise<string> {
  const id = m.id ?? newId("mch");
  // ON CONFLICT: a slug taken a moment ago by a concurrent onboarding is the same 409 as one taken long ago.
  const made = await q.query(
    "INSERT INTO merchants (id, name, slug, created_at) VALUES ($1, $2, $3, coalesce($4, now())) ON CONFLICT (slug) DO NOTHING RETURNING id",
    [id, m.name, m.slug ?? null, m.at ?? null],
  );
  if (made.length === 0) fail("SLUG_TAKEN", undefined, { field: "slug" });
  return id;
}

/** Creates an API key; the secret is returned once and only its hash is stored. */
export async function createApiKey(
  q: Sql,
  merchantId: string,
  name: string,
  at: Date,
): Promise<{ id: string; key: string; prefix: string }> {
  const key = `fxk_${randomBytes(24).toString("base64url")}`;
  const id = newId("key");
  const prefix = key.slice(0, 10);
  await q.query("INSERT INTO api_keys (merchant_id, id, name, prefix, key_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)", [
    merchantId,
    id,
    name,
    prefix,
    sha256(key),
    at,
  ]);
  return { id, key, prefix };
}

export async function createMerchantWithAdmin(
  q: Sql,
  m: { name: string; slug?: string; adminEmail: string; adminPasswordHash: string; adminName: string; passwordChangeRequired?: boolean },
  at: Date,
) {
  const merchantId = await createMerchant(q, { name: m.name, slug: m.slug });
  const userId = await createUser(q, {
    email: m.adminEmail,
    passwordHash: m.adminPasswordHash,
    name: m.adminName,
    role: "merchant_admin",
    merchantId,
  });
  if (m.passwordChangeRequired) await q.query("UPDATE users SET password_change_required = true WHERE id = $1", [userId]);
  const apiKey = await createApiKey(q, merchantId, "default", at);
  return { merchantId, userId, apiKey };
}
