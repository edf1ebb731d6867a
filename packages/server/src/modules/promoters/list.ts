/**
 * The merchant's promoter list: search, filters and sort shared by the page, the total count and the CSV export. Phones
 * are read masked as stored (138****1234); the full number only through the audited reveal (reveal.ts). A phone is
 * sealed (sealing.ts), so the search finds it by the whole number through its blind index, not by a part.
 */
import { z } from "zod";
import type { KeyRing } from "../../crypto/sealed.ts";
import type { Sql } from "../../db/client.ts";
import type { CsvColumn } from "../../http/csv.ts";
import { offsetPageQuery } from "../../http/pagination.ts";
import { promoterPhoneIndexes } from "./sealing.ts";

export const promoterFilters = z.object({
  programId: z.string().min(1).max(64).optional(),
  q: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe("part of the name or promo code, or the whole phone number (sealed: found by exact value)"),
  rank: z.string().min(1).max(64).optional(),
  status: z.enum(["active", "suspended", "left"]).optional(),
  sort: z.enum(["joined", "sales", "earnings", "team"]).default("joined"),
  order: z.enum(["asc", "desc"]).default("desc"),
});
export const promoterListQuery = offsetPageQuery.extend(promoterFilters.shape);
export type PromoterFilters = z.infer<typeof promoterFilters>;

const SORT: Record<PromoterFilters["sort"], string> = {
  joined: `"joinedAt"`,
  sales: `"netSalesMinor"`,
  earnings: `"earnedMinor"`,
  team: `"teamSize"`,
};

const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A search term as a whole phone number (spaces and dashes ignored): its blind indexes under every key of the ring. */
function phoneIndexes(ring: KeyRing | undefined, term: string | undefined): string[] | null {
  if (!ring || !term || !/^\+?\d{5,}$/.test(term.replace(/[\s-]/g, ""))) return null;
  return promoterPhoneIndexes(ring, term);
}

function where(ring: KeyRing | undefined, merchantId: string, f: PromoterFilters) {
  return {
    sql: `m.merchant_id = $1 AND ($2::text IS NULL OR m.program_id = $2) AND ($3::text IS NULL OR m.rank = $3) AND ($4::text IS NULL OR m.status = $4)
      AND ($5::text IS NULL OR p.name ILIKE $5 OR p.phone_index = ANY($6::text[]) OR m.code ILIKE $5)`,
    params: [
      merchantId,
      f.programId ?? null,
      f.rank ?? null,
      f.status ?? null,
      f.q ? like(f.q) : null,
      phoneIndexes(ring, f.q),
    ] as unknown[],
  };
}

export interface PromoterListRow {
  programId: string;
  promoterId: string;
  name: string;
  phone: string | null;
  code: string;
  inviterId: string | null;
  rank: string | null;
  status: string;
  joinedAt: Date;
  netSalesMinor: number;
  earnedMinor: number;
  teamSize: number;
  pendingMinor: number;
  availableMinor: number;
}

export async function listPromoters(
  q: Sql,
  ring: KeyRing | undefined,
  merchantId: string,
  f: PromoterFilters,
  limit: number,
  offset: number,
) {
  const w = where(ring, merchantId, f);
  const n = w.params.length;
  const rows = await q.query<PromoterListRow & Record<string, unknown>>(
    `SELECT * FROM (
       SELECT m.program_id AS "programId", m.promoter_id AS "promoterId", p.name, p.phone_masked AS phone, m.code, m.inviter_id AS "inviterId",
              m.inviter2_id AS "inviter2Id", m.rank, m.status, m.joined_at AS "joinedAt",
              coalesce((SELECT sum(s.sales_minor - s.refunded_minor) FROM promoter_period_stats s
                        WHERE s.merchant_id = m.merchant_id AND s.program_id = m.program_id AND s.promoter_id = m.promoter_id), 0)::bigint AS "netSalesMinor",
              coalesce((SELECT sum(cl.amount_minor - cl.reversed_minor) FROM commission_lines cl
                        WHERE cl.merchant_id = m.merchant_id AND cl.program_id = m.program_id AND cl.beneficiary_id = m.promoter_id), 0)::bigint AS "earnedMinor",
              (SELECT count(*) FROM memberships t WHERE t.merchant_id = m.merchant_id AND t.program_id = m.program_id
                 AND (t.inviter_id = m.promoter_id OR t.inviter2_id = m.promoter_id))::int AS "teamSize",
              coalesce((SELECT sum(b.balance_minor) FROM account_balances b WHERE b.merchant_id = m.merchant_id AND b.account = 'promoter:' || m.promoter_id || ':pending'), 0)::bigint AS "pendingMinor",
              coalesce((SELECT sum(b.balance_minor) FROM account_balances b WHERE b.merchant_id = m.merchant_id AND b.account = 'promoter:' || m.promoter_id || ':available'), 0)::bigint AS "availableMinor"
       FROM memberships m JOIN promoters p ON p.id = m.promoter_id
       WHERE ${w.sql}) x
     ORDER BY ${SORT[f.sort]} ${f.order === "asc" ? "ASC" : "DESC"}, "promoterId", "programId" LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...w.params, limit, offset],
  );
  return rows.map((r) => ({
    ...r,
    netSalesMinor: Number(r.netSalesMinor),
    earnedMinor: Number(r.earnedMinor),
    pendingMinor: Number(r.pendingMinor),
    availableMinor: Number(r.availableMinor),
  }));
}

export async function countPromoters(q: Sql, ring: KeyRing | undefined, merchantId: string, f: PromoterFilters): Promise<number> {
  const w = where(ring, merchantId, f);
  const [r] = await q.query<{ n: string | number }>(
    `SELECT count(*) AS n FROM memberships m JOIN promoters p ON p.id = m.promoter_id WHERE ${w.sql}`,
    w.params,
  );
  return Number(r?.n ?? 0);
}

export const PROMOTER_CSV: CsvColumn<PromoterListRow>[] = (
  [
    "programId",
    "promoterId",
    "name",
    "code",
    "inviterId",
    "rank",
    "status",
    "joinedAt",
    "netSalesMinor",
    "earnedMinor",
    "teamSize",
    "pendingMinor",
    "availableMinor",
  ] as const
).map((k) => ({ header: k, value: (r: PromoterListRow) => r[k] }));
