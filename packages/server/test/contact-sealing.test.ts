/**
 * Customers' phones and names and promoters' phones sealed at rest (migration 0024): the raw rows hold no clear value
 * after order ingest, registration, the CSV import's set write, a join, or the start-up sealing of rows written in
 * clear before; search by the whole phone (and the whole name) still finds them through the blind index; the reveals
 * open them and are audited; key rotation re-seals them and search works before, during and after it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KeyRing, newSecretKeyText, parseSecretKey, sealedKeyId } from "../src/crypto/sealed.ts";
import { revealCustomer } from "../src/modules/customers/detail.ts";
import { listCustomers } from "../src/modules/customers/list.ts";
import { importOrderSet } from "../src/modules/imports/set-import.ts";
import { paidOrderBody } from "../src/modules/orders/schema.ts";
import { listPromoters } from "../src/modules/promoters/list.ts";
import { rotateSealedValues, sealClearContacts } from "../src/sealed-targets.ts";
import {
  type Harness,
  type MerchantFixture,
  merchantFixture,
  PASSWORD,
  paidOrder,
  promoterFixture,
  startHarness,
  TEST_KEY_RING,
} from "./helpers.ts";

let h: Harness;
let m: MerchantFixture;

beforeAll(async () => {
  h = await startHarness();
  m = await merchantFixture(h, "Sealed");
}, 120_000);
afterAll(async () => h?.close());

type Raw = Record<string, unknown>;
const customerRow = async (ref: string) =>
  (
    await h.db.read((q) => q.query<Raw>("SELECT * FROM customers WHERE merchant_id = $1 AND customer_ref = $2", [m.merchantId, ref]))
  )[0] as Raw;
const promoterRow = async (id: string) => (await h.db.read((q) => q.query<Raw>("SELECT * FROM promoters WHERE id = $1", [id])))[0] as Raw;

/** No column of the raw row holds any of the clear values; the clear columns are empty; what is sealed is a sealed value. */
function expectSealed(row: Raw, clear: readonly string[], sealedCols: readonly string[]) {
  const text = JSON.stringify(row);
  for (const v of clear) expect(text).not.toContain(v);
  expect(row.phone).toBeNull();
  if ("name_sealed" in row) expect(row.name).toBeNull();
  for (const c of sealedCols) expect(String(row[c])).toMatch(/^v1\.[0-9a-f]{8}\./);
}

const search = async (q: string) =>
  (await h.call("GET", `/v1/customers?q=${encodeURIComponent(q)}`, { token: m.apiKey })).body.items.map(
    (c: { customerRef: string }) => c.customerRef,
  );

describe("customers' phones and names at rest", () => {
  it("order ingest seals phone and name; the list shows them masked and finds the customer by the whole phone or name", async () => {
    const r = await h.call("POST", "/v1/orders", {
      token: m.apiKey,
      body: paidOrder("SEAL-1", "seal-c1", { customer: { ref: "seal-c1", phone: "13912345678", name: "王小明" } }),
    });
    expect(r.status).toBe(201);
    const row = await customerRow("seal-c1");
    expectSealed(row, ["13912345678", "王小明"], ["phone_sealed", "name_sealed"]);
    expect(row).toMatchObject({ phone_masked: "139****5678", name_masked: "王**" });
    const list = await h.call("GET", "/v1/customers?q=seal-c1", { token: m.apiKey });
    expect(list.body.items[0]).toMatchObject({ customerRef: "seal-c1", phone: "139****5678", name: "王**" });
    expect(await search("13912345678")).toEqual(["seal-c1"]);
    expect(await search("139 1234-5678")).toEqual(["seal-c1"]); // spaces and dashes ignored
    expect(await search("王小明")).toEqual(["seal-c1"]);
    expect(await search("12345678")).toEqual([]); // a part of a sealed number is not searchable
    expect(await search("王")).toEqual(["seal-c1"]); // the first character, as the masked name shows it
    expect(await search("小明")).toEqual([]);
    const order = await h.call("GET", "/v1/orders/SEAL-1/detail", { token: m.apiKey });
    expect(order.body.customer).toMatchObject({ customerRef: "seal-c1", phone: "139****5678" });
    expect(JSON.stringify(order.body)).not.toContain("13912345678");
    // nor anywhere else the order left rows: its events, the outbox, the audit log, the stored responses
    for (const clear of ["13912345678", "王小明"]) {
      const found = await h.db.read((q) =>
        q.query(
          `SELECT 'order_events' AS t FROM order_events WHERE payload::text LIKE $1
           UNION ALL SELECT 'events' FROM events WHERE data::text LIKE $1
           UNION ALL SELECT 'audit_log' FROM audit_log WHERE details::text LIKE $1
           UNION ALL SELECT 'idempotency_keys' FROM idempotency_keys WHERE response::text LIKE $1`,
          [`%${clear}%`],
        ),
      );
      expect(found).toEqual([]);
    }
  });

  it("a later order with a new phone replaces the sealed one; an order without phone or name keeps them", async () => {
    await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("SEAL-2", "seal-c1", { customer: { ref: "seal-c1" } }) });
    expect((await customerRow("seal-c1")).phone_masked).toBe("139****5678");
    await h.call("POST", "/v1/orders", {
      token: m.apiKey,
      body: paidOrder("SEAL-3", "seal-c1", { customer: { ref: "seal-c1", phone: "13700007777" } }),
    });
    const row = await customerRow("seal-c1");
    expectSealed(row, ["13700007777", "13912345678", "王小明"], ["phone_sealed", "name_sealed"]);
    expect(row.phone_masked).toBe("137****7777");
    expect(await search("13700007777")).toEqual(["seal-c1"]);
    expect(await search("13912345678")).toEqual([]);
    expect(await search("王小明")).toEqual(["seal-c1"]);
  });

  it("registration seals them too; the reveal opens them and is an audit entry", async () => {
    const reg = await h.call("POST", "/v1/customers", {
      token: m.apiKey,
      body: { customerRef: "seal-reg", phone: "13655554444", name: "李四" },
    });
    expect(reg.status).toBe(201);
    expectSealed(await customerRow("seal-reg"), ["13655554444", "李四"], ["phone_sealed", "name_sealed"]);
    const id = reg.body.customerId as string;
    const shown = await h.call("POST", `/v1/customers/${id}/reveal`, { token: m.apiKey });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ customerRef: "seal-reg", phone: "13655554444", name: "李四" });
    const audits = await h.db.read((q) =>
      q.query<{ details: unknown }>(
        "SELECT details FROM audit_log WHERE merchant_id = $1 AND action = 'customer.reveal' AND subject = $2",
        [m.merchantId, `customer:${id}`],
      ),
    );
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits)).not.toContain("13655554444");
    const csv = await fetch(`${h.base}/v1/customers/export.csv`, { headers: { authorization: `Bearer ${m.apiKey}` } });
    const text = await csv.text();
    expect(text).toContain("136****4444");
    expect(text).not.toContain("13655554444");
    expect(text).not.toContain("李四");
  });

  it("the CSV import's set write (COPY on PostgreSQL, the routine on PGlite) seals them", async () => {
    const bodies = [1, 2].map((i) =>
      paidOrderBody.parse(
        paidOrder(`SEAL-IMP-${i}`, `seal-imp-${i}`, { customer: { ref: `seal-imp-${i}`, phone: `1350000000${i}`, name: `赵${i}` } }),
      ),
    );
    const results = await importOrderSet(h.db, TEST_KEY_RING, m.merchantId, bodies, h.clock.now());
    expect(results.every((r) => r.ok)).toBe(true);
    for (const i of [1, 2]) {
      expectSealed(await customerRow(`seal-imp-${i}`), [`1350000000${i}`, `赵${i}`], ["phone_sealed", "name_sealed"]);
      expect(await search(`1350000000${i}`)).toEqual([`seal-imp-${i}`]);
    }
  });
});

describe("promoters' phones at rest", () => {
  it("a promoter added by the merchant and one who joins have sealed phones; search, reveal and the promoter's own view", async () => {
    const carol = await promoterFixture(h, m, "Carol"); // phone 13812341234
    expectSealed(await promoterRow(carol.promoterId), ["13812341234"], ["phone_sealed"]);
    const email = `dora-${Date.now()}@test.local`;
    const join = await h.call("POST", "/v1/join", {
      body: { inviteCode: carol.code, name: "Dora", email, password: PASSWORD, phone: "186 0000 2222" },
    });
    expect(join.status).toBe(202);
    const login = await h.call("POST", "/v1/auth/login", { body: { email, password: PASSWORD } });
    const me = await h.call("GET", "/v1/me", { token: login.body.token });
    expect(JSON.stringify(me.body)).not.toContain("2222"); // portal reads never show a phone in full
    const own = await h.call("POST", "/v1/me/reveal", { token: login.body.token });
    expect(own.body).toEqual({ promoterId: me.body.promoterId, phone: "186 0000 2222" }); // its own phone, for itself
    const doraId = me.body.promoterId as string;
    expectSealed(await promoterRow(doraId), ["18600002222", "186 0000 2222"], ["phone_sealed"]);
    const found = await h.call("GET", `/v1/promoters?q=18600002222&programId=${m.programId}`, { token: m.apiKey });
    expect(found.body.items.map((p: { promoterId: string; phone: string }) => [p.promoterId, p.phone])).toEqual([[doraId, "186****2222"]]);
    const none = await h.call("GET", `/v1/promoters?q=0000222&programId=${m.programId}`, { token: m.apiKey });
    expect(none.body.items).toEqual([]);
    const shown = await h.call("POST", `/v1/promoters/${doraId}/reveal`, { token: m.apiKey, body: { programId: m.programId } });
    expect(shown.body).toMatchObject({ promoterId: doraId, phone: "186 0000 2222" });
    const audits = await h.db.read((q) =>
      q.query("SELECT 1 FROM audit_log WHERE merchant_id = $1 AND action = 'promoter.reveal' AND subject = $2", [
        m.merchantId,
        `promoter:${doraId}`,
      ]),
    );
    expect(audits).toHaveLength(1);
    const other = await h.call("POST", "/v1/me/reveal", { token: carol.token });
    expect(other.body).toEqual({ promoterId: carol.promoterId, phone: "13812341234" });
    expect((await h.call("POST", "/v1/me/reveal", { token: m.apiKey })).status).toBe(403); // a promoter's own, only
  });
});

describe("rows written in clear before 0024", () => {
  it("are sealed at start-up batch by batch, the clear columns emptied; a second run finds none", async () => {
    await h.db.tx(async (q) => {
      for (let i = 1; i <= 5; i++)
        await q.query("INSERT INTO customers (merchant_id, id, customer_ref, phone, name) VALUES ($1, $2, $3, $4, $5)", [
          m.merchantId,
          `cus_old${i}`,
          `old-${i}`,
          `1331111000${i}`,
          `孙${i}`,
        ]);
      await q.query("INSERT INTO promoters (id, name, phone) VALUES ('pmt_old1', 'Old', '13322223333')");
    });
    // a row that got a sealed phone after 0024 but still has its old clear one: the sealed (newer) value is kept
    const before = await customerRow("seal-c1");
    await h.db.tx((q) =>
      q.query("UPDATE customers SET phone = '13900000000' WHERE merchant_id = $1 AND customer_ref = 'seal-c1'", [m.merchantId]),
    );
    const counts = await sealClearContacts(h.db, TEST_KEY_RING, { batchSize: 2 });
    expect(counts).toEqual([
      { table: "customers", found: 6, resealed: 6, unreadable: 0 },
      { table: "promoters", found: 1, resealed: 1, unreadable: 0 },
    ]);
    for (let i = 1; i <= 5; i++) {
      expectSealed(await customerRow(`old-${i}`), [`1331111000${i}`, `孙${i}`], ["phone_sealed", "name_sealed"]);
      expect(await search(`1331111000${i}`)).toEqual([`old-${i}`]);
    }
    const shown = await h.call("POST", "/v1/customers/cus_old3/reveal", { token: m.apiKey });
    expect(shown.body).toMatchObject({ phone: "13311110003", name: "孙3" });
    const kept = await customerRow("seal-c1");
    expect(kept.phone).toBeNull();
    expect(kept.phone_masked).toBe(before.phone_masked);
    expect(await search("13700007777")).toEqual(["seal-c1"]);
    expectSealed(await promoterRow("pmt_old1"), ["13322223333"], ["phone_sealed"]);
    const clear = await h.db.read((q) =>
      q.query(
        "SELECT 1 FROM customers WHERE phone IS NOT NULL OR name IS NOT NULL UNION ALL SELECT 1 FROM promoters WHERE phone IS NOT NULL",
      ),
    );
    expect(clear).toEqual([]);
    expect(await sealClearContacts(h.db, TEST_KEY_RING)).toEqual([
      { table: "customers", found: 0, resealed: 0, unreadable: 0 },
      { table: "promoters", found: 0, resealed: 0, unreadable: 0 },
    ]);
  });
});

describe("key rotation", () => {
  it("re-seals phones and names under the new key; search by phone works during and after the rotation", async () => {
    const keyB = parseSecretKey(newSecretKeyText());
    const during: KeyRing = { current: keyB, previous: [TEST_KEY_RING.current] };
    const after: KeyRing = { current: keyB, previous: [] };
    const find = (ring: KeyRing, q: string) =>
      h.db.read(async (x) => (await listCustomers(x, ring, m.merchantId, { q }, 10, 0)).map((c) => c.customerRef));
    const findPromoter = (ring: KeyRing, q: string) =>
      h.db.read(async (x) =>
        (await listPromoters(x, ring, m.merchantId, { q, programId: m.programId, sort: "joined", order: "desc" }, 10, 0)).map(
          (p) => p.name,
        ),
      );
    // B is current, the rows are still under A: found by A's index
    expect(await find(during, "13655554444")).toEqual(["seal-reg"]);
    expect(await findPromoter(during, "18600002222")).toEqual(["Dora"]);
    const counts = await rotateSealedValues(h.db, during, { batchSize: 3 });
    const byTable = Object.fromEntries(counts.map((c) => [c.table, c]));
    expect(byTable.customers?.unreadable).toBe(0);
    expect(byTable.customers?.resealed).toBeGreaterThanOrEqual(9);
    expect(byTable.promoters?.resealed).toBeGreaterThanOrEqual(3);
    const rows = await h.db.read((q) =>
      q.query<Raw>("SELECT phone_sealed, name_sealed FROM customers WHERE merchant_id = $1", [m.merchantId]),
    );
    for (const r of rows) {
      if (r.phone_sealed) expect(sealedKeyId(r.phone_sealed as string)).toBe(keyB.id);
      if (r.name_sealed) expect(sealedKeyId(r.name_sealed as string)).toBe(keyB.id);
    }
    // A is gone: B's indexes alone find them, and B opens them
    expect(await find(after, "13655554444")).toEqual(["seal-reg"]);
    expect(await find(after, "李四")).toEqual(["seal-reg"]);
    expect(await findPromoter(after, "18600002222")).toEqual(["Dora"]);
    const [reg] = await h.db.read((q) => q.query<{ id: string }>("SELECT id FROM customers WHERE customer_ref = 'seal-reg'"));
    const shown = await h.db.tx((q) => revealCustomer(q, after, m.merchantId, "user:test", reg?.id as string, h.clock.now()));
    expect(shown).toMatchObject({ phone: "13655554444", name: "李四" });
    // a second run finds nothing left under A
    const again = await rotateSealedValues(h.db, during);
    expect(again.find((c) => c.table === "customers")?.found).toBe(0);
    expect(again.find((c) => c.table === "promoters")?.found).toBe(0);
  });
});
