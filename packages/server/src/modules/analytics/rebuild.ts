/**
 * Recompute the daily analytics summaries (migration 0020) from the rows: `fenxiao analytics rebuild`. The triggers
 * keep the summaries in step with every write, so a rebuild changes nothing on a healthy database; it is there for a
 * database restored or repaired outside the server, and it reports how many summary rows differed.
 */
import type { Db } from "../../db/client.ts";

export interface RebuildResult {
  merchantId: string;
  programId: string;
  /** Summary rows (of all five tables) that were not what the rows give, before the rebuild. */
  differing: number;
  ms: number;
}

/** The summaries' rows of one program, as text for comparison (all-zero rows left by later changes excluded). */
const SNAPSHOT = `
  SELECT 'd' || concat_ws(',', day, channel, slot, orders, sales_minor, click_orders, u_orders, u_sales_minor, commission_minor, clicks) AS r
  FROM analytics_days WHERE merchant_id = $1 AND program_id = $2
    AND (orders, sales_minor, click_orders, u_orders, u_sales_minor, commission_minor, clicks) <> (0, 0, 0, 0, 0, 0, 0)
  UNION ALL
  SELECT 'p' || concat_ws(',', promoter_id, day, orders, sales_minor, commission_minor, earned_minor) FROM analytics_promoter_days
  WHERE merchant_id = $1 AND program_id = $2 AND (orders, sales_minor, commission_minor, earned_minor) <> (0, 0, 0, 0)
  UNION ALL
  SELECT 'g' || concat_ws(',', day, product_id, quantity, orders, sales_minor) FROM analytics_product_days
  WHERE merchant_id = $1 AND program_id = $2 AND (quantity, orders, sales_minor) <> (0, 0, 0)
  UNION ALL
  SELECT 'e' || concat_ws(',', kind, scope, entity, day, n) FROM analytics_presence WHERE merchant_id = $1 AND program_id = $2
  UNION ALL
  SELECT 'h' || concat_ws(',', kind, scope, day, slot, h::text) FROM analytics_hist
  WHERE merchant_id = $1 AND program_id = $2 AND h <> array_fill(0, ARRAY[366])`;

/** Rebuild the summaries of the programs asked (every program without a filter), one transaction per program. */
export async function rebuildSummaries(db: Db, filter: { merchantId?: string; programId?: string } = {}): Promise<RebuildResult[]> {
  const programs = await db.read((q) =>
    q.query<{ merchant_id: string; id: string }>(
      `SELECT merchant_id, id FROM programs WHERE ($1::text IS NULL OR merchant_id = $1) AND ($2::text IS NULL OR id = $2)
       ORDER BY merchant_id, id`,
      [filter.merchantId ?? null, filter.programId ?? null],
    ),
  );
  const out: RebuildResult[] = [];
  for (const p of programs) {
    const t0 = Date.now();
    const differing = await db.tx(async (q) => {
      const args = [p.merchant_id, p.id];
      const before = await q.query<{ r: string }>(SNAPSHOT, args);
      await q.query("SELECT analytics_rebuild($1, $2)", args);
      const after = new Set((await q.query<{ r: string }>(SNAPSHOT, args)).map((x) => x.r));
      const kept = new Set(before.map((x) => x.r));
      return [...kept].filter((r) => !after.has(r)).length + [...after].filter((r) => !kept.has(r)).length;
    });
    out.push({ merchantId: p.merchant_id, programId: p.id, differing, ms: Date.now() - t0 });
  }
  return out;
}
