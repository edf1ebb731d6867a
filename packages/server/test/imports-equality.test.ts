/**
 * The set-based CSV import (modules/imports/set-import.ts) decides exactly what the order API decides: the same orders
 * are imported from a file into one merchant (sets of a few orders, so that bindings, first orders and period sales
 * cross from one set to the next) and posted one by one through POST /v1/orders into another merchant set up the same
 * way, and everything the two wrote is compared, ids and timestamps aside: orders and their attribution, lines,
 * order events, customers, bindings, click links, period stats, commission lines with their explanations, ledger
 * transactions and balances, the outbox. Both ledgers verify clean. An order already ingested through the API before
 * the import is skipped by the import and written once.
 */
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../src/ids.ts";
import { insertJob } from "../src/modules/imports/repository.ts";
import { runImport } from "../src/modules/imports/service.ts";
import { type Harness, type MerchantFixture, merchantFixture, promoterFixture, startHarness, TEST_KEY_RING } from "./helpers.ts";

interface Shop {
  m: MerchantFixture;
  /** promoter id → name, to compare the two merchants' rows */
  names: Map<string, string>;
  codes: Record<string, string>;
  token: string;
}

let h: Harness;
let fileShop: Shop;
let apiShop: Shop;

async function shop(name: string): Promise<Shop> {
  const m = await merchantFixture(h, name);
  const alice = await promoterFixture(h, m, "Alice");
  const bob = await promoterFixture(h, m, "Bob", alice.code);
  const carol = await promoterFixture(h, m, "Carol", bob.code);
  const link = await h.call("POST", "/v1/me/links", { token: carol.token, body: { merchantId: m.merchantId, programId: m.programId } });
  const r = await h.call("GET", `/r/${link.body.code}`);
  const token = new URL(r.headers.get("location") as string).searchParams.get("fx_click") as string;
  const names = new Map([
    [alice.promoterId, "Alice"],
    [bob.promoterId, "Bob"],
    [carol.promoterId, "Carol"],
  ]);
  return { m, names, codes: { Alice: alice.code, Bob: bob.code, Carol: carol.code }, token };
}

interface Order {
  ref: string;
  paidAt: string;
  customer: string;
  code?: string; // a promoter's name: their code is used
  click?: boolean;
  referrer?: string;
  lines: [productId: string, name: string, quantity: number, amount: string][];
}

const ESCAPES = 'Tea \\N \\ \t\n"x"';

/** Orders of every kind of attribution, some customers ordering again (bound, no longer first), one refused by the ingest. */
function orders(): Order[] {
  const out: Order[] = [];
  const products: Order["lines"] = [
    ["P1", "Tea", 1, "128.00"],
    ["P2", "Cup", 2, "39.90"],
    ["P3", "Pot", 1, "0.05"],
  ];
  for (let i = 0; i < 40; i++) {
    const day = String(1 + (i % 9)).padStart(2, "0");
    const o: Order = {
      ref: `EQ-${i}`,
      paidAt: `2026-03-${day}T${String(8 + (i % 12)).padStart(2, "0")}:15:00+08:00`,
      customer: `eq-c${i % 13}`,
      lines: products.slice(0, 1 + (i % 3)),
    };
    if (i % 5 === 0) o.code = ["Alice", "Bob", "Carol"][i % 3];
    if (i % 11 === 4) o.click = true;
    if (i % 17 === 6) o.referrer = "eq-c0";
    out.push(o);
  }
  // a product name with COPY's delimiters and escapes in it (a backslash, a tab, a line break, quotes)
  out.push({ ref: "EQ-escapes", paidAt: "2026-03-08T10:00:00+08:00", customer: "eq-c2", lines: [["P4", ESCAPES, 1, "9.99"]] });
  // paid before the program existed: refused by the ingest's own check, in both
  out.push({ ref: "EQ-old", paidAt: "2019-01-01T00:00:00Z", customer: "eq-c1", lines: [["P1", "Tea", 1, "1.00"]] });
  return out;
}

const CSV_HEADER =
  "order_ref,paid_at,customer_ref,promo_code,click_token,referrer_customer_ref,product_id,product_name,quantity,line_amount";

function csvOf(s: Shop, list: readonly Order[]): string {
  const rows = [CSV_HEADER];
  for (const o of list)
    for (const [productId, name, quantity, amount] of o.lines)
      rows.push(
        [
          o.ref,
          o.paidAt,
          o.customer,
          o.code ? s.codes[o.code] : "",
          o.click ? s.token : "",
          o.referrer ?? "",
          productId,
          /[",\n\r]/.test(name) ? `"${name.replaceAll('"', '""')}"` : name,
          quantity,
          amount,
        ].join(","),
      );
  return `${rows.join("\n")}\n`;
}

function bodyOf(s: Shop, o: Order) {
  return {
    orderRef: o.ref,
    paidAt: o.paidAt,
    customer: { ref: o.customer },
    ...(o.code ? { promoCode: s.codes[o.code] } : {}),
    ...(o.click ? { clickToken: s.token } : {}),
    ...(o.referrer ? { referrerCustomerRef: o.referrer } : {}),
    lines: o.lines.map(([productId, productName, quantity, amount]) => ({
      productId,
      productName,
      quantity,
      netAmountMinor: Math.round(Number(amount) * 100),
    })),
  };
}

/** Everything ingest wrote for a merchant, as sorted strings with ids replaced: promoters by name, others by kind. */
async function snapshot(s: Shop): Promise<Record<string, string[]>> {
  const mid = s.m.merchantId;
  const tables: Record<string, string> = {
    orders: `SELECT o.order_ref, c.customer_ref, o.channel, o.currency, o.status, o.amount_minor, o.shipping_minor, o.promoter_id,
               o.attribution_path, o.attribution, o.is_first_order, o.plan_version, o.period_key, o.paid_at
             FROM orders o JOIN customers c ON c.merchant_id = o.merchant_id AND c.id = o.customer_id WHERE o.merchant_id = $1`,
    lines: `SELECT o.order_ref, l.line_no, l.product_id, l.product_name, l.category_id, l.quantity, l.net_amount_minor, l.margin_minor
            FROM order_lines l JOIN orders o ON o.merchant_id = l.merchant_id AND o.id = l.order_id WHERE l.merchant_id = $1`,
    orderEvents: `SELECT o.order_ref, v.type, v.payload, v.occurred_at FROM order_events v
                  JOIN orders o ON o.merchant_id = v.merchant_id AND o.id = v.order_id WHERE v.merchant_id = $1`,
    customers: `SELECT c.customer_ref, r.customer_ref AS referrer FROM customers c
                LEFT JOIN customers r ON r.merchant_id = c.merchant_id AND r.id = c.referrer_customer_id WHERE c.merchant_id = $1`,
    bindings: `SELECT c.customer_ref, b.promoter_id, b.source, b.bound_at, b.expires_at FROM bindings b
               JOIN customers c ON c.merchant_id = b.merchant_id AND c.id = b.customer_id WHERE b.merchant_id = $1`,
    clicks: `SELECT k.promoter_id, c.customer_ref FROM clicks k LEFT JOIN customers c ON c.merchant_id = k.merchant_id AND c.id = k.customer_id
             WHERE k.merchant_id = $1`,
    stats: "SELECT promoter_id, period_key, sales_minor, refunded_minor, orders FROM promoter_period_stats WHERE merchant_id = $1",
    commissions: `SELECT o.order_ref, k.line_no, k.beneficiary_id, k.level, k.kind, k.base_minor, k.rate_bps, k.amount_minor, k.state,
                    k.attribution_path, k.plan_version, k.period_key, k.trace, k.explanation_zh, k.explanation_en, k.currency
                  FROM commission_lines k JOIN orders o ON o.merchant_id = k.merchant_id AND o.id = k.order_id WHERE k.merchant_id = $1`,
    ledger: `SELECT t.kind, t.cause_ref, t.memo, (SELECT json_agg(json_build_array(p.account, p.amount_minor, p.currency) ORDER BY p.idx)
               FROM ledger_postings p WHERE p.merchant_id = t.merchant_id AND p.tx_seq = t.seq) AS postings
             FROM ledger_transactions t WHERE t.merchant_id = $1`,
    balances: "SELECT account, currency, balance_minor FROM account_balances WHERE merchant_id = $1 AND balance_minor <> 0",
    outbox:
      "SELECT type, subject, data FROM events WHERE merchant_id = $1 AND type IN ('order.attributed', 'commission.created', 'customer.rewarded')",
  };
  const out: Record<string, string[]> = {};
  for (const [name, sql] of Object.entries(tables)) {
    const rows = await h.db.read((q) => q.query(sql, [mid]));
    out[name] = rows.map((r) => normalise(s, JSON.stringify(r))).sort();
  }
  return out;
}

function normalise(s: Shop, text: string): string {
  let t = text.replaceAll(s.m.merchantId, "MERCHANT").replaceAll(s.m.programId, "PROGRAM").replaceAll(s.token, "TOKEN");
  for (const [id, name] of s.names) t = t.replaceAll(id, name);
  for (const [name, code] of Object.entries(s.codes)) t = t.replaceAll(`"${code}"`, `"code of ${name}"`);
  // Dates as instants (the two drivers may print a timestamp differently), other ids by their kind only
  return t
    .replace(/\b(ord|com|cus|evt|clk)_[0-9a-z]{20}\b/g, "$1_*")
    .replace(/"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))"/g, (_, d: string) => `"${new Date(d).toISOString()}"`);
}

beforeAll(async () => {
  h = await startHarness("2026-02-27T00:00:00.000Z"); // the click 4–10 days before the orders: some in its window
  fileShop = await shop("EqFile");
  apiShop = await shop("EqApi");
  h.clock.set("2026-03-10T00:00:00.000Z");
}, 120_000);
afterAll(async () => h?.close());

describe("CSV import ≡ the order API", () => {
  it("imports a file into one merchant exactly as the API ingests the same orders into another", async () => {
    const list = orders();
    // EQ-3 was sent through the API before the file came: the import skips it, the API refuses it the second time
    for (const s of [fileShop, apiShop]) {
      const r = await h.call("POST", "/v1/orders", { token: s.m.apiKey, body: bodyOf(s, list[3] as Order) });
      expect(r.status).toBe(201);
    }
    const apiStatus = new Map<string, number>();
    for (const o of list) {
      const r = await h.call("POST", "/v1/orders", { token: apiShop.m.apiKey, body: bodyOf(apiShop, o) });
      apiStatus.set(o.ref, r.status);
    }
    expect(apiStatus.get("EQ-3")).toBe(409);
    expect(apiStatus.get("EQ-old")).toBe(400);
    expect([...apiStatus.values()].filter((s) => s === 201)).toHaveLength(list.length - 2);

    const jobId = newId("imp");
    await h.db.tx((q) =>
      insertJob(q, {
        merchantId: fileShop.m.merchantId,
        id: jobId,
        source: "eq.csv",
        status: "running",
        bytesTotal: null,
        at: h.clock.now(),
      }),
    );
    const progress = await runImport({
      db: h.db,
      ring: TEST_KEY_RING,
      merchantId: fileShop.m.merchantId,
      jobId,
      input: Readable.from([csvOf(fileShop, list)]),
      now: () => h.clock.now(),
      setOrders: 7,
    });
    expect(progress).toMatchObject({ ordersImported: list.length - 2, ordersSkipped: 1, rowsRejected: 1 });

    const [a, b] = [await snapshot(fileShop), await snapshot(apiShop)];
    for (const table of Object.keys(a)) expect({ table, rows: a[table] }).toEqual({ table, rows: b[table] });
    // the comparison compares something: every kind of attribution and of commission is there
    expect(a.orders?.join()).toMatch(/"attribution_path":"code"/);
    expect(a.orders?.join()).toMatch(/"attribution_path":"click"/);
    expect(a.orders?.join()).toMatch(/"attribution_path":"binding"/);
    expect(a.commissions?.filter((r) => r.includes('"level":2')).length).toBeGreaterThan(0);
    expect(a.outbox?.length).toBeGreaterThan(list.length);
    expect(a.bindings?.length).toBeGreaterThan(0);
    expect(a.lines?.join()).toContain(JSON.stringify(ESCAPES));

    for (const s of [fileShop, apiShop]) {
      const v = await h.call("GET", "/v1/ledger/verify", { token: s.m.apiKey });
      expect(v.body.ok).toBe(true);
    }
    // the file again: nothing new
    const again = newId("imp");
    await h.db.tx((q) =>
      insertJob(q, {
        merchantId: fileShop.m.merchantId,
        id: again,
        source: "eq.csv",
        status: "running",
        bytesTotal: null,
        at: h.clock.now(),
      }),
    );
    const second = await runImport({
      db: h.db,
      ring: TEST_KEY_RING,
      merchantId: fileShop.m.merchantId,
      jobId: again,
      input: Readable.from([csvOf(fileShop, list)]),
      now: () => h.clock.now(),
    });
    expect(second).toMatchObject({ ordersImported: 0, ordersSkipped: list.length - 1, rowsRejected: 1 });
    expect(await snapshot(fileShop)).toEqual(a);
  }, 300_000);
});
