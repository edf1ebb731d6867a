import type { Sql } from "../../db/client.ts";
import { newId } from "../../ids.ts";

export async function audit(
  q: Sql,
  merchantId: string,
  actor: string,
  action: string,
  subject: string,
  details: Record<string, unknown>,
  at: Date,
): Promise<void> {
  await q.query(
    "INSERT INTO audit_log (merchant_id, id, actor, action, subject, details, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    [merchantId, newId("aud"), actor, action, subject, JSON.stringify(details), at],
  );
}
