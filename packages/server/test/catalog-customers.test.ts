import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type MerchantFixture, merchantFixture, promoterFixture, START, startHarness } from "./helpers.ts";

// Products and categories with the rates the plan in force pays (equal to what an ingested order is paid), and the
// customers screen: masked lists, the audited reveal, the portal always masked, and no full phone in any list.
let h: Harness;
let m: MerchantFixture;
let a: Awaited<ReturnType<typeof promoterFixture>>;
let b: Awaited<ReturnType<typeof promoterFixture>>;
let c: Awaited<ReturnType<typeof promoterFixture>>;

const PLAN = {
  version: 1,
  base: { defaultRateBps: 1000, productRates: { PRAM: 1500 }, categoryRates: { toys: 800 } },
  firstOrder: { firstRateBps: 1200, repeatRateBps: 900 },
  team: { levels: [{ rateBps: 300 }, { rateBps: 100 }] },
  campaigns: [{ id: "spring", startsAt: "2026-03-01T00:00:00Z", endsAt: "2026-04-01T00:00:00Z", productIds: ["BLOCKS"], addBps: 200 }],
};

const PHONES = { wang: "13512345678", li: "13698765432", zhao: "13700001234" };

async function ingest(orderRef: string, customerRef: string, productId: string, amountMinor: number, phone?: string) {
  const r = await h.call("POST", "/v1/orders", {
    token: m.apiKey,
    headers: { "idempotency-key": `k-${orderRef}` },
    body: {
      orderRef,
      customer: { ref: customerRef, ...(phone ? { phone } : {}) },
      paidAt: START,
      promoCode: c.code,
      lines: [{ productId, quantity: 1, netAmountMinor: amountMinor }],
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return h.db.read((q) =>
    q.query<{ level: number; kind: string; amount_minor: string; rate_bps: number | null; explanation_zh: string }>(
      `SELECT cl.level, cl.kind, cl.amount_minor, cl.rate_bps, cl.explanation_zh FROM commission_lines cl JOIN orders o
         ON o.merchant_id = cl.merchant_id AND o.id = cl.order_id WHERE o.merchant_id = $1 AND o.order_ref = $2 ORDER BY cl.level`,
      [m.merchantId, orderRef],
    ),
  );
}

beforeAll(async () => {
  h = await startHarness();
  m = await merchantFixture(h, "Catalog", { plan: PLAN });
  a = await promoterFixture(h, m, "Alice");
  b = await promoterFixture(h, m, "Bob", a.code);
  c = await promoterFixture(h, m, "Carol", b.code);
  const cats = await h.call("PUT", "/v1/categories", {
    token: m.apiKey,
    body: {
      items: [
        { id: "toys", name: "玩具" },
        { id: "home", name: "家居" },
      ],
    },
  });
  expect(cats.status).toBe(200);
  const prods = await h.call("PUT", "/v1/products", {
    token: m.apiKey,
    body: {
      items: [
        { id: "PRAM", name: "婴儿推车", categoryId: "toys", priceMinor: 200_000 },
        { id: "BLOCKS", name: "积木", categoryId: "toys", priceMinor: 5_000 },
        { id: "MUG", name: "马克杯", categoryId: "home", priceMinor: 3_000 },
      ],
    },
  });
  expect(prods.status).toBe(200);
});
afterAll(async () => h?.close());

const rates = (query: string) => h.call("GET", `/v1/programs/${m.programId}/effective-rates?${query}`, { token: m.apiKey });
type Line = {
  level: number;
  kind: string;
  amountMinor: number;
  rateBps: number | null;
  source: string | null;
  explanation: { zh: string };
};

describe("effective rates", () => {
  it("lists products with the seller's, level-1 and level-2 rates and the reason", async () => {
    const r = await rates(`at=${encodeURIComponent(START)}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.total).toBe(3);
    expect(r.body.planVersion).toBe(1);
    const by = Object.fromEntries(r.body.items.map((i: { id: string }) => [i.id, i]));
    expect(by.PRAM).toMatchObject({ name: "婴儿推车", categoryName: "玩具", priceMinor: 200_000 });
    expect(by.PRAM.rates).toMatchObject({ sellerBps: 1500, level1Bps: 300, level2Bps: 100 });
    expect(by.PRAM.rates.lines[0]).toMatchObject({ source: "product", amountMinor: 30_000 });
    // a category rate, plus a campaign addition in force
    expect(by.BLOCKS.rates.sellerBps).toBe(1000);
    expect(by.BLOCKS.rates.lines[0].source).toBe("category");
    expect(by.BLOCKS.rates.lines[0].additions).toEqual([{ reason: "campaign", bps: 200, campaignId: "spring" }]);
    expect(by.MUG.rates.lines[0].source).toBe("first_order");
    expect(by.MUG.rates.sellerBps).toBe(1200);
    expect(by.MUG.rates.variesBy).toContain("first_order");
    // a repeat order and a date after the campaign change the figures
    const later = await rates(`productId=BLOCKS&firstOrder=false&at=${encodeURIComponent("2026-04-02T00:00:00Z")}`);
    expect(later.body.items).toHaveLength(1);
    expect(later.body.items[0].rates.sellerBps).toBe(800);
    const repeat = await rates(`productId=MUG&firstOrder=false&at=${encodeURIComponent(START)}`);
    expect(repeat.body.items[0].rates.sellerBps).toBe(900);
  });

  for (const [product, price] of [
    ["PRAM", 200_000],
    ["BLOCKS", 5_000],
    ["MUG", 3_000],
  ] as const) {
    it(`${product}: the rates shown are what an ingested order of it is paid`, async () => {
      const shown = await rates(`productId=${product}&at=${encodeURIComponent(START)}`);
      const item = shown.body.items[0];
      const paid = await ingest(`ORD-${product}`, `cust-${product}`, product, price);
      const lines: Line[] = item.rates.lines;
      expect(paid.map((l) => [l.level, l.kind, Number(l.amount_minor)])).toEqual(lines.map((l) => [l.level, l.kind, l.amountMinor]));
      expect(paid.map((l) => l.rate_bps)).toEqual(lines.map((l) => l.rateBps));
      // the same reason in the same words (the stored line adds the order reference in front)
      for (const [i, l] of paid.entries()) expect(l.explanation_zh.endsWith(lines[i]?.explanation.zh ?? "?"), l.explanation_zh).toBe(true);
    });
  }

  it("lists categories with the rate a product of it with no rate of its own is paid", async () => {
    const r = await rates(`kind=category&at=${encodeURIComponent(START)}`);
    expect(r.body.total).toBe(2);
    const by = Object.fromEntries(r.body.items.map((i: { id: string }) => [i.id, i]));
    expect(by.toys.rates.sellerBps).toBe(800);
    expect(by.toys.rates.lines[0].source).toBe("category");
    expect(by.home.rates.lines[0].source).toBe("first_order");
  });

  it("searches, pages and refuses bad input by field", async () => {
    const s = await rates("q=推车");
    expect(s.body.items.map((i: { id: string }) => i.id)).toEqual(["PRAM"]);
    const p = await rates("limit=1&offset=1");
    expect(p.body.items.map((i: { id: string }) => i.id)).toEqual(["MUG"]);
    expect(p.body.total).toBe(3);
    const bad = await rates("at=yesterday");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("at");
    const badKind = await rates("kind=brand");
    expect(badKind.status).toBe(400);
    expect(JSON.stringify(badKind.body)).toContain("kind");
    const none = await h.call("GET", "/v1/programs/prg_nope/effective-rates", { token: m.apiKey });
    expect(none.status).toBe(404);
    const before = await rates(`at=${encodeURIComponent("2019-01-01T00:00:00Z")}`);
    expect(before.body.planVersion).toBeNull();
    expect(before.body.items[0].rates).toBeNull();
  });
});

describe("customers", () => {
  let wangId: string;

  beforeAll(async () => {
    const reg = async (ref: string, phone: string, name: string, promoCode?: string) => {
      const r = await h.call("POST", "/v1/customers", {
        token: m.apiKey,
        headers: { "idempotency-key": `reg-${ref}` },
        body: { programId: m.programId, customerRef: ref, phone, name, promoCode },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.customerId as string;
    };
    wangId = await reg("VIP-001", PHONES.wang, "王芳", c.code);
    await reg("VIP-002", PHONES.li, "李雷", a.code);
    await reg("GUEST-9", PHONES.zhao, "赵六");
    await ingest("ORD-WANG", "VIP-001", "MUG", 3_000);
  });

  it("the list is masked, searchable by reference, name and phone, filtered, with a total", async () => {
    const all = await h.call("GET", `/v1/customers?programId=${m.programId}&limit=200`, { token: m.apiKey });
    expect(all.status).toBe(200);
    const wang = all.body.items.find((x: { customerRef: string }) => x.customerRef === "VIP-001");
    expect(wang).toMatchObject({ phone: "135****5678", name: "王*", boundPromoterId: c.promoterId, boundPromoterName: "Carol", orders: 1 });
    expect(all.body.total).toBe(all.body.items.length);
    const search = async (qs: string) =>
      (await h.call("GET", `/v1/customers?programId=${m.programId}&${qs}`, { token: m.apiKey })).body as {
        items: { customerRef: string }[];
        total: number;
      };
    expect((await search("q=VIP")).total).toBe(2);
    expect((await search(`q=${encodeURIComponent("李")}`)).items.map((x) => x.customerRef)).toEqual(["VIP-002"]);
    expect((await search(`q=${PHONES.zhao}`)).items.map((x) => x.customerRef)).toEqual(["GUEST-9"]);
    expect((await search(`q=${encodeURIComponent("137 0000 1234")}`)).items.map((x) => x.customerRef)).toEqual(["GUEST-9"]);
    expect((await search(`promoterId=${a.promoterId}`)).items.map((x) => x.customerRef)).toEqual(["VIP-002"]);
    expect((await search("bound=no&q=GUEST")).total).toBe(1);
    expect((await search("bound=yes&q=GUEST")).total).toBe(0);
    const bad = await h.call("GET", "/v1/customers?bound=maybe", { token: m.apiKey });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("bound");
  });

  it("the detail has the binding and its history, orders and referrals, masked", async () => {
    const d = await h.call("GET", `/v1/customers/${wangId}`, { token: m.apiKey });
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ customerRef: "VIP-001", phone: "135****5678", name: "王*" });
    expect(d.body.bindings.current).toHaveLength(1);
    expect(d.body.bindings.current[0]).toMatchObject({ promoterId: c.promoterId, promoterName: "Carol" });
    expect(d.body.bindings.history[0]).toMatchObject({ promoterId: c.promoterId, via: "registration" });
    expect(d.body.orders.map((o: { orderRef: string }) => o.orderRef)).toEqual(["ORD-WANG"]);
    expect(d.body.referrals).toEqual({ referredCustomers: 0, rewards: [] });
    expect(JSON.stringify(d.body)).not.toContain(PHONES.wang);
    const none = await h.call("GET", "/v1/customers/cus_nope", { token: m.apiKey });
    expect(none.status).toBe(404);
  });

  it("the reveal shows the full phone and name, and each one is an audit entry naming who and which customer", async () => {
    const auditRows = () =>
      h.db.read((q) =>
        q.query<{ actor: string; subject: string; created_at: Date }>(
          "SELECT actor, subject, created_at FROM audit_log WHERE merchant_id = $1 AND action = 'customer.reveal' ORDER BY created_at, id",
          [m.merchantId],
        ),
      );
    expect(await auditRows()).toHaveLength(0);
    const r = await h.call("POST", `/v1/customers/${wangId}/reveal`, { token: m.adminToken });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ customerRef: "VIP-001", phone: PHONES.wang, name: "王芳" });
    const rows = await auditRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.subject).toBe(`customer:${wangId}`);
    expect(rows[0]?.actor).toMatch(/^user:/);
    await h.call("POST", `/v1/customers/${wangId}/reveal`, { token: m.apiKey });
    expect(await auditRows()).toHaveLength(2);
    const d = await h.call("GET", `/v1/customers/${wangId}`, { token: m.apiKey });
    expect(d.body.reveals).toHaveLength(2);
    // a promoter cannot reveal; an unknown customer is 404 and audits nothing
    expect((await h.call("POST", `/v1/customers/${wangId}/reveal`, { token: c.token })).status).toBe(403);
    expect((await h.call("POST", "/v1/customers/cus_nope/reveal", { token: m.apiKey })).status).toBe(404);
    expect(await auditRows()).toHaveLength(2);
  });

  it("the promoter's phone is masked in the merchant's lists and shown by an audited reveal", async () => {
    const list = await h.call("GET", `/v1/promoters?programId=${m.programId}`, { token: m.apiKey });
    expect(list.body.items.every((p: { phone: string | null }) => p.phone === "138****1234")).toBe(true);
    const one = await h.call("GET", `/v1/promoters/${c.promoterId}?programId=${m.programId}`, { token: m.apiKey });
    expect(one.body.phone).toBe("138****1234");
    const r = await h.call("POST", `/v1/promoters/${c.promoterId}/reveal`, { token: m.apiKey, body: { programId: m.programId } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ promoterId: c.promoterId, phone: "13812341234", name: "Carol" });
    const rows = await h.db.read((q) =>
      q.query("SELECT subject FROM audit_log WHERE merchant_id = $1 AND action = 'promoter.reveal'", [m.merchantId]),
    );
    expect(rows).toEqual([{ subject: `promoter:${c.promoterId}` }]);
    const missing = await h.call("POST", `/v1/promoters/${c.promoterId}/reveal`, { token: m.apiKey, body: {} });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain("programId");
  });

  it("the promoter's portal always shows its customers masked", async () => {
    const mine = await h.call("GET", `/v1/me/customers?merchantId=${m.merchantId}&programId=${m.programId}`, { token: c.token });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((x: { phone: string }) => x.phone)).toContain("135****5678");
    expect(mine.body.items.map((x: { name: string }) => x.name)).toContain("王*");
  });

  it("no list response carries a full phone number", async () => {
    const urls: [string, string][] = [
      [m.apiKey, `/v1/customers?limit=200`],
      [m.apiKey, `/v1/customers?programId=${m.programId}&q=VIP`],
      [m.apiKey, `/v1/customers/${wangId}`],
      [m.apiKey, `/v1/promoters?limit=200`],
      [m.apiKey, `/v1/promoters/${a.promoterId}?programId=${m.programId}`],
      [m.apiKey, `/v1/promoters/${a.promoterId}/team?programId=${m.programId}`],
      [m.apiKey, `/v1/promoters/${a.promoterId}/overview?programId=${m.programId}`],
      [m.apiKey, "/v1/orders?limit=200"],
      [m.apiKey, "/v1/orders/ORD-WANG/detail"],
      [m.apiKey, `/v1/programs/${m.programId}/effective-rates`],
      [a.token, `/v1/me/team?merchantId=${m.merchantId}&programId=${m.programId}`],
      [c.token, `/v1/me/customers?merchantId=${m.merchantId}&programId=${m.programId}`],
    ];
    for (const [token, url] of urls) {
      const r = await h.call("GET", url, { token });
      expect(r.status, url).toBeLessThan(300);
      const text = JSON.stringify(r.body);
      for (const phone of [...Object.values(PHONES), "13812341234"]) expect(text.includes(phone), `${url} shows ${phone}`).toBe(false);
    }
  });
});
