/**
 * Tenant isolation (issue 2, "Tests that must exist"): every read and write endpoint is tried with another merchant's
 * API key and admin session, and with another promoter's login. Nothing of the other tenant may be read, nothing may change.
 * The route table below must cover every non-public operation of the OpenAPI document.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRelease } from "../src/jobs/release.ts";
import { emitEvent } from "../src/modules/events/outbox.ts";
import { dispatchEvents } from "../src/modules/webhooks/dispatch.ts";
import { type Harness, type MerchantFixture, merchantFixture, PASSWORD, promoterFixture, START, startHarness } from "./helpers.ts";
import { APPID, CARD_1, ID_P, OPENID_1 } from "./identity-fixtures.ts";
import { addPayoutAccount } from "./withdrawal-fixtures.ts";

type Promoter = Awaited<ReturnType<typeof promoterFixture>>;
type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
interface Req {
  path: string;
  body?: unknown;
}

let h: Harness;
let A: MerchantFixture;
let B: MerchantFixture;
/** A's promoters: X invited X2; Y invited Y2. X's and Y's families are unrelated. */
let X: Promoter;
let X2: Promoter;
let Y: Promoter;
let Y2: Promoter;
/** B's promoter. */
let W: Promoter;
let aKeyId: string;
let revokedKey: string;
let aDraftVersion: number;
let aClickToken: string;
/** Y's payout account, Y's withdrawal (requested) and a risk flag on X2, all at A. */
let yAccount: string;
let aWithdrawal: string;
let aFlag: string;
/** A's webhook endpoint and one delivery of it. */
let aHook: string;
let aDelivery: string;
const aLinks: Record<string, string> = {};
/** Identifiers and values of merchant A that must never appear in a response to B. */
let secretsOfA: string[] = [];

/** Raw phone numbers of A's customers; promoters must only ever see them masked. */
const CUSTOMERS = [
  { ref: "a-cust-1", phone: "13911112222" },
  { ref: "a-cust-2", phone: "13733334444" },
  { ref: "18600001111", phone: "18600001111" }, // the shop uses the phone as its customer reference
  { ref: "a-cust-4", phone: "13655556666" },
  { ref: "a-cust-5", phone: "15877778888" },
  { ref: "a-cust-6", phone: "13812349876" },
] as const;
const RAW_PHONES = CUSTOMERS.map((c) => c.phone);
const SHARED_KEY = "idem-key-used-by-both-merchants";

function order(orderRef: string, c: { ref: string; phone: string }, extra: Record<string, unknown> = {}) {
  return {
    orderRef,
    customer: { ref: c.ref, phone: c.phone },
    channel: "online",
    paidAt: START,
    lines: [
      { productId: "A-SKU", quantity: 1, netAmountMinor: 10_000 },
      { productId: "OTHER", quantity: 3, netAmountMinor: 4_999 },
    ],
    ...extra,
  };
}

async function ok(method: Method, path: string, token: string, body?: unknown, status = [200, 201]) {
  const r = await h.call(method, path, { token, body });
  if (!status.includes(r.status)) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r;
}

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return h.db.read((q) => q.query<T & Record<string, unknown>>(sql, params));
}

/** A fingerprint of every row merchant A owns: each tenant table, A's merchant row, A's promoters. */
async function snapshotOf(merchantId: string): Promise<Record<string, string>> {
  const tables = await rows<{ table_name: string }>(
    "SELECT DISTINCT table_name FROM information_schema.columns WHERE column_name = 'merchant_id' AND table_schema = current_schema() ORDER BY table_name",
  );
  const out: Record<string, string> = {};
  const fp = async (name: string, sql: string) => {
    const [r] = await rows<{ n: number; h: string | null }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM (${sql}) t`,
      [merchantId],
    );
    out[name] = `${r?.n}:${r?.h}`;
  };
  // An API key's last use is the bookkeeping of authentication (written, at most once a minute, by any call the key
  // authenticates, a refused one too): the rest of the row must not change.
  const except: Record<string, string> = { api_keys: "last_used_at" };
  for (const { table_name } of tables) {
    const cols = except[table_name] ? `to_jsonb(t) - '${except[table_name]}' AS row` : "*";
    await fp(table_name, `SELECT ${cols} FROM ${table_name} t WHERE merchant_id = $1`);
  }
  await fp("merchants", "SELECT * FROM merchants WHERE id = $1");
  await fp("promoters", "SELECT * FROM promoters WHERE id IN (SELECT promoter_id FROM memberships WHERE merchant_id = $1)");
  expect(Object.keys(out).length).toBeGreaterThan(15);
  return out;
}

function expectNoLeak(body: unknown, what: string) {
  const text = JSON.stringify(body);
  for (const s of secretsOfA) expect(text.includes(s), `${what} leaks ${s}`).toBe(false);
}

function expectNotFound(r: { status: number; body: { error?: { code: string } } }, what: string) {
  expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBe(404);
  expect(r.body.error?.code).toBe("NOT_FOUND");
}

/** A's first customer (its id, for the customer page and the reveal). */
let aCustomerId = "";
let aApplicationId: string | null = null;
/** A pending application to A's program (made once: the program is set to approval for it, then back to open). */
async function aApplication(): Promise<string> {
  if (aApplicationId) return aApplicationId;
  await ok("PATCH", `/v1/programs/${A.programId}`, A.apiKey, { joinPolicy: "approval" });
  const j = await h.call("POST", "/v1/join", {
    body: {
      merchantId: A.merchantId,
      programId: A.programId,
      name: "alpha-applicant",
      email: "alpha-applicant@test.local",
      password: "secret-pass-1",
    },
  });
  expect(j.status).toBe(202);
  await ok("PATCH", `/v1/programs/${A.programId}`, A.apiKey, { joinPolicy: "open" });
  const list = await ok("GET", `/v1/promoters/applications?programId=${A.programId}`, A.apiKey);
  aApplicationId = list.body.items[0].id as string;
  secretsOfA.push(aApplicationId, "alpha-applicant");
  return aApplicationId;
}

/** The merchant credentials that attack A: B's API key and B's admin session. */
function attackers(): { label: string; token: string }[] {
  return [
    { label: "B api key", token: B.apiKey },
    { label: "B admin session", token: B.adminToken },
  ];
}

beforeAll(async () => {
  h = await startHarness();
  A = await merchantFixture(h, "AlphaShop");
  B = await merchantFixture(h, "BetaShop");
  X = await promoterFixture(h, A, "Xavier");
  X2 = await promoterFixture(h, A, "Xena", X.code);
  Y = await promoterFixture(h, A, "Yara");
  Y2 = await promoterFixture(h, A, "Yusuf", Y.code);
  W = await promoterFixture(h, B, "Wang");

  await ok("PUT", "/v1/categories", A.apiKey, { items: [{ id: "A-CAT", name: "alpha-secret-category" }] });
  await ok("PUT", "/v1/products", A.apiKey, {
    items: [{ id: "A-SKU", name: "alpha-secret-product", categoryId: "A-CAT", landingUrl: "https://alpha.example/sku" }],
  });
  await ok("PUT", "/v1/categories", B.apiKey, { items: [{ id: "B-CAT", name: "beta-category" }] });
  await ok("PUT", "/v1/products", B.apiKey, { items: [{ id: "B-SKU", name: "beta-product", categoryId: "B-CAT" }] });

  aLinks.x = (await ok("POST", "/v1/me/links", X.token, { merchantId: A.merchantId, programId: A.programId })).body.code;
  aLinks.y = (
    await ok("POST", "/v1/me/links", Y.token, { merchantId: A.merchantId, programId: A.programId, productId: "A-SKU" })
  ).body.code;
  aLinks.y2 = (await ok("POST", "/v1/me/links", Y2.token, { merchantId: A.merchantId, programId: A.programId })).body.code;
  await ok("POST", "/v1/me/links", W.token, { merchantId: B.merchantId, programId: B.programId });
  const click = await h.call("GET", `/r/${aLinks.y}`);
  expect(click.status).toBe(302);
  aClickToken = new URL(click.headers.get("location") as string).searchParams.get("fx_click") as string;

  const [c1, c2, c3, c4, c5, c6] = CUSTOMERS;
  const reg = await h.call("POST", "/v1/customers", {
    token: A.apiKey,
    body: { customerRef: c1.ref, phone: c1.phone, name: "张三丰", promoCode: X2.code },
    headers: { "idempotency-key": SHARED_KEY },
  });
  expect(reg.status).toBe(201);
  aCustomerId = reg.body.customerId;
  await ok("POST", "/v1/customers", A.apiKey, { customerRef: c2.ref, phone: c2.phone, promoCode: Y2.code });
  await ok("POST", "/v1/customers", A.apiKey, { customerRef: c3.ref, phone: c3.phone, promoCode: Y.code });
  await ok("POST", "/v1/orders", A.apiKey, order("A-O-1", c1, { promoCode: X2.code }));
  await ok("POST", "/v1/orders", A.apiKey, order("A-O-2", c2, { promoCode: Y2.code }));
  await ok("POST", "/v1/orders", A.apiKey, order("A-O-3", c3, { promoCode: Y.code }));
  await ok("POST", "/v1/orders", A.apiKey, order("A-O-4", c4, { promoCode: X.code }));
  await ok("POST", "/v1/orders", A.apiKey, order("A-O-5", c5, { clickToken: aClickToken }));
  // A uses an Idempotency-Key that B will use too: keys are per merchant, so B must never get A's stored response.
  const six = await h.call("POST", "/v1/orders", {
    token: A.apiKey,
    body: order("A-O-6", c6, { promoCode: X.code }),
    headers: { "idempotency-key": SHARED_KEY },
  });
  expect(six.status).toBe(201);
  await ok("POST", "/v1/orders/A-O-4/refunds", A.apiKey, { amountMinor: 3_000 });
  await ok("POST", "/v1/orders/A-O-3/complete", A.apiKey, { completedAt: "2026-03-03T00:00:00Z" });
  await ok("POST", "/v1/orders", B.apiKey, {
    ...order("B-O-1", { ref: "b-cust-1", phone: "13500009999" }, { promoCode: W.code }),
    programId: B.programId,
  });
  h.clock.set("2026-03-11T00:00:00Z");
  expect(await runRelease(h.db, h.clock)).toBeGreaterThan(0); // Y's line of A-O-3 is available now

  aDraftVersion = (
    await ok("POST", `/v1/programs/${A.programId}/plans`, A.apiKey, { document: { version: 1, base: { defaultRateBps: 500 } } })
  ).body.version;
  const extra = await ok("POST", "/v1/api-keys", A.apiKey, { name: "to be revoked" });
  revokedKey = extra.body.key;
  await ok("DELETE", `/v1/api-keys/${extra.body.id}`, A.apiKey, undefined, [204]);
  aKeyId = (await ok("GET", "/v1/api-keys", A.apiKey)).body.items[0].id;
  aHook = (await ok("POST", "/v1/webhook-endpoints", A.apiKey, { url: "https://93.184.216.34/alpha-secret-hook", events: ["*"] })).body.id;
  await h.db.tx((q) => emitEvent(q, A.merchantId, { type: "plan.published", subject: "test", data: {} }, h.clock.now()));
  await dispatchEvents(h.db, () => h.clock.now());
  aDelivery = (await ok("GET", `/v1/webhook-endpoints/${aHook}/deliveries`, A.apiKey)).body.items[0].id;

  await ok("PATCH", `/v1/programs/${A.programId}/money-settings`, A.apiKey, { withdrawal: { autoApproveMaxMinor: 0 } });
  yAccount = await addPayoutAccount(h, Y.promoterId, "bank");
  aWithdrawal = (await ok("POST", "/v1/me/withdrawals", Y.token, { programId: A.programId, amountMinor: 1_000, payoutAccountId: yAccount }))
    .body.id;
  aFlag = (await ok("POST", `/v1/promoters/${X2.promoterId}/risk-flags`, A.apiKey, { reason: "alpha-secret-flag" })).body.id;

  const ids = async (sql: string) => (await rows<{ id: string }>(sql, [A.merchantId])).map((r) => r.id);
  secretsOfA = [
    A.merchantId,
    A.programId,
    ...[X, X2, Y, Y2].map((p) => p.promoterId),
    ...Object.values(aLinks),
    ...RAW_PHONES,
    "alpha-secret",
    "张三丰",
    ...(await ids("SELECT id FROM api_keys WHERE merchant_id = $1")),
    ...(await ids("SELECT id FROM customers WHERE merchant_id = $1")),
    ...(await ids("SELECT id FROM orders WHERE merchant_id = $1")),
    ...(await ids("SELECT id FROM commission_lines WHERE merchant_id = $1")),
    ...(await ids("SELECT id FROM clicks WHERE merchant_id = $1")),
    ...(await ids("SELECT cause_ref AS id FROM ledger_transactions WHERE merchant_id = $1")),
    ...(await ids("SELECT id FROM withdrawals WHERE merchant_id = $1")),
    yAccount,
    aFlag,
    aHook,
    aDelivery,
  ];
  await aApplication();
  expect(secretsOfA.length).toBeGreaterThan(40);
});
afterAll(async () => h?.close());

/** A's shop connector and CSV import (connectors, imports). */
let aConnectorId: string;
let aJobId: string;
beforeAll(async () => {
  const c = await h.call("POST", "/v1/connectors", {
    token: A.apiKey,
    body: { platform: "woocommerce", programId: A.programId, name: "A shop", secret: "a-woo-secret-0001" },
  });
  expect(c.status).toBe(201);
  aConnectorId = c.body.id;
  const up = await uploadCsv(A.apiKey, "order_ref,paid_at,customer_ref,product_id,quantity,line_amount\nA-CSV-1,bad,c,P1,1,1.00\n");
  expect(up.status).toBe(202);
  aJobId = up.body.id;
  await importDone(A.apiKey, aJobId);
  secretsOfA.push(aConnectorId, aJobId);
});

/** A's finished payout run (bank file) and A's analytics baseline. */
let aRun: string;
const MONTH = START.slice(0, 7);
const PERIOD = () => `programId=${A.programId}&from=${MONTH}-01&to=${MONTH}-28`;
beforeAll(async () => {
  aRun = (await ok("POST", "/v1/payout-runs", A.apiKey, { programId: A.programId, provider: "bank_file" })).body.id;
  for (let i = 0; ; i++) {
    if ((await ok("GET", `/v1/payout-runs/${aRun}`, A.apiKey)).body.state === "finished") break;
    if (i > 400) throw new Error("A's payout run did not finish");
    await new Promise((ok) => setTimeout(ok, 25));
  }
  await ok("PUT", `/v1/programs/${A.programId}/analytics-baseline`, A.apiKey, {
    dailySalesMinor: 7_654_321,
    note: "alpha-secret-baseline",
  });
  secretsOfA.push(aRun);
});

async function uploadCsv(token: string, csv: string, query = "") {
  const res = await fetch(`${h.base}/v1/imports/orders${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
    body: csv,
  });
  return { status: res.status, body: (await res.json()) as { id: string; error?: { code: string } } };
}

async function importDone(token: string, jobId: string) {
  for (let i = 0; i < 400; i++) {
    const r = await h.call("GET", `/v1/imports/${jobId}`, { token });
    if (r.body.status !== "running") return r.body;
    await new Promise((ok) => setTimeout(ok, 25));
  }
  throw new Error("import did not finish");
}

// ---------------------------------------------------------------------------------------------------------------------
// The route table. kind: who may call it. probe: a valid request used for the 401/403 checks.
// crossMerchant: B's credentials against A's resources. crossPromoter: X against Y, and B's promoter W against A.
// ---------------------------------------------------------------------------------------------------------------------

interface Route {
  method: Method;
  /** As written in the OpenAPI document. */
  path: string;
  kind: "merchant" | "promoter" | "platform" | "session";
  probe: () => Req;
  /** A merchant route the platform admin may call too (on any merchant's program). */
  platformToo?: true;
  crossMerchant?: (token: string, label: string) => Promise<void>;
  crossPromoter?: () => Promise<void>;
}

const validOrder = () => ({ ...order("PROBE-1", { ref: "probe", phone: "13000000000" }), programId: A.programId });

const ROUTES: Route[] = [
  // shop connectors and imports
  {
    method: "POST",
    path: "/v1/connectors",
    kind: "merchant",
    probe: () => ({
      path: "/v1/connectors",
      body: { platform: "shopify", programId: A.programId, name: "probe", secret: "probe-secret-1" },
    }),
    crossMerchant: async (token) =>
      expectNotFound(
        await h.call("POST", "/v1/connectors", {
          token,
          body: { platform: "shopify", programId: A.programId, name: "x", secret: "x-secret-1" },
        }),
        "connector on A's program",
      ),
  },
  {
    method: "GET",
    path: "/v1/connectors",
    kind: "merchant",
    probe: () => ({ path: "/v1/connectors" }),
    crossMerchant: async (token) => expectNoLeak((await ok("GET", "/v1/connectors", token)).body, "GET /v1/connectors"),
  },
  {
    method: "GET",
    path: "/v1/connectors/{connectorId}",
    kind: "merchant",
    probe: () => ({ path: `/v1/connectors/${aConnectorId}` }),
    crossMerchant: async (token) => expectNotFound(await h.call("GET", `/v1/connectors/${aConnectorId}`, { token }), "connector"),
  },
  {
    method: "POST",
    path: "/v1/connectors/{connectorId}/disable",
    kind: "merchant",
    probe: () => ({ path: `/v1/connectors/${aConnectorId}/disable`, body: {} }),
    crossMerchant: async (token) =>
      expectNotFound(await h.call("POST", `/v1/connectors/${aConnectorId}/disable`, { token, body: {} }), "disable connector"),
  },
  {
    method: "GET",
    path: "/v1/connectors/{connectorId}/deliveries",
    kind: "merchant",
    probe: () => ({ path: `/v1/connectors/${aConnectorId}/deliveries` }),
    crossMerchant: async (token) =>
      expectNotFound(await h.call("GET", `/v1/connectors/${aConnectorId}/deliveries`, { token }), "connector deliveries"),
  },
  {
    method: "POST",
    path: "/v1/imports/orders",
    kind: "merchant",
    probe: () => ({ path: "/v1/imports/orders" }),
    crossMerchant: async (token) => {
      // B's file naming A's program: B's own job, whose orders are refused (no such program for B); A unchanged
      const csv = `order_ref,paid_at,customer_ref,product_id,quantity,line_amount\nB-INTO-A-1,${START},c,P1,1,1.00\n`;
      const up = await uploadCsv(token, csv, `?programId=${A.programId}`);
      expect(up.status).toBe(202);
      const job = await importDone(token, up.body.id);
      expect(job.ordersImported).toBe(0);
      expect(job.rejections[0].reason).toContain("NOT_FOUND");
    },
  },
  {
    method: "GET",
    path: "/v1/imports",
    kind: "merchant",
    probe: () => ({ path: "/v1/imports" }),
    crossMerchant: async (token) => expectNoLeak((await ok("GET", "/v1/imports", token)).body, "GET /v1/imports"),
  },
  {
    method: "GET",
    path: "/v1/imports/{jobId}",
    kind: "merchant",
    probe: () => ({ path: `/v1/imports/${aJobId}` }),
    crossMerchant: async (token) => expectNotFound(await h.call("GET", `/v1/imports/${aJobId}`, { token }), "import"),
  },
  {
    method: "GET",
    path: "/v1/imports/{jobId}/rejections",
    kind: "merchant",
    probe: () => ({ path: `/v1/imports/${aJobId}/rejections` }),
    crossMerchant: async (token) => expectNotFound(await h.call("GET", `/v1/imports/${aJobId}/rejections`, { token }), "import rejections"),
  },
  // auth
  {
    method: "POST",
    path: "/v1/auth/logout",
    kind: "session",
    probe: () => ({ path: "/v1/auth/logout" }),
    crossMerchant: async () => {
      // Logging out ends the caller's session only.
      const login = await h.call("POST", "/v1/auth/login", {
        body: { email: (await h.call("GET", "/v1/me", { token: B.adminToken })).body.email, password: PASSWORD },
      });
      const t = login.body.token as string;
      expect((await h.call("POST", "/v1/auth/logout", { token: t })).status).toBe(204);
      expect((await h.call("GET", "/v1/me", { token: t })).status).toBe(401);
      expect((await h.call("GET", "/v1/merchant", { token: A.adminToken })).status).toBe(200);
      expect((await h.call("GET", "/v1/merchant", { token: B.adminToken })).status).toBe(200);
    },
  },
  {
    method: "POST",
    path: "/v1/auth/password",
    kind: "session",
    probe: () => ({ path: "/v1/auth/password", body: { currentPassword: "not-the-password", newPassword: "probe-pass-phrase" } }),
    crossMerchant: async (token) => {
      // Only the caller's own password, and only with it: B's key has none, B's admin does not know A's.
      const r = await h.call("POST", "/v1/auth/password", {
        token,
        body: { currentPassword: "not-the-password", newPassword: "probe-pass-phrase" },
      });
      expect(r.status).toBe(403);
      expect(["FORBIDDEN", "PASSWORD_INCORRECT"]).toContain(r.body.error.code);
      expect((await h.call("GET", "/v1/merchant", { token: A.adminToken })).status).toBe(200);
    },
    crossPromoter: async () => {
      const r = await h.call("POST", "/v1/auth/password", {
        token: X.token,
        body: { currentPassword: "not-the-password", newPassword: "probe-pass-phrase" },
      });
      expect(r.body.error.code).toBe("PASSWORD_INCORRECT");
      expect((await h.call("GET", "/v1/me", { token: Y.token })).status).toBe(200);
    },
  },
  {
    method: "GET",
    path: "/v1/me",
    kind: "session",
    probe: () => ({ path: "/v1/me" }),
    crossMerchant: async (token) => {
      const r = await ok("GET", "/v1/me", token);
      expect(r.body.merchantId).toBe(B.merchantId);
      expectNoLeak(r.body, "/v1/me");
    },
    crossPromoter: async () => {
      const r = await ok("GET", "/v1/me", X.token);
      expect(r.body.promoterId).toBe(X.promoterId);
      expect(r.body.role).toBe("promoter");
    },
  },
  // platform
  {
    method: "POST",
    path: "/v1/merchants",
    kind: "platform",
    probe: () => ({
      path: "/v1/merchants",
      body: { name: "Intruder", adminEmail: "intruder@test.local", adminPassword: PASSWORD, adminName: "i" },
    }),
  },
  { method: "GET", path: "/v1/merchants", kind: "platform", probe: () => ({ path: "/v1/merchants" }) },
  {
    method: "GET",
    path: "/v1/merchants/{merchantId}/users",
    kind: "platform",
    probe: () => ({ path: `/v1/merchants/${A.merchantId}/users` }),
  },
  {
    method: "POST",
    path: "/v1/merchants/{merchantId}/suspend",
    kind: "platform",
    probe: () => ({ path: `/v1/merchants/${A.merchantId}/suspend`, body: { reason: "probe" } }),
  },
  {
    method: "POST",
    path: "/v1/merchants/{merchantId}/reactivate",
    kind: "platform",
    probe: () => ({ path: `/v1/merchants/${A.merchantId}/reactivate`, body: { reason: "probe" } }),
  },
  { method: "GET", path: "/v1/platform/kpis", kind: "platform", probe: () => ({ path: "/v1/platform/kpis" }) },
  { method: "GET", path: "/v1/platform/service-fees", kind: "platform", probe: () => ({ path: "/v1/platform/service-fees" }) },
  {
    method: "POST",
    path: "/v1/users/{userId}/password",
    kind: "platform",
    probe: () => ({ path: "/v1/users/usr_probe/password", body: { newPassword: "probe-pass-phrase" } }),
  },
  // merchant
  {
    method: "GET",
    path: "/v1/merchant",
    kind: "merchant",
    probe: () => ({ path: "/v1/merchant" }),
    crossMerchant: async (token) => {
      const r = await ok("GET", "/v1/merchant", token);
      expect(r.body.id).toBe(B.merchantId);
      expectNoLeak(r.body, "GET /v1/merchant");
    },
  },
  {
    method: "GET",
    path: "/v1/api-keys",
    kind: "merchant",
    probe: () => ({ path: "/v1/api-keys" }),
    crossMerchant: async (token) => {
      const r = await ok("GET", "/v1/api-keys", token);
      expect(r.body.items.length).toBeGreaterThan(0);
      expectNoLeak(r.body, "GET /v1/api-keys");
    },
  },
  {
    method: "POST",
    path: "/v1/api-keys",
    kind: "merchant",
    probe: () => ({ path: "/v1/api-keys", body: { name: "probe" } }),
    crossMerchant: async (token) => {
      const r = await ok("POST", "/v1/api-keys", token, { name: "b-extra" });
      // The new key belongs to B: it sees B, not A.
      expect((await ok("GET", "/v1/me", r.body.key)).body.merchantId).toBe(B.merchantId);
      expectNotFound(await h.call("GET", "/v1/orders/A-O-6", { token: r.body.key }), "new B key reads A's order");
    },
  },
  {
    method: "DELETE",
    path: "/v1/api-keys/{keyId}",
    kind: "merchant",
    probe: () => ({ path: `/v1/api-keys/${aKeyId}` }),
    crossMerchant: async (token) => {
      expectNotFound(await h.call("DELETE", `/v1/api-keys/${aKeyId}`, { token }), "B revokes A's key");
      expect((await h.call("GET", "/v1/merchant", { token: A.apiKey })).status).toBe(200);
    },
  },
  {
    method: "GET",
    path: "/v1/merchant/users",
    kind: "merchant",
    probe: () => ({ path: "/v1/merchant/users" }),
    crossMerchant: async (token) => {
      const r = await ok("GET", "/v1/merchant/users", token);
      expect(r.body.items.length).toBeGreaterThan(0);
      expectNoLeak(r.body, "GET /v1/merchant/users");
    },
  },
  {
    method: "POST",
    path: "/v1/merchant/users",
    kind: "merchant",
    probe: () => ({ path: "/v1/merchant/users", body: { email: "probe-admin@test.local", name: "probe" } }),
    crossMerchant: async (token, label) => {
      const email = `b-invite-${label.replace(/\W/g, "")}@test.local`;
      const r = await ok("POST", "/v1/merchant/users", token, { email, name: "B's colleague" });
      // The invited admin belongs to B: A's list does not show them.
      const mine = await ok("GET", "/v1/merchant/users", A.apiKey);
      expect(mine.body.items.map((u: { id: string }) => u.id)).not.toContain(r.body.user.id);
    },
  },
  {
    method: "POST",
    path: "/v1/merchant/users/{userId}/disable",
    kind: "merchant",
    probe: () => ({ path: "/v1/merchant/users/usr_probe/disable", body: {} }),
    crossMerchant: async (token) => {
      const aAdmin = (await ok("GET", "/v1/me", A.adminToken)).body.id as string;
      expectNotFound(await h.call("POST", `/v1/merchant/users/${aAdmin}/disable`, { token, body: {} }), "B disables A's admin");
      expect((await h.call("GET", "/v1/merchant", { token: A.adminToken })).status).toBe(200);
    },
  },
  {
    method: "POST",
    path: "/v1/merchant/users/{userId}/enable",
    kind: "merchant",
    probe: () => ({ path: "/v1/merchant/users/usr_probe/enable", body: {} }),
    crossMerchant: async (token) => {
      const aAdmin = (await ok("GET", "/v1/me", A.adminToken)).body.id as string;
      expectNotFound(await h.call("POST", `/v1/merchant/users/${aAdmin}/enable`, { token, body: {} }), "B enables A's admin");
    },
  },
  {
    method: "GET",
    path: "/v1/payout-providers",
    kind: "merchant",
    probe: () => ({ path: "/v1/payout-providers" }),
    crossMerchant: async (token, label) => {
      const r = await ok("GET", "/v1/payout-providers", token);
      expect(r.body.items).toHaveLength(3);
      expectNoLeak(r.body, `GET /v1/payout-providers as ${label}`);
    },
  },
  {
    method: "PUT",
    path: "/v1/payout-providers/{provider}",
    kind: "merchant",
    probe: () => ({ path: "/v1/payout-providers/sandbox", body: { enabled: true } }),
    crossMerchant: async (token, label) => {
      // B's admin configures B's own sandbox; B's API key may not configure providers at all.
      const r = await h.call("PUT", "/v1/payout-providers/sandbox", { token, body: { enabled: true, config: { failureRate: 0.5 } } });
      expect(r.status, label).toBe(label.includes("api key") ? 403 : 200);
      expectNoLeak(r.body, `PUT /v1/payout-providers/sandbox as ${label}`);
    },
  },
  {
    method: "POST",
    path: "/v1/programs",
    kind: "merchant",
    probe: () => ({ path: "/v1/programs", body: { name: "probe", landingUrl: "https://probe.example/" } }),
    crossMerchant: async (token) => {
      const r = await ok("POST", "/v1/programs", token, { name: "B second", landingUrl: "https://beta.example/" });
      expect(r.body.merchantId).toBe(B.merchantId);
      expectNotFound(await h.call("GET", `/v1/programs/${r.body.id}`, { token: A.apiKey }), "A reads B's new program");
    },
  },
  {
    method: "GET",
    path: "/v1/programs",
    kind: "merchant",
    probe: () => ({ path: "/v1/programs" }),
    crossMerchant: async (token) => {
      const r = await ok("GET", "/v1/programs", token);
      expect(r.body.items.every((p: { merchantId: string }) => p.merchantId === B.merchantId)).toBe(true);
      expectNoLeak(r.body, "GET /v1/programs");
    },
  },
  {
    method: "GET",
    path: "/v1/programs/{programId}",
    kind: "merchant",
    probe: () => ({ path: `/v1/programs/${A.programId}` }),
    crossMerchant: async (token) => expectNotFound(await h.call("GET", `/v1/programs/${A.programId}`, { token }), "program"),
  },
  {
    method: "PATCH",
    path: "/v1/programs/{programId}",
    kind: "merchant",
    probe: () => ({ path: `/v1/programs/${A.programId}`, body: { holdDays: 1 } }),
    crossMerchant: async (token) =>
      expectNotFound(
        await h.call("PATCH", `/v1/programs/${A.programId}`, { token, body: { holdDays: 0, status: "paused" } }),
        "patch program",
      ),
  },
  {
    method: "GET",
    path: "/v1/programs/{programId}/plans",
    kind: "merchant",
    probe: () => ({ path: `/v1/programs/${A.programId}/plans` }),
    crossMerchant: async (token) => expectNotFound(await h.call("GET", `/v1/programs/${A.programId}/plans`, { token }), "plans"),
  },
  {
    method: "POST",
    path: "/v1/programs/{programId}/plans",
    kind: "merchant",
    probe: () => ({ path: `/v1/programs/${A.programId}/plans`, body: { document: { version: 1 } } }),
    crossMerchant: async (token) =>
      expectNotFound(
        await h.call("POST", `/v1/programs/${A.programId}/plans`, {
          token,
          body: { document: { version: 1, base: { defaultRateBps: 9000 } } },
        }),
        "draft plan",
      ),
  },
  {
    method: "GET",
    path: "/v1/programs/{programId}/plans/{version}",
    kind: "merchant",
    probe: () => ({ path: `/v1/programs/${A.programId}/plans/1` }),
    crossMerchant: async (token) => {
      expectNotFound(await h.call("GET", `/v1/programs/${A.programId}/plans/1`, { token }), "plan v1");
      // B's own program with A's version number shows B's plan, not A's draft.
      const r = await ok("GET", `/v1/programs/${B.programId}/plans/1`, token);
      expect(r.body.document.base.defaultRateBps).toBe(1000);
      expectNotFound(await h.call("GET", `/v1/programs/${B.programId}/plans/${aDraftVersion}`, { token }), "B has no v2");
    },
  },
  {
    method: "POST",
    path: "/v1/programs/{programId}/plans/lint",
    kind: "merchant",
    probe: () => ({ path: `/v1/programs/${A.programId}/plans/lint`, body: { document: { version: 1 } } }),
    crossMerchant: async (token) =>
      expectNotFound(await h.call("POST", `/v1/programs/${A.programId}/plans/lint`, { token, body: { document: { version: 1 } } }), "lint"),
  },
  {
    method: "POST",
    path: "/v1/programs/{programId}/plans/{version}/publish",
    kind: "merchant",
    probe: () => ({ path: `/v1/programs/${A.programId}/plans/${aDraftVersion}/publish`, body: {} }),
    crossMerchant: async (token) =>
      expectNotFound(
        await h.call("POST", `/v1/programs/${A.programId}/plans/${aDraftVersion}/publish`, {
          token,
          body: { effectiveFrom: "2020-01-01T00:00:00Z" },
        }),
        "publish",
      ),
  },
  {
    method: "POST",
    path: "/v1/programs/{programId}/plans/{version}/publish-preview",
    kind: "merchant",
    probe: () => ({ path: `/v1/programs/${A.programId}/plans/${aDraftVersion}/publish-preview`, body: {} }),
    crossMerchant: async (token) =>
      expectNotFound(
        await h.call("POST", `/v1/programs/${A.programId}/plans/${aDraftVersion}/publish-preview`, {
          token,
          body: { effectiveFrom: "2020-01-01T00:00:00Z" },
        }),
        "publish preview over A's history",
      ),
  },
  {
    method: "POST",
    path: "/v1/programs/{programId}/simulate",
    kind: "merchant",
    probe: () => ({ path: `/v1/programs/${A.programId}/simulate`, body: { document: { version: 1 } } }),
    crossMerchant: async (token) =>
      expectNotFound(
        await h.call("POST", `/v1/programs/${A.programId}/simulate`, {
          token,
          body: { document: { version: 1, base: { defaultRateBps: 100 } } },
        }),
        "simulate over A's history",
      ),
  },
  {
    method: "GET",
    path: "/v1/programs/{programId}/experiment",
    kind: "merchant",
    probe: () => ({ path: `/v1/programs/${A.programId}/experiment` }),
    crossMerchant: async (token) =>
      expectNotFound(await h.call("GET", `/v1/programs/${A.programId}/experiment`, { token }), "experiment KPIs"),
  },
  {
    method: "GET",
    path: "/v1/programs/{programId}/periods",
    kind: "merchant",
    probe: () => ({ path: `/v1/programs/${A.programId}/periods` }),
    crossMerchant: async (token) => expectNotFound(await h.call("GET", `/v1/programs/${A.programId}/periods`, { token }), "periods"),
  },
  {
    method: "POST",
    path: "/v1/programs/{programId}/periods/{periodKey}/close",
    kind: "merchant",
    probe: () => ({ path: `/v1/programs/${A.programId}/periods/2026-02/close` }),
    crossMerchant: async (token) => {
      for (const period of ["2026-02", "2026-03"])
        expectNotFound(await h.call("POST", `/v1/programs/${A.programId}/periods/${period}/close`, { token }), "close A's period");
    },
  },
  {
    method: "POST",
    path: "/v1/contributions",
    kind: "merchant",
    probe: () => ({ path: "/v1/contributions", body: { programId: A.programId, promoterId: X.promoterId, type: "content_share" } }),
    crossMerchant: async (token) => {
      for (const programId of [A.programId, B.programId])
        expectNotFound(
          await h.call("POST", "/v1/contributions", { token, body: { programId, promoterId: X.promoterId, type: "content_share" } }),
          "contribution for A's promoter",
        );
    },
  },
  {
    method: "PUT",
    path: "/v1/categories",
    kind: "merchant",
    probe: () => ({ path: "/v1/categories", body: { items: [{ id: "A-CAT", name: "probe" }] } }),
    crossMerchant: async (token) => {
      await ok("PUT", "/v1/categories", token, { items: [{ id: "A-CAT", name: "overwritten by B" }] });
      const mine = await ok("GET", "/v1/categories", A.apiKey);
      expect(mine.body.items).toEqual([{ id: "A-CAT", name: "alpha-secret-category", parentId: null }]);
    },
  },
  {
    method: "GET",
    path: "/v1/categories",
    kind: "merchant",
    probe: () => ({ path: "/v1/categories" }),
    crossMerchant: async (token) => expectNoLeak((await ok("GET", "/v1/categories", token)).body, "GET /v1/categories"),
  },
  {
    method: "PUT",
    path: "/v1/products",
    kind: "merchant",
    probe: () => ({ path: "/v1/products", body: { items: [{ id: "A-SKU", name: "probe" }] } }),
    crossMerchant: async (token) => {
      await ok("PUT", "/v1/products", token, { items: [{ id: "A-SKU", name: "overwritten by B", categoryId: "A-CAT" }] });
      const mine = await ok("GET", "/v1/products", A.apiKey);
      expect(mine.body.items.map((p: { name: string }) => p.name)).toEqual(["alpha-secret-product"]);
    },
  },
  {
    method: "GET",
    path: "/v1/products",
    kind: "merchant",
    probe: () => ({ path: "/v1/products" }),
    crossMerchant: async (token) => expectNoLeak((await ok("GET", "/v1/products", token)).body, "GET /v1/products"),
  },
  {
    method: "POST",
    path: "/v1/promoters",
    kind: "merchant",
    probe: () => ({ path: "/v1/promoters", body: { programId: A.programId, name: "probe" } }),
    crossMerchant: async (token) => {
      expectNotFound(await h.call("POST", "/v1/promoters", { token, body: { programId: A.programId, name: "Mallory" } }), "add to A");
      const r = await h.call("POST", "/v1/promoters", { token, body: { programId: B.programId, name: "Mallory", inviteCode: X.code } });
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe("INVITE_CODE_UNKNOWN");
    },
  },
  {
    method: "GET",
    path: "/v1/promoters",
    kind: "merchant",
    probe: () => ({ path: "/v1/promoters" }),
    crossMerchant: async (token) => {
      expect((await ok("GET", `/v1/promoters?programId=${A.programId}`, token)).body.items).toEqual([]);
      const all = await ok("GET", "/v1/promoters", token);
      expect(all.body.items.map((p: { promoterId: string }) => p.promoterId)).toContain(W.promoterId);
      expectNoLeak(all.body, "GET /v1/promoters");
    },
  },
  {
    method: "GET",
    path: "/v1/promoters/{promoterId}",
    kind: "merchant",
    probe: () => ({ path: `/v1/promoters/${X.promoterId}?programId=${A.programId}` }),
    crossMerchant: async (token) => {
      expectNotFound(await h.call("GET", `/v1/promoters/${X.promoterId}?programId=${A.programId}`, { token }), "promoter in A");
      expectNotFound(await h.call("GET", `/v1/promoters/${X.promoterId}?programId=${B.programId}`, { token }), "promoter via B");
    },
  },
  {
    method: "PATCH",
    path: "/v1/promoters/{promoterId}",
    kind: "merchant",
    probe: () => ({ path: `/v1/promoters/${X.promoterId}`, body: { programId: A.programId, status: "suspended" } }),
    crossMerchant: async (token) => {
      for (const programId of [A.programId, B.programId]) {
        expectNotFound(
          await h.call("PATCH", `/v1/promoters/${X.promoterId}`, { token, body: { programId, status: "suspended", rank: "gold" } }),
          "suspend A's promoter",
        );
      }
    },
  },
  {
    method: "GET",
    path: "/v1/promoters/export.csv",
    kind: "merchant",
    probe: () => ({ path: "/v1/promoters/export.csv" }),
    crossMerchant: async (token) => {
      const r = await ok("GET", `/v1/promoters/export.csv?programId=${A.programId}`, token);
      expect(String(r.body).trim().split("\n")).toHaveLength(1);
      const all = await ok("GET", "/v1/promoters/export.csv", token);
      expect(String(all.body)).toContain(W.promoterId);
      expectNoLeak(all.body, "GET /v1/promoters/export.csv");
    },
  },
  {
    method: "GET",
    path: "/v1/promoters/{promoterId}/overview",
    kind: "merchant",
    probe: () => ({ path: `/v1/promoters/${X.promoterId}/overview?programId=${A.programId}` }),
    crossMerchant: async (token) => {
      for (const programId of [A.programId, B.programId])
        expectNotFound(await h.call("GET", `/v1/promoters/${X.promoterId}/overview?programId=${programId}`, { token }), "overview");
      // B's own promoter's chain never reaches into A
      const own = await ok("GET", `/v1/promoters/${W.promoterId}/overview?programId=${B.programId}`, token);
      expectNoLeak(own.body, "overview of B's promoter");
    },
  },
  {
    method: "GET",
    path: "/v1/promoters/{promoterId}/team",
    kind: "merchant",
    probe: () => ({ path: `/v1/promoters/${X.promoterId}/team?programId=${A.programId}` }),
    crossMerchant: async (token) => {
      expectNotFound(await h.call("GET", `/v1/promoters/${X.promoterId}/team?programId=${A.programId}`, { token }), "team");
      expectNotFound(await h.call("GET", `/v1/promoters/${X.promoterId}/team?programId=${B.programId}`, { token }), "team via B");
    },
  },
  {
    method: "GET",
    path: "/v1/promoters/applications",
    kind: "merchant",
    probe: () => ({ path: "/v1/promoters/applications" }),
    crossMerchant: async (token) => {
      await aApplication();
      const mine = await ok("GET", `/v1/promoters/applications?programId=${A.programId}`, token);
      expect(mine.body).toMatchObject({ items: [], total: 0 });
      expectNoLeak((await ok("GET", "/v1/promoters/applications", token)).body, "GET /v1/promoters/applications");
    },
  },
  {
    method: "POST",
    path: "/v1/promoters/applications/{applicationId}/approve",
    kind: "merchant",
    probe: () => ({ path: "/v1/promoters/applications/app_probe/approve", body: {} }),
    crossMerchant: async (token, label) => {
      const id = await aApplication();
      expectNotFound(await h.call("POST", `/v1/promoters/applications/${id}/approve`, { token, body: {} }), `${label} approves A's`);
    },
  },
  {
    method: "POST",
    path: "/v1/promoters/applications/{applicationId}/reject",
    kind: "merchant",
    probe: () => ({ path: "/v1/promoters/applications/app_probe/reject", body: { reason: "probe" } }),
    crossMerchant: async (token, label) => {
      const id = await aApplication();
      expectNotFound(
        await h.call("POST", `/v1/promoters/applications/${id}/reject`, { token, body: { reason: "no" } }),
        `${label} rejects A's`,
      );
      const [row] = await h.db.read((q) => q.query<{ status: string }>("SELECT status FROM promoter_applications WHERE id = $1", [id]));
      expect(row?.status).toBe("pending");
    },
  },
  {
    method: "GET",
    path: "/v1/links",
    kind: "merchant",
    probe: () => ({ path: "/v1/links" }),
    crossMerchant: async (token) => {
      expect((await ok("GET", `/v1/links?programId=${A.programId}`, token)).body.items).toEqual([]);
      const all = await ok("GET", "/v1/links", token);
      expect(all.body.items.length).toBeGreaterThan(0);
      expectNoLeak(all.body, "GET /v1/links");
    },
  },
  {
    method: "POST",
    path: "/v1/customers",
    kind: "merchant",
    probe: () => ({ path: "/v1/customers", body: { customerRef: "probe" } }),
    crossMerchant: async (token, label) => {
      // A referring customer that exists only at A is unknown to B.
      const ref = await h.call("POST", "/v1/customers", {
        token,
        body: { programId: B.programId, customerRef: `b-new-${label}`, referrerCustomerRef: "a-cust-2" },
      });
      expectNotFound(ref, "referrer from A");
      // A's customer reference, A's promoter code and A's click token mean nothing at B: a new B customer, unbound.
      const r = await h.call("POST", "/v1/customers", {
        token,
        body: { programId: B.programId, customerRef: "a-cust-1", phone: "13000000000", promoCode: X.code, clickToken: aClickToken },
        headers: label.includes("key") ? { "idempotency-key": SHARED_KEY } : {},
      });
      expect([200, 201]).toContain(r.status);
      expect(r.body.promoterId).toBeNull();
      expectNoLeak(r.body, "POST /v1/customers");
    },
  },
  {
    method: "POST",
    path: "/v1/customers/{customerRef}/community-joins",
    kind: "merchant",
    probe: () => ({ path: "/v1/customers/a-cust-1/community-joins", body: {} }),
    crossMerchant: async (token) => {
      expectNotFound(
        await h.call("POST", "/v1/customers/a-cust-1/community-joins", { token, body: { programId: A.programId, promoCode: X.code } }),
        "community join into A's program",
      );
      // A's customer reference, code and click token at B: B's own customer, attributed to nobody, no reward.
      const r = await h.call("POST", "/v1/customers/a-cust-4/community-joins", {
        token,
        body: { programId: B.programId, promoCode: X.code, clickToken: aClickToken, community: "群" },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.promoterId).toBeNull();
      expect(r.body.rewards).toEqual([]);
      expectNoLeak(r.body, "POST community-joins");
    },
  },
  {
    method: "GET",
    path: "/v1/customers",
    kind: "merchant",
    probe: () => ({ path: "/v1/customers" }),
    crossMerchant: async (token) => {
      expect(
        (await ok("GET", `/v1/customers?programId=${A.programId}`, token)).body.items.every(
          (c: { programId: string | null }) => c.programId === null,
        ),
      ).toBe(true);
      expectNoLeak((await ok("GET", "/v1/customers", token)).body, "GET /v1/customers");
    },
  },
  {
    method: "GET",
    path: "/v1/customers/{customerId}",
    kind: "merchant",
    probe: () => ({ path: `/v1/customers/${aCustomerId}` }),
    crossMerchant: async (token) => expectNotFound(await h.call("GET", `/v1/customers/${aCustomerId}`, { token }), "A's customer"),
  },
  {
    method: "POST",
    path: "/v1/customers/{customerId}/reveal",
    kind: "merchant",
    probe: () => ({ path: `/v1/customers/${aCustomerId}/reveal` }),
    crossMerchant: async (token) => {
      const before = await rows("SELECT id FROM audit_log WHERE action = 'customer.reveal'");
      expectNotFound(await h.call("POST", `/v1/customers/${aCustomerId}/reveal`, { token }), "reveal A's customer");
      expect(await rows("SELECT id FROM audit_log WHERE action = 'customer.reveal'")).toHaveLength(before.length);
    },
  },
  {
    method: "POST",
    path: "/v1/promoters/{promoterId}/reveal",
    kind: "merchant",
    probe: () => ({ path: `/v1/promoters/${X.promoterId}/reveal`, body: { programId: A.programId } }),
    crossMerchant: async (token) => {
      for (const programId of [A.programId, B.programId])
        expectNotFound(await h.call("POST", `/v1/promoters/${X.promoterId}/reveal`, { token, body: { programId } }), "reveal A's promoter");
    },
  },
  {
    method: "GET",
    path: "/v1/programs/{programId}/effective-rates",
    kind: "merchant",
    probe: () => ({ path: `/v1/programs/${A.programId}/effective-rates` }),
    crossMerchant: async (token) => {
      expectNotFound(await h.call("GET", `/v1/programs/${A.programId}/effective-rates`, { token }), "A's rates");
      const own = await ok("GET", `/v1/programs/${B.programId}/effective-rates?kind=category`, token);
      expectNoLeak(own.body, "GET effective-rates");
      expect(JSON.stringify(own.body)).not.toContain("alpha-secret");
    },
  },
  {
    method: "GET",
    path: "/v1/customers/export.csv",
    kind: "merchant",
    probe: () => ({ path: "/v1/customers/export.csv" }),
    crossMerchant: async (token) => {
      const r = await ok("GET", `/v1/customers/export.csv?programId=${A.programId}`, token);
      expect(String(r.body)).not.toContain(A.programId);
      expectNoLeak((await ok("GET", "/v1/customers/export.csv", token)).body, "GET /v1/customers/export.csv");
    },
  },
  {
    method: "POST",
    path: "/v1/orders",
    kind: "merchant",
    probe: () => ({ path: "/v1/orders", body: validOrder() }),
    crossMerchant: async (token, label) => {
      // A's orderRef, customer, promoter code and click token, sent by B: a new B order attributed to nobody.
      // With the API key, B also reuses A's Idempotency-Key: B gets a fresh effect, not A's response and not a 409.
      const byKey = label.includes("key");
      const ref = byKey ? "A-O-1" : "A-O-2";
      const r = await h.call("POST", "/v1/orders", {
        token,
        body: {
          ...order(ref, { ref: "a-cust-2", phone: "13000000002" }, { promoCode: X.code, clickToken: aClickToken }),
          programId: B.programId,
        },
        headers: byKey ? { "idempotency-key": SHARED_KEY } : {},
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.headers.get("idempotent-replayed")).toBe("false");
      expect(r.body.orderRef).toBe(ref);
      expect(r.body.promoterId).toBeNull();
      expect(r.body.commissions).toEqual([]);
      expectNoLeak({ ...r.body, orderRef: null }, "POST /v1/orders");
      // … and A's program cannot be named.
      expectNotFound(
        await h.call("POST", "/v1/orders", {
          token,
          body: { ...order("B-X-1", { ref: "b-x", phone: "13000000003" }), programId: A.programId },
        }),
        "order into A's program",
      );
    },
  },
  {
    method: "POST",
    path: "/v1/orders/batch",
    kind: "merchant",
    probe: () => ({ path: "/v1/orders/batch", body: { orders: [{ ...validOrder(), orderRef: "PROBE-B-1" }] } }),
    crossMerchant: async (token, label) => {
      // A's customer and promoter code, sent by B in a batch: a fresh B order attributed to nobody (orderRefs and keys: as
      // in POST /v1/orders, same scope and code path); A's program: not found.
      const ref = label.includes("key") ? "B-BATCH-1" : "B-BATCH-2";
      const r = await h.call("POST", "/v1/orders/batch", {
        token,
        body: {
          orders: [
            {
              ...order(ref, { ref: "a-cust-3", phone: "13000000004" }, { promoCode: X.code }),
              programId: B.programId,
              idempotencyKey: `batch-${label}`,
            },
            { ...order(`${ref}-X`, { ref: "b-x2", phone: "13000000005" }), programId: A.programId },
          ],
        },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const [mine, theirs] = r.body.results;
      expect(mine.status, JSON.stringify(mine)).toBe(201);
      expect(mine.replayed).toBe(false);
      expect(mine.order.promoterId).toBeNull();
      expect(mine.order.commissions).toEqual([]);
      expectNoLeak({ ...mine.order, orderRef: null }, "POST /v1/orders/batch");
      expect(theirs.status).toBe(404);
      expect(theirs.error.code).toBe("NOT_FOUND");
    },
  },
  {
    method: "POST",
    path: "/v1/orders/{orderRef}/refunds",
    kind: "merchant",
    probe: () => ({ path: "/v1/orders/A-O-6/refunds", body: { amountMinor: 1 } }),
    crossMerchant: async (token) => {
      expectNotFound(await h.call("POST", "/v1/orders/A-O-6/refunds", { token, body: { amountMinor: 1 } }), "refund");
      expectNotFound(
        await h.call("POST", "/v1/orders/A-O-6/refunds", { token, body: { lines: [{ lineNo: 1, amountMinor: 1 }] } }),
        "refund",
      );
    },
  },
  {
    method: "POST",
    path: "/v1/orders/{orderRef}/complete",
    kind: "merchant",
    probe: () => ({ path: "/v1/orders/A-O-6/complete", body: {} }),
    crossMerchant: async (token) => expectNotFound(await h.call("POST", "/v1/orders/A-O-6/complete", { token, body: {} }), "complete"),
  },
  {
    method: "POST",
    path: "/v1/orders/{orderRef}/cancel",
    kind: "merchant",
    probe: () => ({ path: "/v1/orders/A-O-6/cancel", body: {} }),
    crossMerchant: async (token) =>
      expectNotFound(await h.call("POST", "/v1/orders/A-O-6/cancel", { token, body: { reason: "x" } }), "cancel"),
  },
  {
    method: "GET",
    path: "/v1/orders",
    kind: "merchant",
    probe: () => ({ path: "/v1/orders" }),
    crossMerchant: async (token) => {
      for (const q of [`promoterId=${X.promoterId}`, `programId=${A.programId}`]) {
        expect((await ok("GET", `/v1/orders?${q}`, token)).body.items).toEqual([]);
      }
      const all = await ok("GET", "/v1/orders?limit=200", token);
      expect(all.body.items.length).toBeGreaterThan(0);
      expectNoLeak(all.body, "GET /v1/orders");
    },
  },
  {
    method: "GET",
    path: "/v1/orders/{orderRef}",
    kind: "merchant",
    probe: () => ({ path: "/v1/orders/A-O-6" }),
    crossMerchant: async (token) => {
      for (const ref of ["A-O-3", "A-O-4", "A-O-5", "A-O-6"]) expectNotFound(await h.call("GET", `/v1/orders/${ref}`, { token }), ref);
    },
  },
  {
    method: "GET",
    path: "/v1/orders/export.csv",
    kind: "merchant",
    probe: () => ({ path: "/v1/orders/export.csv" }),
    crossMerchant: async (token) => {
      for (const q of [`promoterId=${X.promoterId}`, `programId=${A.programId}`, "orderRef=A-O-6"]) {
        const r = await ok("GET", `/v1/orders/export.csv?${q}`, token);
        expect(String(r.body).trim().split("\n"), q).toHaveLength(1); // the header only
      }
      const all = await ok("GET", "/v1/orders/export.csv", token);
      expect(String(all.body).split("\n").length).toBeGreaterThan(2);
      expectNoLeak(all.body, "GET /v1/orders/export.csv");
    },
  },
  {
    method: "GET",
    path: "/v1/orders/{orderRef}/detail",
    kind: "merchant",
    probe: () => ({ path: "/v1/orders/A-O-6/detail" }),
    crossMerchant: async (token) => {
      for (const ref of ["A-O-3", "A-O-4", "A-O-5", "A-O-6"])
        expectNotFound(await h.call("GET", `/v1/orders/${ref}/detail`, { token }), `${ref} detail`);
    },
  },
  {
    method: "GET",
    path: "/v1/commissions/export.csv",
    kind: "merchant",
    probe: () => ({ path: "/v1/commissions/export.csv" }),
    crossMerchant: async (token) => {
      for (const q of [`promoterId=${X.promoterId}`, "orderRef=A-O-6", `programId=${A.programId}`]) {
        const r = await ok("GET", `/v1/commissions/export.csv?${q}`, token);
        expect(String(r.body).trim().split("\n"), q).toHaveLength(1);
      }
      expectNoLeak((await ok("GET", "/v1/commissions/export.csv", token)).body, "GET /v1/commissions/export.csv");
    },
  },
  {
    method: "GET",
    path: "/v1/commissions",
    kind: "merchant",
    probe: () => ({ path: "/v1/commissions" }),
    crossMerchant: async (token) => {
      for (const q of [`promoterId=${X.promoterId}`, `promoterId=${Y.promoterId}`, "orderRef=A-O-6", `programId=${A.programId}`]) {
        expect((await ok("GET", `/v1/commissions?${q}`, token)).body.items, q).toEqual([]);
      }
      const all = await ok("GET", "/v1/commissions?limit=200", token);
      expect(all.body.items.length).toBeGreaterThan(0);
      expectNoLeak(all.body, "GET /v1/commissions");
    },
  },
  {
    method: "GET",
    path: "/v1/balances",
    kind: "merchant",
    probe: () => ({ path: `/v1/balances?promoterId=${Y.promoterId}` }),
    crossMerchant: async (token) => {
      for (const p of [X, X2, Y, Y2]) expect((await ok("GET", `/v1/balances?promoterId=${p.promoterId}`, token)).body.balances).toEqual([]);
    },
  },
  {
    method: "GET",
    path: "/v1/ledger/transactions",
    kind: "merchant",
    probe: () => ({ path: `/v1/ledger/transactions?account=promoter:${Y.promoterId}:available` }),
    crossMerchant: async (token) => {
      for (const type of ["pending", "available"]) {
        const r = await ok("GET", `/v1/ledger/transactions?account=promoter:${Y.promoterId}:${type}`, token);
        expect(r.body.items).toEqual([]);
      }
      const r = await h.call("GET", `/v1/ledger/transactions?account=merchant:${A.merchantId}:commission_expense`, { token });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("VALIDATION_FAILED");
      expect(r.body.error.message).toContain("account");
      const own = await ok("GET", `/v1/ledger/transactions?account=merchant:${B.merchantId}:commission_expense`, token);
      expect(own.body.items.length).toBeGreaterThan(0);
      expectNoLeak(own.body, "B's own ledger");
    },
  },
  {
    method: "GET",
    path: "/v1/ledger/verify",
    kind: "merchant",
    probe: () => ({ path: "/v1/ledger/verify" }),
    crossMerchant: async (token) => {
      const r = await ok("GET", "/v1/ledger/verify", token);
      const [n] = await rows<{ n: number }>("SELECT count(*)::int AS n FROM ledger_transactions WHERE merchant_id = $1", [B.merchantId]);
      expect(r.body).toMatchObject({ ok: true, merchantId: B.merchantId, transactions: n?.n });
    },
  },
  // promoter portal
  {
    method: "POST",
    path: "/v1/me/memberships",
    kind: "promoter",
    probe: () => ({ path: "/v1/me/memberships", body: { merchantId: A.merchantId, programId: A.programId } }),
    crossPromoter: async () => {
      expectNotFound(
        await h.call("POST", "/v1/me/memberships", { token: W.token, body: { merchantId: A.merchantId, programId: B.programId } }),
        "B's program under A",
      );
      const code = await h.call("POST", "/v1/me/memberships", {
        token: W.token,
        body: { merchantId: A.merchantId, programId: A.programId, inviteCode: W.code },
      });
      expect(code.status).toBe(422);
      expect(code.body.error.code).toBe("INVITE_CODE_UNKNOWN");
      const again = await h.call("POST", "/v1/me/memberships", {
        token: X.token,
        body: { merchantId: A.merchantId, programId: A.programId },
      });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe("ALREADY_MEMBER");
    },
  },
  {
    method: "GET",
    path: "/v1/me/memberships",
    kind: "promoter",
    probe: () => ({ path: "/v1/me/memberships" }),
    crossPromoter: async () => {
      const x = await ok("GET", "/v1/me/memberships", X.token);
      expect(x.body.items.map((m: { code: string }) => m.code)).toEqual([X.code]);
      const x2 = await ok("GET", "/v1/me/memberships", X2.token);
      expect(x2.body.items).toMatchObject([{ code: X2.code, inviterId: X.promoterId }]);
      const w = await ok("GET", "/v1/me/memberships", W.token);
      expect(w.body.items.map((m: { merchantId: string }) => m.merchantId)).toEqual([B.merchantId]);
      expectNoLeak(w.body, "W's memberships");
    },
  },
  {
    method: "GET",
    path: "/v1/me/team",
    kind: "promoter",
    probe: () => ({ path: `/v1/me/team?merchantId=${A.merchantId}&programId=${A.programId}` }),
    crossPromoter: async () => {
      const q = `merchantId=${A.merchantId}&programId=${A.programId}`;
      expect((await ok("GET", `/v1/me/team?${q}`, X.token)).body.items.map((m: { promoterId: string }) => m.promoterId)).toEqual([
        X2.promoterId,
      ]);
      expect((await ok("GET", `/v1/me/team?${q}`, Y.token)).body.items.map((m: { promoterId: string }) => m.promoterId)).toEqual([
        Y2.promoterId,
      ]);
      expect((await ok("GET", `/v1/me/team?${q}`, X2.token)).body.items).toEqual([]);
      expectNotFound(await h.call("GET", `/v1/me/team?${q}`, { token: W.token }), "W reads a team at A");
      expectNotFound(await h.call("GET", `/v1/me/team?merchantId=${B.merchantId}&programId=${B.programId}`, { token: X.token }), "X at B");
    },
  },
  {
    method: "GET",
    path: "/v1/me/applications",
    kind: "promoter",
    probe: () => ({ path: "/v1/me/applications" }),
    crossPromoter: async () => {
      await aApplication();
      expect((await ok("GET", "/v1/me/applications", X.token)).body.items).toEqual([]);
      expect((await ok("GET", "/v1/me/applications", W.token)).body.items).toEqual([]);
    },
  },
  {
    method: "GET",
    path: "/v1/me/earnings",
    kind: "promoter",
    probe: () => ({ path: `/v1/me/earnings?merchantId=${A.merchantId}&programId=${A.programId}` }),
    crossPromoter: async () => {
      const q = `merchantId=${A.merchantId}&programId=${A.programId}`;
      expect((await ok("GET", `/v1/me/earnings?${q}`, X.token)).body.currency).toBe("CNY");
      expectNotFound(await h.call("GET", `/v1/me/earnings?${q}`, { token: W.token }), "W reads earnings at A");
    },
  },
  {
    method: "GET",
    path: "/v1/me/products",
    kind: "promoter",
    probe: () => ({ path: `/v1/me/products?programId=${A.programId}` }),
    crossPromoter: async () => {
      expect((await ok("GET", `/v1/me/products?programId=${A.programId}`, X.token)).body.items.map((p: { id: string }) => p.id)).toContain(
        "A-SKU",
      );
      expectNotFound(await h.call("GET", `/v1/me/products?programId=${A.programId}`, { token: W.token }), "W lists A's products");
      expectNotFound(
        await h.call("GET", `/v1/me/products?programId=${A.programId}&merchantId=${A.merchantId}`, { token: W.token }),
        "W lists A's products by merchant",
      );
      expectNoLeak((await ok("GET", `/v1/me/products?programId=${B.programId}`, W.token)).body, "W's products");
    },
  },
  {
    method: "GET",
    path: "/v1/me/posters/{productId}",
    kind: "promoter",
    probe: () => ({ path: `/v1/me/posters/A-SKU?programId=${A.programId}` }),
    crossPromoter: async () => {
      expectNotFound(await h.call("GET", `/v1/me/posters/A-SKU?programId=${A.programId}`, { token: W.token }), "W's poster at A");
      expectNotFound(
        await h.call("GET", `/v1/me/posters/A-SKU?programId=${A.programId}&merchantId=${A.merchantId}`, { token: W.token }),
        "W's poster at A by merchant",
      );
    },
  },
  {
    method: "POST",
    path: "/v1/me/links",
    kind: "promoter",
    probe: () => ({ path: "/v1/me/links", body: { merchantId: A.merchantId, programId: A.programId } }),
    crossPromoter: async () => {
      expectNotFound(
        await h.call("POST", "/v1/me/links", { token: W.token, body: { merchantId: A.merchantId, programId: A.programId } }),
        "W link at A",
      );
      expectNotFound(
        await h.call("POST", "/v1/me/links", { token: X.token, body: { merchantId: B.merchantId, programId: B.programId } }),
        "X link at B",
      );
      expectNotFound(
        await h.call("POST", "/v1/me/links", {
          token: X.token,
          body: { merchantId: A.merchantId, programId: A.programId, productId: "B-SKU" },
        }),
        "X link to B's product",
      );
      // Asking again returns X's own link, never anyone else's.
      const again = await ok("POST", "/v1/me/links", X.token, { merchantId: A.merchantId, programId: A.programId });
      expect(again.body.code).toBe(aLinks.x);
    },
  },
  {
    method: "GET",
    path: "/v1/me/links",
    kind: "promoter",
    probe: () => ({ path: `/v1/me/links?merchantId=${A.merchantId}&programId=${A.programId}` }),
    crossPromoter: async () => {
      const q = `merchantId=${A.merchantId}&programId=${A.programId}`;
      expect((await ok("GET", `/v1/me/links?${q}`, X.token)).body.items.map((l: { code: string }) => l.code)).toEqual([aLinks.x]);
      expect((await ok("GET", `/v1/me/links?${q}`, Y.token)).body.items.map((l: { code: string }) => l.code)).toEqual([aLinks.y]);
      expect((await ok("GET", `/v1/me/links?${q}`, W.token)).body.items).toEqual([]);
    },
  },
  {
    method: "GET",
    path: "/v1/me/customers",
    kind: "promoter",
    probe: () => ({ path: `/v1/me/customers?merchantId=${A.merchantId}&programId=${A.programId}` }),
    crossPromoter: async () => {
      const q = `merchantId=${A.merchantId}&programId=${A.programId}`;
      const bound = async (p: Promoter) =>
        (
          await rows<{ id: string }>(
            "SELECT customer_id AS id FROM bindings WHERE merchant_id = $1 AND program_id = $2 AND promoter_id = $3 ORDER BY customer_id",
            [A.merchantId, A.programId, p.promoterId],
          )
        ).map((r) => r.id);
      for (const p of [X, X2, Y, Y2]) {
        const r = await ok("GET", `/v1/me/customers?${q}`, p.token);
        const ids = r.body.items.map((c: { id: string }) => c.id).sort();
        expect(ids).toEqual(await bound(p));
        expect(ids.length).toBeGreaterThan(0);
      }
      expectNotFound(await h.call("GET", `/v1/me/customers?${q}`, { token: W.token }), "W reads A's customers");
    },
  },
  {
    method: "GET",
    path: "/v1/me/orders",
    kind: "promoter",
    probe: () => ({ path: `/v1/me/orders?merchantId=${A.merchantId}` }),
    crossPromoter: async () => {
      const mine = async (p: Promoter) =>
        (
          await rows<{ id: string }>("SELECT id FROM orders WHERE merchant_id = $1 AND promoter_id = $2 ORDER BY id", [
            A.merchantId,
            p.promoterId,
          ])
        ).map((r) => r.id);
      for (const p of [X, X2, Y, Y2]) {
        const r = await ok("GET", `/v1/me/orders?merchantId=${A.merchantId}`, p.token);
        expect(r.body.items.map((o: { id: string }) => o.id).sort()).toEqual(await mine(p));
      }
      expect((await ok("GET", `/v1/me/orders?merchantId=${A.merchantId}`, W.token)).body.items).toEqual([]);
    },
  },
  {
    method: "GET",
    path: "/v1/me/commissions",
    kind: "promoter",
    probe: () => ({ path: `/v1/me/commissions?merchantId=${A.merchantId}` }),
    crossPromoter: async () => {
      for (const p of [X, X2, Y, Y2]) {
        const r = await ok("GET", `/v1/me/commissions?merchantId=${A.merchantId}&limit=200`, p.token);
        const [n] = await rows<{ n: number }>(
          "SELECT count(*)::int AS n FROM commission_lines WHERE merchant_id = $1 AND beneficiary_id = $2",
          [A.merchantId, p.promoterId],
        );
        expect(r.body.items.length).toBe(n?.n);
        expect(r.body.items.length).toBeGreaterThan(0);
        expect(r.body.items.every((c: { beneficiaryId: string }) => c.beneficiaryId === p.promoterId)).toBe(true);
      }
      // Filtering by another promoter's order shows only my own lines on it (X is the upline of X2's A-O-1; Y has none there).
      const y = await ok("GET", `/v1/me/commissions?merchantId=${A.merchantId}&orderRef=A-O-1`, Y.token);
      expect(y.body.items).toEqual([]);
      expect((await ok("GET", `/v1/me/commissions?merchantId=${A.merchantId}`, W.token)).body.items).toEqual([]);
    },
  },
  {
    method: "GET",
    path: "/v1/me/balances",
    kind: "promoter",
    probe: () => ({ path: `/v1/me/balances?merchantId=${A.merchantId}` }),
    crossPromoter: async () => {
      for (const p of [X, Y]) {
        const r = await ok("GET", `/v1/me/balances?merchantId=${A.merchantId}`, p.token);
        expect(r.body.promoterId).toBe(p.promoterId);
        const m = await ok("GET", `/v1/balances?promoterId=${p.promoterId}`, A.apiKey);
        expect(r.body.balances).toEqual(m.body.balances);
      }
      const x = (await ok("GET", `/v1/me/balances?merchantId=${A.merchantId}`, X.token)).body.balances[0];
      const y = (await ok("GET", `/v1/me/balances?merchantId=${A.merchantId}`, Y.token)).body.balances[0];
      expect(x.availableMinor).toBe(0);
      expect(y.availableMinor).toBeGreaterThan(0);
      expect((await ok("GET", `/v1/me/balances?merchantId=${A.merchantId}`, W.token)).body.balances).toEqual([]);
    },
  },
  {
    method: "GET",
    path: "/v1/me/ledger",
    kind: "promoter",
    probe: () => ({ path: `/v1/me/ledger?merchantId=${A.merchantId}` }),
    crossPromoter: async () => {
      const seqs = async (p: Promoter, type: string) =>
        (
          await rows<{ seq: number }>(
            "SELECT tx_seq AS seq FROM ledger_postings WHERE merchant_id = $1 AND account = $2 ORDER BY tx_seq DESC",
            [A.merchantId, `promoter:${p.promoterId}:${type}`],
          )
        ).map((r) => Number(r.seq));
      for (const p of [X, Y])
        for (const type of ["pending", "available"]) {
          const r = await ok("GET", `/v1/me/ledger?merchantId=${A.merchantId}&type=${type}&limit=200`, p.token);
          expect(r.body.items.map((t: { seq: number }) => t.seq)).toEqual(await seqs(p, type));
        }
      expect((await ok("GET", `/v1/me/ledger?merchantId=${A.merchantId}&type=available`, X.token)).body.items).toEqual([]);
      expect((await ok("GET", `/v1/me/ledger?merchantId=${A.merchantId}&type=available`, Y.token)).body.items.length).toBeGreaterThan(0);
      expect((await ok("GET", `/v1/me/ledger?merchantId=${A.merchantId}&type=pending`, W.token)).body.items).toEqual([]);
    },
  },
  {
    method: "GET",
    path: "/v1/me/statements",
    kind: "promoter",
    probe: () => ({ path: `/v1/me/statements?month=${MONTH}` }),
    crossPromoter: async () => {
      for (const p of [X, Y]) {
        const r = await ok("GET", `/v1/me/statements?month=${MONTH}`, p.token);
        expect(r.body.items.map((d: { merchant: { id: string } }) => d.merchant.id)).toEqual([A.merchantId]);
        expect(r.body.items.every((d: { promoter: { id: string } }) => d.promoter.id === p.promoterId)).toBe(true);
        expect(JSON.stringify(r.body)).not.toContain((p === X ? Y : X).promoterId);
      }
      const w = await ok("GET", `/v1/me/statements?month=${MONTH}`, W.token);
      expect(w.body.items.map((d: { merchant: { id: string } }) => d.merchant.id)).toEqual([B.merchantId]);
      expectNoLeak(w.body, "W's statements");
    },
  },
  {
    method: "GET",
    path: "/v1/me/statements/{file}",
    kind: "promoter",
    probe: () => ({ path: `/v1/me/statements/${MONTH}.csv?merchantId=${A.merchantId}` }),
    crossPromoter: async () => {
      for (const ext of ["csv", "pdf"])
        expectNotFound(
          await h.call("GET", `/v1/me/statements/${MONTH}.${ext}?merchantId=${A.merchantId}`, { token: W.token }),
          `W's ${ext} statement at A`,
        );
      const x = await ok("GET", `/v1/me/statements/${MONTH}.csv?merchantId=${A.merchantId}`, X.token);
      expect(x.body).toContain(X.promoterId);
      expect(x.body).not.toContain(Y.promoterId);
    },
  },
  {
    method: "GET",
    path: "/v1/me/analytics",
    kind: "promoter",
    probe: () => ({ path: `/v1/me/analytics?merchantId=${A.merchantId}&programId=${A.programId}` }),
    crossPromoter: async () => {
      expectNotFound(
        await h.call("GET", `/v1/me/analytics?merchantId=${A.merchantId}&programId=${A.programId}`, { token: W.token }),
        "W's figures at A",
      );
      expectNotFound(
        await h.call("GET", `/v1/me/analytics?merchantId=${A.merchantId}&programId=${B.programId}`, { token: W.token }),
        "W's program under A",
      );
      const x = await ok("GET", `/v1/me/analytics?merchantId=${A.merchantId}&programId=${A.programId}`, X.token);
      const y = await ok("GET", `/v1/me/analytics?merchantId=${A.merchantId}&programId=${A.programId}`, Y.token);
      expect(x.body).not.toEqual(y.body);
      expect(JSON.stringify(x.body)).not.toContain(Y.promoterId);
    },
  },
  {
    method: "POST",
    path: "/v1/me/reveal",
    kind: "promoter",
    probe: () => ({ path: "/v1/me/reveal" }),
    crossPromoter: async () => {
      // each promoter opens its own phone only
      for (const p of [X, Y, W]) expect((await ok("POST", "/v1/me/reveal", p.token)).body.promoterId).toBe(p.promoterId);
    },
  },
  // identity and payout accounts (person-level: one promoter's never shows to another, a merchant sees its own promoters')
  {
    method: "PUT",
    path: "/v1/me/identity",
    kind: "promoter",
    probe: () => ({ path: "/v1/me/identity", body: { legalName: "张三", idType: "cn_resident_id", idNumber: ID_P } }),
    crossPromoter: async () => {
      await ok("PUT", "/v1/me/identity", X.token, { legalName: "张三", idType: "cn_resident_id", idNumber: ID_P });
      const taken = await h.call("PUT", "/v1/me/identity", {
        token: W.token,
        body: { legalName: "王五", idType: "cn_resident_id", idNumber: ID_P },
      });
      expect(taken.status).toBe(409);
      expect(taken.body.error.code).toBe("IDENTITY_IN_USE");
      expect(JSON.stringify(taken.body)).not.toContain(ID_P);
      expect((await ok("GET", "/v1/me/identity", X.token)).body.identity.legalName).toBe("张*");
    },
  },
  {
    method: "GET",
    path: "/v1/me/identity",
    kind: "promoter",
    probe: () => ({ path: "/v1/me/identity" }),
    crossPromoter: async () => {
      await ok("PUT", "/v1/me/identity", X.token, { legalName: "张三", idType: "cn_resident_id", idNumber: ID_P });
      expect((await ok("GET", "/v1/me/identity", W.token)).body).toEqual({ identity: null });
      expect((await ok("GET", "/v1/me/identity", Y.token)).body).toEqual({ identity: null });
    },
  },
  {
    method: "POST",
    path: "/v1/me/payout-accounts",
    kind: "promoter",
    probe: () => ({ path: "/v1/me/payout-accounts", body: { kind: "bank", holderName: "张三", bankName: "招商银行", cardNumber: CARD_1 } }),
    crossPromoter: async () => {
      const mine = await ok("POST", "/v1/me/payout-accounts", X.token, { kind: "wechat", appid: APPID, openid: OPENID_1 }, [201, 409]);
      expect(mine.status === 201 || mine.body.error.code === "PAYOUT_ACCOUNT_EXISTS").toBe(true);
      // W adding the same account gets an account of its own, and sees none of X's
      const w = await ok("POST", "/v1/me/payout-accounts", W.token, { kind: "wechat", appid: APPID, openid: OPENID_1 }, [201, 409]);
      const ws = (await ok("GET", "/v1/me/payout-accounts", W.token)).body.items.map((a: { id: string }) => a.id);
      const xs = (await ok("GET", "/v1/me/payout-accounts", X.token)).body.items.map((a: { id: string }) => a.id);
      expect(ws.filter((id: string) => xs.includes(id))).toEqual([]);
      expect(w.status === 201 || w.body.error.code === "PAYOUT_ACCOUNT_EXISTS").toBe(true);
    },
  },
  {
    method: "GET",
    path: "/v1/me/payout-accounts",
    kind: "promoter",
    probe: () => ({ path: "/v1/me/payout-accounts" }),
    crossPromoter: async () => {
      await ok(
        "POST",
        "/v1/me/payout-accounts",
        X.token,
        { kind: "bank", holderName: "张三", bankName: "招商银行", cardNumber: CARD_1 },
        [201, 409],
      );
      // Y has only the account Y's withdrawal pays to
      expect((await ok("GET", "/v1/me/payout-accounts", Y.token)).body.items.map((a: { id: string }) => a.id)).toEqual([yAccount]);
      expect(JSON.stringify((await ok("GET", "/v1/me/payout-accounts", X.token)).body)).not.toContain(CARD_1);
    },
  },
  {
    method: "DELETE",
    path: "/v1/me/payout-accounts/{accountId}",
    kind: "promoter",
    probe: () => ({ path: "/v1/me/payout-accounts/pac_probe" }),
    crossPromoter: async () => {
      await ok(
        "POST",
        "/v1/me/payout-accounts",
        X.token,
        { kind: "bank", holderName: "张三", bankName: "招商银行", cardNumber: CARD_1 },
        [201, 409],
      );
      const [acc] = (await ok("GET", "/v1/me/payout-accounts", X.token)).body.items;
      for (const p of [W, Y]) {
        const r = await h.call("DELETE", `/v1/me/payout-accounts/${acc.id}`, { token: p.token });
        expect(r.status).toBe(404);
        expect(r.body.error.code).toBe("PAYOUT_ACCOUNT_NOT_FOUND");
      }
      expect((await ok("GET", "/v1/me/payout-accounts", X.token)).body.items.map((a: { id: string }) => a.id)).toContain(acc.id);
    },
  },
  {
    method: "GET",
    path: "/v1/promoters/{promoterId}/identity",
    kind: "merchant",
    probe: () => ({ path: `/v1/promoters/${X.promoterId}/identity` }),
    crossMerchant: async (token) => {
      await ok("PUT", "/v1/me/identity", X.token, { legalName: "张三", idType: "cn_resident_id", idNumber: ID_P });
      const r = await h.call("GET", `/v1/promoters/${X.promoterId}/identity`, { token });
      expectNotFound(r, "A's promoter's identity");
      expect(JSON.stringify(r.body)).not.toContain("张");
      expect((await ok("GET", `/v1/promoters/${W.promoterId}/identity`, token)).body.promoterId).toBe(W.promoterId);
    },
  },
  // withdrawals and money settings (merchant)
  {
    method: "GET",
    path: "/v1/programs/{programId}/money-settings",
    kind: "merchant",
    probe: () => ({ path: `/v1/programs/${A.programId}/money-settings` }),
    crossMerchant: async (token) => {
      expectNotFound(await h.call("GET", `/v1/programs/${A.programId}/money-settings`, { token }), "A's money settings");
    },
  },
  {
    method: "PATCH",
    path: "/v1/programs/{programId}/money-settings",
    kind: "merchant",
    probe: () => ({ path: `/v1/programs/${A.programId}/money-settings`, body: { tax: { method: "flat", rateBps: 100 } } }),
    crossMerchant: async (token) => {
      expectNotFound(
        await h.call("PATCH", `/v1/programs/${A.programId}/money-settings`, { token, body: { tax: { method: "flat", rateBps: 100 } } }),
        "change A's money settings",
      );
    },
  },
  {
    method: "GET",
    path: "/v1/withdrawals",
    kind: "merchant",
    probe: () => ({ path: "/v1/withdrawals" }),
    crossMerchant: async (token) => {
      const r = await ok("GET", `/v1/withdrawals?programId=${A.programId}`, token);
      expect(r.body).toMatchObject({ items: [], total: 0 });
      const all = await ok("GET", "/v1/withdrawals", token);
      expectNoLeak(all.body, "GET /v1/withdrawals");
    },
  },
  {
    method: "GET",
    path: "/v1/withdrawals/{withdrawalId}",
    kind: "merchant",
    probe: () => ({ path: `/v1/withdrawals/${aWithdrawal}` }),
    crossMerchant: async (token) => {
      expectNotFound(await h.call("GET", `/v1/withdrawals/${aWithdrawal}`, { token }), "A's withdrawal");
    },
  },
  ...(["approve", "reject"] as const).map(
    (action): Route => ({
      method: "POST",
      path: `/v1/withdrawals/{withdrawalId}/${action}`,
      kind: "merchant",
      probe: () => ({ path: `/v1/withdrawals/${aWithdrawal}/${action}`, body: action === "reject" ? { reason: "probe" } : {} }),
      crossMerchant: async (token) => {
        const body = action === "reject" ? { reason: "cross" } : {};
        expectNotFound(await h.call("POST", `/v1/withdrawals/${aWithdrawal}/${action}`, { token, body }), `${action} A's withdrawal`);
      },
    }),
  ),
  {
    method: "POST",
    path: "/v1/withdrawals/bulk",
    kind: "merchant",
    probe: () => ({ path: "/v1/withdrawals/bulk", body: { action: "approve", ids: [aWithdrawal] } }),
    crossMerchant: async (token) => {
      const r = await ok("POST", "/v1/withdrawals/bulk", token, { action: "reject", ids: [aWithdrawal], reason: "cross" });
      expect(r.body.results).toEqual([{ id: aWithdrawal, ok: false, error: { code: "NOT_FOUND", message: expect.any(String) } }]);
    },
  },
  {
    method: "POST",
    path: "/v1/promoters/{promoterId}/risk-flags",
    kind: "merchant",
    probe: () => ({ path: `/v1/promoters/${X.promoterId}/risk-flags`, body: { reason: "probe" } }),
    crossMerchant: async (token) => {
      expectNotFound(
        await h.call("POST", `/v1/promoters/${X.promoterId}/risk-flags`, { token, body: { reason: "cross" } }),
        "flag A's promoter",
      );
    },
  },
  {
    method: "POST",
    path: "/v1/promoters/{promoterId}/risk-flags/{flagId}/close",
    kind: "merchant",
    probe: () => ({ path: `/v1/promoters/${X2.promoterId}/risk-flags/${aFlag}/close` }),
    crossMerchant: async (token) => {
      expectNotFound(
        await h.call("POST", `/v1/promoters/${X2.promoterId}/risk-flags/${aFlag}/close`, { token, body: {} }),
        "close A's flag",
      );
    },
  },
  // withdrawals (promoter)
  {
    method: "GET",
    path: "/v1/me/wallet",
    kind: "promoter",
    probe: () => ({ path: "/v1/me/wallet" }),
    crossPromoter: async () => {
      const w = await ok("GET", "/v1/me/wallet", W.token);
      expect(w.body.merchants.map((m: { merchantId: string }) => m.merchantId)).toEqual([B.merchantId]);
      expectNoLeak(w.body, "W's wallet");
      const x = await ok("GET", "/v1/me/wallet", X.token);
      expect(x.body.merchants[0]).toMatchObject({ merchantId: A.merchantId, lockedMinor: 0, availableMinor: 0 });
    },
  },
  ...(["/v1/me/withdrawals/preview", "/v1/me/withdrawals"] as const).map(
    (path): Route => ({
      method: "POST",
      path,
      kind: "promoter",
      probe: () => ({ path, body: { programId: A.programId, amountMinor: 1_000, payoutAccountId: yAccount } }),
      crossPromoter: async () => {
        const body = { programId: A.programId, amountMinor: 1_000, payoutAccountId: yAccount };
        expectNotFound(await h.call("POST", path, { token: W.token, body }), "W withdraws from A");
        const x = await h.call("POST", path, { token: X.token, body });
        expect(x.status).toBe(404);
        expect(x.body.error.code).toBe("PAYOUT_ACCOUNT_NOT_FOUND");
      },
    }),
  ),
  {
    method: "GET",
    path: "/v1/me/withdrawals",
    kind: "promoter",
    probe: () => ({ path: "/v1/me/withdrawals" }),
    crossPromoter: async () => {
      expect((await ok("GET", "/v1/me/withdrawals", X.token)).body.items).toEqual([]);
      expect((await ok("GET", "/v1/me/withdrawals", W.token)).body.items).toEqual([]);
      expect((await ok("GET", "/v1/me/withdrawals", Y.token)).body.items.map((w: { id: string }) => w.id)).toEqual([aWithdrawal]);
    },
  },
  {
    method: "GET",
    path: "/v1/me/withdrawals/{withdrawalId}",
    kind: "promoter",
    probe: () => ({ path: `/v1/me/withdrawals/${aWithdrawal}` }),
    crossPromoter: async () => {
      for (const p of [X, W])
        expectNotFound(await h.call("GET", `/v1/me/withdrawals/${aWithdrawal}`, { token: p.token }), "Y's withdrawal");
    },
  },
  // payout runs
  {
    method: "POST",
    path: "/v1/payout-runs",
    kind: "merchant",
    probe: () => ({ path: "/v1/payout-runs", body: { programId: A.programId, provider: "bank_file" } }),
    crossMerchant: async (token) =>
      expectNotFound(
        await h.call("POST", "/v1/payout-runs", { token, body: { programId: A.programId, provider: "bank_file" } }),
        "payout run over A's program",
      ),
  },
  {
    method: "GET",
    path: "/v1/payout-runs",
    kind: "merchant",
    probe: () => ({ path: "/v1/payout-runs" }),
    crossMerchant: async (token) => {
      const r = await ok("GET", "/v1/payout-runs?limit=100", token);
      expect(r.body.items.map((x: { id: string }) => x.id)).not.toContain(aRun);
      expectNoLeak(r.body, "GET /v1/payout-runs");
    },
  },
  {
    method: "GET",
    path: "/v1/payout-runs/{runId}",
    kind: "merchant",
    probe: () => ({ path: `/v1/payout-runs/${aRun}` }),
    crossMerchant: async (token) => expectNotFound(await h.call("GET", `/v1/payout-runs/${aRun}`, { token }), "A's payout run"),
  },
  {
    method: "POST",
    path: "/v1/payout-runs/{runId}/retry",
    kind: "merchant",
    probe: () => ({ path: `/v1/payout-runs/${aRun}/retry`, body: {} }),
    crossMerchant: async (token) =>
      expectNotFound(await h.call("POST", `/v1/payout-runs/${aRun}/retry`, { token, body: {} }), "retry A's payout run"),
  },
  {
    method: "GET",
    path: "/v1/payout-runs/{runId}/bank-file",
    kind: "merchant",
    probe: () => ({ path: `/v1/payout-runs/${aRun}/bank-file` }),
    crossMerchant: async (token) => expectNotFound(await h.call("GET", `/v1/payout-runs/${aRun}/bank-file`, { token }), "A's bank file"),
  },
  {
    method: "POST",
    path: "/v1/payout-runs/{runId}/bank-result",
    kind: "merchant",
    probe: () => ({ path: `/v1/payout-runs/${aRun}/bank-result`, body: "batch_no,out_ref,status\n" }),
    crossMerchant: async (token) =>
      expectNotFound(
        await h.call("POST", `/v1/payout-runs/${aRun}/bank-result`, { token, body: "batch_no,out_ref,status\n" }),
        "result file for A's run",
      ),
  },
  // funding, service fee, circuit breaker (the platform admin may act on any merchant's program)
  {
    method: "GET",
    path: "/v1/programs/{programId}/funding",
    kind: "merchant",
    platformToo: true,
    probe: () => ({ path: `/v1/programs/${A.programId}/funding` }),
    crossMerchant: async (token) => expectNotFound(await h.call("GET", `/v1/programs/${A.programId}/funding`, { token }), "A's funding"),
  },
  {
    method: "PATCH",
    path: "/v1/programs/{programId}/funding",
    kind: "merchant",
    platformToo: true,
    probe: () => ({ path: `/v1/programs/${A.programId}/funding`, body: { lowBudgetAlertMinor: 100 } }),
    crossMerchant: async (token) =>
      expectNotFound(
        await h.call("PATCH", `/v1/programs/${A.programId}/funding`, { token, body: { lowBudgetAlertMinor: 1 } }),
        "set A's low-budget alert",
      ),
  },
  {
    method: "POST",
    path: "/v1/programs/{programId}/funding/topups",
    kind: "platform",
    probe: () => ({ path: `/v1/programs/${A.programId}/funding/topups`, body: { amountMinor: 1, reference: "probe" } }),
  },
  {
    method: "PATCH",
    path: "/v1/programs/{programId}/service-fee",
    kind: "platform",
    probe: () => ({ path: `/v1/programs/${A.programId}/service-fee`, body: { rateBps: 0 } }),
  },
  {
    method: "POST",
    path: "/v1/programs/{programId}/circuit",
    kind: "merchant",
    platformToo: true,
    probe: () => ({ path: `/v1/programs/${A.programId}/circuit`, body: { open: false } }),
    crossMerchant: async (token) =>
      expectNotFound(
        await h.call("POST", `/v1/programs/${A.programId}/circuit`, { token, body: { open: true, reason: "b-stops-a" } }),
        "open A's circuit",
      ),
  },
  // statements and tax reports
  {
    method: "GET",
    path: "/v1/statements/merchant",
    kind: "merchant",
    probe: () => ({ path: `/v1/statements/merchant?month=${MONTH}` }),
    crossMerchant: async (token) => {
      for (const format of ["json", "csv"]) {
        const r = await ok("GET", `/v1/statements/merchant?month=${MONTH}&format=${format}`, token);
        if (format === "json") expect(r.body.merchant.id).toBe(B.merchantId);
        expectNoLeak(r.body, `B's merchant statement (${format})`);
      }
    },
  },
  {
    method: "GET",
    path: "/v1/statements/promoters/{promoterId}",
    kind: "merchant",
    probe: () => ({ path: `/v1/statements/promoters/${Y.promoterId}?month=${MONTH}` }),
    crossMerchant: async (token) => {
      for (const format of ["json", "csv", "pdf"])
        expectNotFound(
          await h.call("GET", `/v1/statements/promoters/${Y.promoterId}?month=${MONTH}&format=${format}`, { token }),
          `statement of A's promoter (${format})`,
        );
    },
  },
  {
    method: "GET",
    path: "/v1/tax-reports/withholding",
    kind: "merchant",
    probe: () => ({ path: `/v1/tax-reports/withholding?month=${MONTH}` }),
    crossMerchant: async (token) => {
      expect((await ok("GET", `/v1/tax-reports/withholding?month=${MONTH}`, token)).body.items).toEqual([]);
      for (const format of ["json", "csv"])
        expectNoLeak((await ok("GET", `/v1/tax-reports/withholding?month=${MONTH}&format=${format}`, token)).body, "B's withholding");
      const platform = await h.call("GET", `/v1/tax-reports/withholding?month=${MONTH}&agent=platform`, { token });
      expect(platform.status).toBe(403);
      expect(platform.body.error.code).toBe("FORBIDDEN");
    },
  },
  {
    method: "GET",
    path: "/v1/tax-reports/quarterly",
    kind: "merchant",
    probe: () => ({ path: "/v1/tax-reports/quarterly?quarter=2026Q1" }),
    crossMerchant: async (token) => {
      const r = await ok("GET", "/v1/tax-reports/quarterly?quarter=2026Q1", token);
      expect(typeof r.body).toBe("string");
      expectNoLeak(r.body, "B's quarterly report");
      expect(JSON.stringify(r.body)).not.toContain(ID_P);
      const platform = await h.call("GET", "/v1/tax-reports/quarterly?quarter=2026Q1&agent=platform", { token });
      expect(platform.status).toBe(403);
      expect(platform.body.error.code).toBe("FORBIDDEN");
    },
  },
  // analytics
  ...(["summary", "trends", "top-promoters", "top-products", "funnel", "alerts"] as const).map(
    (name): Route => ({
      method: "GET",
      path: `/v1/analytics/${name}`,
      kind: "merchant",
      probe: () => ({ path: `/v1/analytics/${name}?${PERIOD()}` }),
      crossMerchant: async (token) => {
        expectNotFound(await h.call("GET", `/v1/analytics/${name}?${PERIOD()}`, { token }), `${name} of A's program`);
        const own = await ok("GET", `/v1/analytics/${name}?programId=${B.programId}&from=${MONTH}-01&to=${MONTH}-28`, token);
        expectNoLeak(own.body, `B's ${name}`);
      },
    }),
  ),
  {
    method: "PUT",
    path: "/v1/programs/{programId}/analytics-baseline",
    kind: "merchant",
    probe: () => ({ path: `/v1/programs/${A.programId}/analytics-baseline`, body: { dailySalesMinor: 1 } }),
    crossMerchant: async (token) => {
      expectNotFound(
        await h.call("PUT", `/v1/programs/${A.programId}/analytics-baseline`, { token, body: { dailySalesMinor: null } }),
        "remove A's baseline",
      );
      const own = await ok("GET", `/v1/analytics/summary?programId=${B.programId}&from=${MONTH}-01&to=${MONTH}-28`, token);
      expect(JSON.stringify(own.body)).not.toContain("7654321");
    },
  },
  // webhooks
  {
    method: "POST",
    path: "/v1/webhook-endpoints",
    kind: "merchant",
    probe: () => ({ path: "/v1/webhook-endpoints", body: { url: "https://93.184.216.34/probe", events: ["*"] } }),
    crossMerchant: async (token) => {
      const r = await ok("POST", "/v1/webhook-endpoints", token, { url: "https://93.184.216.34/beta", events: ["*"] });
      expectNotFound(await h.call("GET", `/v1/webhook-endpoints/${r.body.id}`, { token: A.apiKey }), "A reads B's endpoint");
      await ok("DELETE", `/v1/webhook-endpoints/${r.body.id}`, token);
    },
  },
  {
    method: "GET",
    path: "/v1/webhook-endpoints",
    kind: "merchant",
    probe: () => ({ path: "/v1/webhook-endpoints" }),
    crossMerchant: async (token) => {
      const r = await ok("GET", "/v1/webhook-endpoints", token);
      expect(r.body.items).toEqual([]);
      expectNoLeak(r.body, "GET /v1/webhook-endpoints");
    },
  },
  {
    method: "GET",
    path: "/v1/webhook-endpoints/{endpointId}",
    kind: "merchant",
    probe: () => ({ path: `/v1/webhook-endpoints/${aHook}` }),
    crossMerchant: async (token) => expectNotFound(await h.call("GET", `/v1/webhook-endpoints/${aHook}`, { token }), "endpoint"),
  },
  {
    method: "PATCH",
    path: "/v1/webhook-endpoints/{endpointId}",
    kind: "merchant",
    probe: () => ({ path: `/v1/webhook-endpoints/${aHook}`, body: { description: "probe" } }),
    crossMerchant: async (token) =>
      expectNotFound(
        await h.call("PATCH", `/v1/webhook-endpoints/${aHook}`, { token, body: { url: "https://93.184.216.35/x", disabled: true } }),
        "patch endpoint",
      ),
  },
  {
    method: "DELETE",
    path: "/v1/webhook-endpoints/{endpointId}",
    kind: "merchant",
    probe: () => ({ path: `/v1/webhook-endpoints/${aHook}` }),
    crossMerchant: async (token) => expectNotFound(await h.call("DELETE", `/v1/webhook-endpoints/${aHook}`, { token }), "delete endpoint"),
  },
  {
    method: "POST",
    path: "/v1/webhook-endpoints/{endpointId}/rotate-secret",
    kind: "merchant",
    probe: () => ({ path: `/v1/webhook-endpoints/${aHook}/rotate-secret` }),
    crossMerchant: async (token) =>
      expectNotFound(await h.call("POST", `/v1/webhook-endpoints/${aHook}/rotate-secret`, { token, body: {} }), "rotate secret"),
  },
  {
    method: "GET",
    path: "/v1/webhook-endpoints/{endpointId}/deliveries",
    kind: "merchant",
    probe: () => ({ path: `/v1/webhook-endpoints/${aHook}/deliveries` }),
    crossMerchant: async (token) =>
      expectNotFound(await h.call("GET", `/v1/webhook-endpoints/${aHook}/deliveries`, { token }), "deliveries"),
  },
  {
    method: "POST",
    path: "/v1/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/resend",
    kind: "merchant",
    probe: () => ({ path: `/v1/webhook-endpoints/${aHook}/deliveries/${aDelivery}/resend` }),
    crossMerchant: async (token) =>
      expectNotFound(await h.call("POST", `/v1/webhook-endpoints/${aHook}/deliveries/${aDelivery}/resend`, { token, body: {} }), "resend"),
  },
];

const PUBLIC = new Set([
  "GET /health",
  "GET /openapi.json",
  "GET /r/{code}",
  "POST /v1/auth/login",
  "POST /v1/join",
  "GET /fx.js",
  "POST /v1/connectors/{connectorId}/webhook",
  "POST /v1/payout-callbacks/{provider}/{merchantId}",
]);
const key = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;

async function send(method: Method, req: Req, token?: string) {
  return h.call(method, req.path, { token, body: req.body ?? (method === "GET" || method === "DELETE" ? undefined : {}) });
}

describe("route table", () => {
  it("covers every non-public operation of the OpenAPI document, and nothing else", async () => {
    const doc = await h.call("GET", "/openapi.json");
    expect(doc.status).toBe(200);
    const documented: string[] = [];
    for (const [path, ops] of Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) {
        const k = key({ method, path });
        if (!PUBLIC.has(k) && !path.startsWith("/docs")) documented.push(k);
      }
    }
    expect(ROUTES.map(key).sort()).toEqual(documented.sort());
    expect(new Set(ROUTES.map(key)).size).toBe(ROUTES.length);
    // Every merchant route has a cross-merchant attack; every promoter route a cross-promoter one.
    for (const r of ROUTES) {
      if (r.kind === "merchant") expect(r.crossMerchant, key(r)).toBeTypeOf("function");
      if (r.kind === "promoter") expect(r.crossPromoter, key(r)).toBeTypeOf("function");
    }
  });
});

describe("who may call what", () => {
  it.each(ROUTES.map((r) => [key(r), r] as const))("%s: no credentials, bad tokens and a revoked key → 401", async (_k, r) => {
    for (const token of [undefined, "fxk_not-a-key", "fxs_not-a-session", "garbage", revokedKey]) {
      const res = await send(r.method, r.probe(), token);
      expect(res.status, `${token}: ${JSON.stringify(res.body)}`).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHENTICATED");
    }
  });

  it.each(ROUTES.filter((r) => r.kind !== "session").map((r) => [key(r), r] as const))(
    "%s: refuses the wrong kind of principal with 403",
    async (_k, r) => {
      const before = await snapshotOf(A.merchantId);
      const refused: { label: string; token: string }[] = [];
      if (r.kind === "merchant") refused.push({ label: "promoter", token: X.token });
      if (r.kind === "merchant" && !r.platformToo) refused.push({ label: "platform admin", token: h.adminToken });
      if (r.kind === "promoter")
        refused.push(
          { label: "A api key", token: A.apiKey },
          { label: "A admin", token: A.adminToken },
          { label: "platform admin", token: h.adminToken },
        );
      if (r.kind === "platform")
        refused.push(
          { label: "A api key", token: A.apiKey },
          { label: "A admin", token: A.adminToken },
          { label: "promoter", token: X.token },
        );
      expect(refused.length).toBeGreaterThan(0);
      for (const { label, token } of refused) {
        const res = await send(r.method, r.probe(), token);
        expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(403);
        expect(res.body.error.code).toBe("FORBIDDEN");
      }
      expect(await snapshotOf(A.merchantId)).toEqual(before);
    },
  );
});

describe("merchant B against merchant A", () => {
  it.each(ROUTES.filter((r) => r.crossMerchant).map((r) => [key(r), r] as const))(
    "%s: reads nothing of A and changes nothing of A",
    async (_k, r) => {
      const before = await snapshotOf(A.merchantId);
      for (const { label, token } of attackers()) await r.crossMerchant?.(token, label);
      expect(await snapshotOf(A.merchantId)).toEqual(before);
    },
  );

  it("A's own view is intact afterwards: orders, commissions, balances, ledger", async () => {
    const orders = await ok("GET", "/v1/orders?limit=200", A.apiKey);
    expect(orders.body.items.map((o: { orderRef: string }) => o.orderRef).sort()).toEqual([
      "A-O-1",
      "A-O-2",
      "A-O-3",
      "A-O-4",
      "A-O-5",
      "A-O-6",
    ]);
    const six = await ok("GET", "/v1/orders/A-O-6", A.apiKey);
    expect(six.body).toMatchObject({ status: "paid", refundedMinor: 0, promoterId: X.promoterId });
    expect(
      six.body.commissions.every((c: { reversedMinor: number; state: string }) => c.reversedMinor === 0 && c.state === "pending"),
    ).toBe(true);
    const program = await ok("GET", `/v1/programs/${A.programId}`, A.apiKey);
    expect(program.body).toMatchObject({ holdDays: 7, status: "active" });
    const x = await ok("GET", `/v1/promoters/${X.promoterId}?programId=${A.programId}`, A.apiKey);
    expect(x.body).toMatchObject({ status: "active", rank: null });
    const plans = await ok("GET", `/v1/programs/${A.programId}/plans`, A.apiKey);
    expect(plans.body.items.map((p: { version: number; status: string }) => [p.version, p.status])).toEqual([
      [2, "draft"],
      [1, "published"],
    ]);
    expect((await ok("GET", "/v1/ledger/verify", A.apiKey)).body.ok).toBe(true);
  });
});

describe("promoter against promoter", () => {
  it.each(ROUTES.filter((r) => r.crossPromoter).map((r) => [key(r), r] as const))(
    "%s: sees only the caller's own data and changes nothing of A",
    async (_k, r) => {
      const before = await snapshotOf(A.merchantId);
      await r.crossPromoter?.();
      expect(await snapshotOf(A.merchantId)).toEqual(before);
    },
  );

  it("a promoterId in a portal query never switches identity", async () => {
    // Portal endpoints take the promoter from the session; a promoterId parameter is not one of theirs: it is refused
    // as an unknown field, so it can never switch identity (nor be silently ignored).
    for (const path of [
      `/v1/me/commissions?merchantId=${A.merchantId}&promoterId=${Y.promoterId}`,
      `/v1/me/balances?merchantId=${A.merchantId}&promoterId=${Y.promoterId}`,
    ]) {
      const r = await ok("GET", path, X.token, undefined, [400]);
      expect(r.body.error.details.issues).toEqual([{ path: "querystring.promoterId", message: "unknown field" }]);
    }
    const r = await ok("GET", `/v1/me/commissions?merchantId=${A.merchantId}`, X.token);
    expect(r.body.items.every((c: { beneficiaryId: string }) => c.beneficiaryId === X.promoterId)).toBe(true);
    const b = await ok("GET", `/v1/me/balances?merchantId=${A.merchantId}`, X.token);
    expect(b.body.promoterId).toBe(X.promoterId);
  });
});

describe("customer privacy in the portal", () => {
  it("promoters see phones masked (138****1234) and never a raw number in any portal response", async () => {
    const q = `merchantId=${A.merchantId}&programId=${A.programId}`;
    const reads = [
      "/v1/me",
      "/v1/me/memberships",
      `/v1/me/team?${q}`,
      `/v1/me/links?${q}`,
      `/v1/me/customers?${q}`,
      `/v1/me/orders?merchantId=${A.merchantId}&limit=200`,
      `/v1/me/commissions?merchantId=${A.merchantId}&limit=200`,
      `/v1/me/balances?merchantId=${A.merchantId}`,
      `/v1/me/ledger?merchantId=${A.merchantId}&type=pending&limit=200`,
      `/v1/me/ledger?merchantId=${A.merchantId}&type=available&limit=200`,
      "/v1/me/identity",
      "/v1/me/payout-accounts",
      "/v1/me/applications",
      `/v1/me/earnings?${q}`,
      `/v1/me/products?programId=${A.programId}`,
    ];
    // Every portal GET route of the table is read here.
    reads.push("/v1/me/wallet", "/v1/me/withdrawals?limit=200", `/v1/me/statements?month=${MONTH}`, `/v1/me/analytics?${q}`);
    /** Y's own withdrawal, read by Y only. */
    const yRead = `/v1/me/withdrawals/${aWithdrawal}`;
    // (the poster is a PNG: its text is drawn, not sent; it shows the promoter's own name only)
    const portalGets = ROUTES.filter((r) => r.method === "GET" && (r.kind === "promoter" || r.kind === "session"))
      .map((r) => r.path)
      .filter((p) => p !== "/v1/me/posters/{productId}")
      // (a statement file is the CSV or PDF of /v1/me/statements, which is read here)
      .filter((p) => p !== "/v1/me/statements/{file}");
    for (const p of portalGets) {
      const template = new RegExp(`^${p.replace(/\{[^}]+\}/g, "[^/]+")}$`);
      expect(
        [...reads, yRead].some((u) => template.test(u.split("?")[0] as string)),
        p,
      ).toBe(true);
    }
    const seen: string[] = [];
    for (const p of [X, X2, Y, Y2]) {
      for (const url of p === Y ? [...reads, yRead] : reads) {
        const r = await ok("GET", url, p.token);
        const text = JSON.stringify(r.body);
        for (const phone of RAW_PHONES) expect(text.includes(phone), `${url} shows ${phone}`).toBe(false);
        expect(text.includes("13812341234"), `${url} shows a promoter's raw phone`).toBe(false);
        if (url.startsWith("/v1/me/customers")) {
          for (const c of r.body.items) {
            expect(c.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
            seen.push(c.phone);
          }
        }
        if (url.startsWith("/v1/me/team")) for (const m of r.body.items) expect(m.phone).toBe("138****1234");
        if (url.startsWith("/v1/me/orders")) for (const o of r.body.items) expect(o.customerRef).toContain("****");
      }
    }
    // X's customers include a-cust-6 (13812349876); Y's the customer whose reference is the phone number.
    expect(seen).toContain("138****9876");
    expect(seen).toContain("186****1111");
    expect(seen).toContain("139****2222");
    // The merchant's list is masked too; the merchant sees the full number by an audited reveal of one customer.
    const all = await ok("GET", "/v1/customers?limit=200", A.apiKey);
    expect(all.body.items.map((c: { phone: string }) => c.phone)).toContain("138****9876");
    const six = all.body.items.find((c: { phone: string }) => c.phone === "138****9876");
    const full = await h.call("POST", `/v1/customers/${six.id}/reveal`, { token: A.apiKey });
    expect(full.body.phone).toBe("13812349876");
  });

  it("a referral commission does not show the referring customer's reference (here a phone number) unmasked", async () => {
    h.clock.set(START); // the program exists before its order is paid
    const r = await merchantFixture(h, "ReferShop", {
      plan: { version: 1, base: { defaultRateBps: 1000 }, referral: { promoterAmountMinor: 500 } },
    });
    const p = await promoterFixture(h, r, "Referee");
    await ok("POST", "/v1/customers", r.apiKey, { customerRef: "13999990000", phone: "13999990000", promoCode: p.code });
    const o = await ok("POST", "/v1/orders", r.apiKey, {
      ...order("R-1", { ref: "friend-1", phone: "13711112222" }),
      referrerCustomerRef: "13999990000",
    });
    expect(o.body.attributionPath).toBe("referral");
    expect(o.body.commissions.map((c: { kind: string }) => c.kind)).toContain("referral");
    const q = `merchantId=${r.merchantId}&programId=${r.programId}`;
    for (const url of [
      `/v1/me/commissions?merchantId=${r.merchantId}`,
      `/v1/me/orders?merchantId=${r.merchantId}`,
      `/v1/me/customers?${q}`,
    ]) {
      const res = await ok("GET", url, p.token);
      expect(res.body.items.length, url).toBeGreaterThan(0);
      const text = JSON.stringify(res.body);
      for (const raw of ["13999990000", "13711112222"]) expect(text.includes(raw), `${url} shows ${raw}`).toBe(false);
    }
    const line = (await ok("GET", `/v1/me/commissions?merchantId=${r.merchantId}`, p.token)).body.items.find(
      (c: { kind: string }) => c.kind === "referral",
    );
    expect(line.trace.referrerCustomerRef).toBe("13****00");
    // The merchant sees the reference as sent.
    const m = await ok("GET", "/v1/commissions?orderRef=R-1", r.apiKey);
    expect(m.body.items.find((c: { kind: string }) => c.kind === "referral").trace.referrerCustomerRef).toBe("13999990000");
  });

  it("the masked name keeps only the first character", async () => {
    const r = await ok("GET", `/v1/me/customers?merchantId=${A.merchantId}&programId=${A.programId}`, X2.token);
    const c = r.body.items.find((x: { phone: string }) => x.phone === "139****2222");
    expect(c.name).toBe("张**");
  });
});
