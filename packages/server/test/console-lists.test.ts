import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type MerchantFixture, merchantFixture, paidOrder, promoterFixture, START, startHarness } from "./helpers.ts";

// The console's lists: filters, totals, sort, the order detail, the promoter page, its actions and the CSV exports.
let h: Harness;
let m: MerchantFixture;
let a: Awaited<ReturnType<typeof promoterFixture>>;
let b: Awaited<ReturnType<typeof promoterFixture>>;
let c: Awaited<ReturnType<typeof promoterFixture>>;

async function csv(path: string, token: string) {
  const res = await fetch(h.base + path, { headers: { authorization: `Bearer ${token}` } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    bytes,
    text,
    rows: text
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\n"),
  };
}

beforeAll(async () => {
  h = await startHarness();
  m = await merchantFixture(h, "Lists");
  a = await promoterFixture(h, m, "Alice");
  b = await promoterFixture(h, m, "Bob", a.code);
  c = await promoterFixture(h, m, "Xiaoming", b.code);
  await h.db.tx((q) => q.query("UPDATE promoters SET name = '王小明' WHERE id = $1", [c.promoterId]));
  await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("SHOP-1001", "cust-1", { promoCode: c.code }) });
  h.clock.set("2026-03-10T00:00:00Z");
  await h.call("POST", "/v1/orders", {
    token: m.apiKey,
    body: paidOrder("SHOP-1002", "cust-2", { promoCode: b.code, channel: "community", paidAt: "2026-03-10T00:00:00Z" }),
  });
  await h.call("POST", "/v1/orders", {
    token: m.apiKey,
    body: paidOrder("OTHER-7", "cust-3", { promoCode: c.code, paidAt: "2026-03-10T00:00:00Z" }),
  });
});
afterAll(async () => h?.close());

describe("orders list", () => {
  it("filters by reference prefix, channel, promoter and dates, with a total", async () => {
    const all = await h.call("GET", "/v1/orders?limit=1", { token: m.apiKey });
    expect(all.body.total).toBe(3);
    expect(all.body.items).toHaveLength(1);
    expect(all.body.nextCursor).toBeTruthy();
    const shop = await h.call("GET", "/v1/orders?orderRef=SHOP-", { token: m.apiKey });
    expect(shop.body.items.map((o: { orderRef: string }) => o.orderRef).sort()).toEqual(["SHOP-1001", "SHOP-1002"]);
    expect(shop.body.total).toBe(2);
    const pct = await h.call("GET", "/v1/orders?orderRef=%25", { token: m.apiKey });
    expect(pct.body.total).toBe(0); // a % is a character, not a wildcard
    const comm = await h.call("GET", "/v1/orders?channel=community", { token: m.apiKey });
    expect(comm.body.items.map((o: { orderRef: string }) => o.orderRef)).toEqual(["SHOP-1002"]);
    const byC = await h.call("GET", `/v1/orders?promoterId=${c.promoterId}`, { token: m.apiKey });
    expect(byC.body.total).toBe(2);
    const range = await h.call("GET", "/v1/orders?from=2026-03-05T00:00:00Z&to=2026-03-11T00:00:00Z", { token: m.apiKey });
    expect(range.body.total).toBe(2);
    const bad = await h.call("GET", "/v1/orders?from=2026-03-11T00:00:00Z&to=2026-03-05T00:00:00Z", { token: m.apiKey });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("to");
    const badDate = await h.call("GET", "/v1/orders?from=yesterday", { token: m.apiKey });
    expect(badDate.status).toBe(400);
  });

  it("the detail has lines, the masked customer, channel, paid time, the attribution path, events and commission lines", async () => {
    const d = await h.call("GET", "/v1/orders/SHOP-1001/detail", { token: m.apiKey });
    expect(d.status).toBe(200);
    expect(d.body.lines).toHaveLength(2);
    expect(d.body.customer).toEqual({ customerRef: "cust-1", phone: "139****1111" });
    expect(d.body.channel).toBe("online");
    expect(new Date(d.body.paidAt).toISOString()).toBe(START);
    expect(d.body.attribution.path).toBe("code");
    expect(d.body.attribution.promoCode).toBe(c.code);
    expect(d.body.attribution.boundByThisOrder.promoterId).toBe(c.promoterId);
    expect(d.body.events.map((e: { type: string }) => e.type)).toContain("paid");
    expect(d.body.commissions.length).toBeGreaterThan(0);
    expect((await h.call("GET", "/v1/orders/NOPE/detail", { token: m.apiKey })).status).toBe(404);
  });
});

describe("promoters list and page", () => {
  it("searches by name, phone and code, filters by status and sorts by sales, earnings and team", async () => {
    const byName = await h.call("GET", "/v1/promoters?q=小明", { token: m.apiKey });
    expect(byName.body.items.map((p: { promoterId: string }) => p.promoterId)).toEqual([c.promoterId]);
    expect(byName.body.total).toBe(1);
    const byCode = await h.call("GET", `/v1/promoters?q=${b.code.toLowerCase()}`, { token: m.apiKey });
    expect(byCode.body.items.map((p: { promoterId: string }) => p.promoterId)).toEqual([b.promoterId]);
    // phones are sealed: the whole number finds them through the blind index (spaces ignored), a part of it nothing
    expect((await h.call("GET", "/v1/promoters?q=13812341234", { token: m.apiKey })).body.total).toBe(3);
    expect((await h.call("GET", `/v1/promoters?q=${encodeURIComponent("138 1234 1234")}`, { token: m.apiKey })).body.total).toBe(3);
    expect((await h.call("GET", "/v1/promoters?q=1381234", { token: m.apiKey })).body.total).toBe(0);
    const sales = await h.call("GET", "/v1/promoters?sort=sales", { token: m.apiKey });
    expect(sales.body.items[0].promoterId).toBe(c.promoterId);
    const team = await h.call("GET", "/v1/promoters?sort=team", { token: m.apiKey });
    expect(team.body.items.map((p: { teamSize: number }) => p.teamSize)).toEqual([2, 1, 0]);
    const earn = await h.call("GET", "/v1/promoters?sort=earnings&order=asc", { token: m.apiKey });
    const e = earn.body.items.map((p: { earnedMinor: number }) => p.earnedMinor);
    expect([...e].sort((x: number, y: number) => x - y)).toEqual(e);
    expect((await h.call("GET", "/v1/promoters?sort=height", { token: m.apiKey })).status).toBe(400);
  });

  it("suspend with a reason: audited, filtered by status, and a suspended promoter earns nothing new", async () => {
    const r = await h.call("PATCH", `/v1/promoters/${c.promoterId}`, {
      token: m.apiKey,
      body: { programId: m.programId, status: "suspended", reason: "刷单嫌疑" },
    });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("suspended");
    const susp = await h.call("GET", "/v1/promoters?status=suspended", { token: m.apiKey });
    expect(susp.body.items.map((p: { promoterId: string }) => p.promoterId)).toEqual([c.promoterId]);
    const [row] = await h.db.read((q) =>
      q.query<{ details: { reason: string } }>(
        "SELECT details FROM audit_log WHERE merchant_id = $1 AND action = 'promoter.update' ORDER BY created_at DESC LIMIT 1",
        [m.merchantId],
      ),
    );
    expect(row?.details.reason).toBe("刷单嫌疑");
    // c's code on a new customer's order: c is suspended, so the order is not c's and pays c nothing
    const o = await h.call("POST", "/v1/orders", {
      token: m.apiKey,
      body: paidOrder("SUSP-1", "cust-s", { promoCode: c.code, paidAt: "2026-03-10T00:00:00Z" }),
    });
    expect(o.status).toBe(201);
    expect(o.body.promoterId).toBeNull();
    expect(o.body.commissions.filter((x: { beneficiaryId: string }) => x.beneficiaryId === c.promoterId)).toEqual([]);
    // c's bound customer orders again: the binding's promoter is suspended, so nobody earns
    const again = await h.call("POST", "/v1/orders", {
      token: m.apiKey,
      body: paidOrder("SUSP-2", "cust-1", { paidAt: "2026-03-10T00:00:00Z" }),
    });
    expect(again.body.commissions.filter((x: { beneficiaryId: string }) => x.beneficiaryId === c.promoterId)).toEqual([]);
    await h.call("PATCH", `/v1/promoters/${c.promoterId}`, {
      token: m.apiKey,
      body: { programId: m.programId, status: "active", reason: "复核通过" },
    });
  });

  it("the promoter page: inviter chain, rank history of a manual change with its reason, sales by period, balances, team", async () => {
    const r = await h.call("PATCH", `/v1/promoters/${c.promoterId}`, {
      token: m.apiKey,
      body: { programId: m.programId, rank: "gold", reason: "季度表彰" },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const o = await h.call("GET", `/v1/promoters/${c.promoterId}/overview?programId=${m.programId}`, { token: m.apiKey });
    expect(o.status).toBe(200);
    expect(o.body.inviterChain.map((x: { promoterId: string }) => x.promoterId)).toEqual([b.promoterId, a.promoterId]);
    expect(o.body.rankHistory[0]).toEqual(
      expect.objectContaining({ fromRank: null, toRank: "gold", reason: expect.objectContaining({ reason: "季度表彰" }) }),
    );
    expect(o.body.salesByPeriod[0].netMinor).toBeGreaterThan(0);
    expect(o.body.phone).toBe("138****1234");
    expect(Object.keys(o.body.balances).length).toBeGreaterThan(0);
    const top = await h.call("GET", `/v1/promoters/${a.promoterId}/overview?programId=${m.programId}`, { token: m.apiKey });
    expect(top.body.team).toEqual({ level1: 1, level2: 1 });
    expect(top.body.inviterChain).toEqual([]);
  });
});

describe("CSV exports", () => {
  it("orders: UTF-8 with BOM, a header, the rows the filters select", async () => {
    const r = await csv("/v1/orders/export.csv?orderRef=SHOP-", m.apiKey);
    expect(r.status).toBe(200);
    expect(r.type).toContain("text/csv");
    expect([...r.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(r.rows[0]).toMatch(/^orderRef,programId,customerRef,channel/);
    expect(r.rows).toHaveLength(3);
    expect(r.text).toContain("SHOP-1002");
    expect(r.text).not.toContain("OTHER-7");
    const bad = await h.call("GET", "/v1/orders/export.csv?channel=", { token: m.apiKey });
    expect(bad.status).toBe(400);
  });

  it("promoters (Chinese names), commissions and customers; the customers export is audited", async () => {
    const p = await csv("/v1/promoters/export.csv?q=小明", m.apiKey);
    expect([...p.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(p.rows).toHaveLength(2);
    expect(p.rows[1]).toContain("王小明");
    expect(p.text).not.toContain("13812341234"); // no phone numbers in the promoter export
    const cl = await csv(`/v1/commissions/export.csv?promoterId=${c.promoterId}`, m.apiKey);
    expect(cl.rows[0]).toContain("amountMinor");
    expect(cl.rows.length).toBeGreaterThan(1);
    expect(cl.rows.slice(1).every((row) => row.includes(c.promoterId))).toBe(true);
    const cu = await csv("/v1/customers/export.csv", m.apiKey);
    expect(cu.rows[0]).toBe("customerRef,name,phone,registeredAt,programId,boundPromoterId,boundAt,bindingExpiresAt");
    // masked as in the list: an export never carries the sealed values (the full data is one customer's audited reveal)
    expect(cu.text).toContain("139****1111");
    expect(cu.text).not.toContain("13900001111");
    const audits = await h.db.read((q) =>
      q.query("SELECT id FROM audit_log WHERE merchant_id = $1 AND action = 'customer.export'", [m.merchantId]),
    );
    expect(audits).toHaveLength(1);
    // the list is masked; the full data of one customer is an audited reveal
    const list = await h.call("GET", "/v1/customers?limit=2", { token: m.apiKey });
    expect(list.body.items[0].phone).toBe("139****1111");
    const full = await h.call("POST", `/v1/customers/${list.body.items[0].id}/reveal`, { token: m.apiKey });
    expect(full.body.phone).toBe("13900001111");
    const views = await h.db.read((q) =>
      q.query<{ subject: string }>("SELECT subject FROM audit_log WHERE merchant_id = $1 AND action = 'customer.reveal'", [m.merchantId]),
    );
    expect(views.map((v) => v.subject)).toEqual([`customer:${list.body.items[0].id}`]);
  });

  it("streams a large export in pages", async () => {
    const many = await merchantFixture(h, "ManyRows");
    const p = await promoterFixture(h, many, "Seller");
    const batch = Array.from({ length: 1200 }, (_, i) =>
      paidOrder(`BULK-${i}`, `bulk-${i}`, { promoCode: p.code, paidAt: "2026-03-10T00:00:00Z" }),
    );
    for (let i = 0; i < batch.length; i += 200) {
      const r = await h.call("POST", "/v1/orders/batch", { token: many.apiKey, body: { orders: batch.slice(i, i + 200) } });
      expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBeLessThan(300);
    }
    const r = await csv("/v1/orders/export.csv", many.apiKey);
    expect(r.rows).toHaveLength(1201);
    expect(new Set(r.rows.slice(1).map((x) => x.split(",")[0])).size).toBe(1200);
  });
});
