/**
 * The registry of public codes (table public_codes, migration 0006): every code a visitor or a shop can type or
 * follow without naming the merchant — a membership's promo / invite code, a short link's code — has one row here,
 * keyed by the code alone. The primary key makes a code globally unique even when the tenant tables are sharded by
 * merchant_id (it is a reference table under Citus, docs/citus.sql); the row names the merchant, so a lookup by code
 * finds the tenant rows on one shard.
 */
import type { Sql } from "../../db/client.ts";

export type CodeKind = "membership" | "link";

export interface CodeOwner {
  kind: CodeKind;
  merchantId: string;
  programId: string;
  promoterId: string;
}

/**
 * Register `code` for `owner` in the caller's transaction. False when the code is already someone's: the insert
 * never aborts the transaction (ON CONFLICT DO NOTHING), and when another transaction holds the same code
 * uncommitted it waits for that one to end, so two writers can never both get a code (no check-then-insert).
 */
export async function insertCode(q: Sql, code: string, owner: CodeOwner, at: Date): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO public_codes (code, kind, merchant_id, program_id, promoter_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (code) DO NOTHING RETURNING code`,
    [code, owner.kind, owner.merchantId, owner.programId, owner.promoterId, at],
  );
  return rows.length === 1;
}

/** Give back a code registered in this transaction whose owning row was not written after all. */
export async function deleteCode(q: Sql, code: string, owner: CodeOwner): Promise<void> {
  await q.query("DELETE FROM public_codes WHERE code = $1 AND kind = $2 AND merchant_id = $3", [code, owner.kind, owner.merchantId]);
}

/** Who owns a code (codes are stored upper-case; the caller normalises). */
export async function codeOwner(q: Sql, code: string): Promise<CodeOwner | null> {
  const [row] = await q.query<CodeOwner & Record<string, unknown>>(
    `SELECT kind, merchant_id AS "merchantId", program_id AS "programId", promoter_id AS "promoterId" FROM public_codes WHERE code = $1`,
    [code],
  );
  return row ?? null;
}
