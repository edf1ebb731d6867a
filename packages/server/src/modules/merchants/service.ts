import { randomBytes } from "node:crypto";
import type { Sql } from "../../db/client.ts";
import { sha256 } from "../../http/auth.ts";
import { newId } from "../../ids.ts";
import { createUser } from "../auth/service.ts";

export async function createMerchant(q: Sql, m: { name: string; id?: string }): Promise<string> {
  const id = m.id ?? newId("mch");
  await q.query("INSERT INTO merchants (id, name) VALUES ($1, $2)", [id, m.name]);
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
  m: { name: string; adminEmail: string; adminPasswordHash: string; adminName: string },
  at: Date,
) {
  const merchantId = await createMerchant(q, { name: m.name });
  const userId = await createUser(q, {
    email: m.adminEmail,
    passwordHash: m.adminPasswordHash,
    name: m.adminName,
    role: "merchant_admin",
    merchantId,
  });
  const apiKey = await createApiKey(q, merchantId, "default", at);
  return { merchantId, userId, apiKey };
}
