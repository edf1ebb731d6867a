import { randomBytes } from "node:crypto";
import type { Sql } from "../../db/client.ts";
import { sha256 } from "../../http/auth.ts";
import { fail } from "../../http/errors.ts";
import { newId } from "../../ids.ts";
import { checkPassword, hashPassword } from "./passwords.ts";

export type Role = "platform_admin" | "merchant_admin" | "promoter";

export async function createUser(
  q: Sql,
  u: { email: string; password: string; name: string; role: Role; merchantId?: string | null; promoterId?: string | null },
): Promise<string> {
  const email = u.email.trim().toLowerCase();
  const [taken] = await q.query("SELECT 1 FROM users WHERE email = $1", [email]);
  if (taken) fail("EMAIL_TAKEN", undefined, { field: "email" });
  const id = newId("usr");
  await q.query("INSERT INTO users (id, email, password_hash, name, role, merchant_id, promoter_id) VALUES ($1, $2, $3, $4, $5, $6, $7)", [
    id,
    email,
    hashPassword(u.password),
    u.name,
    u.role,
    u.merchantId ?? null,
    u.promoterId ?? null,
  ]);
  return id;
}

export async function login(q: Sql, email: string, password: string, now: Date, hours: number) {
  const [u] = await q.query<{
    id: string;
    password_hash: string;
    role: Role;
    name: string;
    merchant_id: string | null;
    promoter_id: string | null;
  }>("SELECT id, password_hash, role, name, merchant_id, promoter_id FROM users WHERE email = $1", [email.trim().toLowerCase()]);
  if (!u || !checkPassword(password, u.password_hash)) fail("UNAUTHENTICATED", "Wrong email or password.");
  const token = `fxs_${randomBytes(24).toString("base64url")}`;
  const expiresAt = new Date(now.getTime() + hours * 3_600_000);
  await q.query("INSERT INTO sessions (token_hash, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4)", [
    sha256(token),
    u.id,
    expiresAt,
    now,
  ]);
  return {
    token,
    expiresAt: expiresAt.toISOString(),
    user: { id: u.id, name: u.name, role: u.role, merchantId: u.merchant_id, promoterId: u.promoter_id },
  };
}
