/**
 * Step 1 of paid-order ingest (ingest.ts): read the state a set of paid orders needs, with one call of
 * `fenxiao_ingest_state` (routines.ts), which first locks the merchant's ledger head, and keep the plan documents of
 * the published versions parsed.
 */
import { type PlanDocument, type PromoterNode, parsePlan } from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import type { Program } from "../programs/repository.ts";
import type { PaidOrderBody } from "./schema.ts";

/** Parsed plan documents by merchant/program/version: published versions never change, so this is safe to keep. */
const PLAN_CACHE_MAX = 500;
const planCache = new Map<string, PlanDocument>();
const planKey = (merchantId: string, programId: string, version: number) => `${merchantId}/${programId}/${version}`;
/** A published plan version the set's state read (readSetState loads every version the set may use). */
export function cachedPlan(merchantId: string, programId: string, version: number): PlanDocument | undefined {
  return planCache.get(planKey(merchantId, programId, version));
}

function cachePlan(key: string, document: unknown): void {
  const r = parsePlan(document);
  if (!r.ok) throw new Error(`stored plan version ${key} no longer parses`);
  if (planCache.size >= PLAN_CACHE_MAX) planCache.delete(planCache.keys().next().value as string);
  planCache.set(key, r.plan);
}

/** Make sure every published version the set may use is parsed and cached (reads only the documents not seen yet); exported for the set-based CSV import (imports/set-import.ts). */
export async function loadPlans(q: Sql, merchantId: string, versions: readonly { program_id: string; version: number }[]): Promise<void> {
  const missing = versions.filter((v) => !planCache.has(planKey(merchantId, v.program_id, v.version)));
  if (missing.length === 0) return;
  const rows = await q.query<{ program_id: string; version: number; document: unknown }>(
    `SELECT v.program_id, v.version, v.document FROM plan_versions v
     JOIN unnest($2::text[], $3::int[]) AS w(program_id, version) ON w.program_id = v.program_id AND w.version = v.version
     WHERE v.merchant_id = $1`,
    [merchantId, missing.map((v) => v.program_id), missing.map((v) => v.version)],
  );
  for (const r of rows) cachePlan(planKey(merchantId, r.program_id, r.version), r.document);
}

export type MemberRow = {
  program_id: string;
  promoter_id: string;
  code: string;
  inviter_id: string | null;
  inviter2_id: string | null;
  rank: string | null;
  status: PromoterNode["status"];
  joined_at: string;
};
export type ClickRow = {
  id: string;
  token: string;
  promoter_id: string;
  program_id: string;
  clicked_at: string;
  customer_id: string | null;
};
/** What fenxiao_ingest_state returns (routines.ts). */
export interface SetState {
  head: { seq: number; hash: string };
  keys: { key: string; request_hash: string; status_code: number; response: unknown }[];
  programs: Program[];
  existing: string[];
  /** Known customers with the blind indexes of their phone and name (to tell whether an order brings new ones). */
  customers: {
    id: string;
    customer_ref: string;
    referrer_customer_id: string | null;
    phone_index: string | null;
    name_index: string | null;
  }[];
  members: MemberRow[];
  token_clicks: ClickRow[];
  customer_clicks: ClickRow[];
  bindings: { program_id: string; customer_id: string; promoter_id: string; bound_at: string; expires_at: string }[];
  prior: string[];
  products: { id: string; name: string; category_id: string | null }[];
  plans: { program_id: string; version: number; effective_from: string }[];
  closed: { program_id: string; period_key: string }[];
  stats: { program_id: string; promoter_id: string; period_key: string; net: number }[];
}

/**
 * The lowest period key a set may count sales in: the year before the earliest payment (a period's key begins with
 * its year; a program's time zone or an ISO week-year moves a payment's period by days, never by a year). The
 * periods an order counts in are its own and, when that one is closed, the current one, which is later.
 */
export function statsFromYear(bodies: readonly Pick<PaidOrderBody, "paidAt">[]): string {
  const years = bodies.map((b) => new Date(b.paidAt).getUTCFullYear()).filter((y) => Number.isFinite(y));
  const y = years.length > 0 ? Math.min(...years) - 1 : 0;
  return String(Math.max(0, y)).padStart(4, "0");
}

/** What one merchant's part of a set asks the state read for. */
export interface SetStateRequest {
  merchantId: string;
  bodies: readonly PaidOrderBody[];
  scope: string;
  keys: readonly string[];
}

/**
 * Lock the merchant's ledger head and read everything a set of paid orders needs, including the stored idempotency
 * keys of `keys` in `scope`, in one call. Must run inside the set's transaction.
 */
export async function readSetState(
  q: Sql,
  merchantId: string,
  bodies: readonly PaidOrderBody[],
  scope: string,
  keys: readonly string[],
): Promise<SetState> {
  const [st] = await readSetStates(q, [{ merchantId, bodies, scope, keys }]);
  return st as SetState;
}

/** Parameters of fenxiao_ingest_state per part. */
const STATE_PARAMS = 9;

/**
 * The state of several merchants' parts of one set, in one statement (one round trip however many merchants): the
 * parts' calls run one after another in the order given — the rows of a VALUES list — so their ledger heads are
 * locked in that order (the caller gives them in merchant-id order). Must run inside the set's transaction.
 */
export async function readSetStates(q: Sql, parts: readonly SetStateRequest[]): Promise<SetState[]> {
  if (parts.length === 0) return [];
  const call = (k: number) =>
    `fenxiao_ingest_state(${Array.from({ length: STATE_PARAMS }, (_, i) => `$${k * STATE_PARAMS + i + 1}`).join(", ")})`;
  const text =
    parts.length === 1
      ? `SELECT ${call(0)} AS state`
      : `SELECT s.state FROM (VALUES ${parts.map((_, k) => `(${k}, ${call(k)})`).join(", ")}) AS s(n, state) ORDER BY s.n`;
  const rows = await q.query<{ state: SetState }>(text, parts.flatMap(stateParams));
  if (rows.length !== parts.length) throw new Error("ingest state returned nothing");
  const states = rows.map((r) => r.state);
  for (const [k, st] of states.entries()) await loadPlans(q, (parts[k] as SetStateRequest).merchantId, st.plans);
  return states;
}

function stateParams(p: SetStateRequest): unknown[] {
  const { bodies } = p;
  const upper = (s: string) => s.toUpperCase();
  const customerRefs = [...new Set(bodies.flatMap((b) => [b.customer.ref, ...(b.referrerCustomerRef ? [b.referrerCustomerRef] : [])]))];
  const codes = [...new Set(bodies.flatMap((b) => (b.promoCode ? [upper(b.promoCode)] : [])))];
  const tokens = [...new Set(bodies.flatMap((b) => (b.clickToken ? [b.clickToken] : [])))];
  const productIds = [...new Set(bodies.flatMap((b) => b.lines.map((l) => l.productId)))];
  return [p.merchantId, bodies.map((b) => b.orderRef), customerRefs, codes, tokens, productIds, p.scope, p.keys, statsFromYear(bodies)];
}
