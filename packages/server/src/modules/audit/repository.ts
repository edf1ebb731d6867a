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

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

/** Many audit entries in one statement, in order (a set of changes made as one unit of work). */
export async function auditMany(q: Sql, merchantId: string, entries: readonly AuditEntry[], at: Date): Promise<void> {
  if (entries.length === 0) return;
  await q.query(
    `INSERT INTO audit_log (merchant_id, id, actor, action, subject, details, created_at)
     SELECT $1, e.id, e.actor, e.action, e.subject, e.details, $2
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[]) WITH ORDINALITY AS e(id, actor, action, subject, details, n) ORDER BY e.n`,
    [
      merchantId,
      at,
      entries.map(() => newId("aud")),
      entries.map((e) => e.actor),
      entries.map((e) => e.action),
      entries.map((e) => e.subject),
      entries.map((e) => JSON.stringify(e.details)),
    ],
  );
}
