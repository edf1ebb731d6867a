/**
 * Links and public codes over HTTP: landing URLs are http(s) only (on input, and again before a redirect), codes are
 * found through the code registry with two merchants present, and a code a merchant chooses is refused with 409 when
 * anyone (of any merchant) already has it. Every refusal writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type MerchantFixture, merchantFixture, PASSWORD, promoterFixture, startHarness } from "./helpers.ts";

let h: Harness;
let a: MerchantFixture;
let b: MerchantFixture;

beforeAll(async () => {
  h = await startHarness();
  a = await merchantFixture(h, "Alpha", { program: { landingUrl: "https://alpha.example/" } });
  b = await merchantFixture(h, "Beta", { program: { landingUrl: "https://beta.example/" } });
});
afterAll(async () => h?.close());

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return h.db.read((q) => q.query<T & Record<string, unknown>>(sql, params));
}

/** Row counts of the tables a refused request could have written to. */
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ["programs", "products", "links", "clicks", "memberships", "promoters", "users", "public_codes", "audit_log"]) {
    const [r] = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`);
    out[t] = Number(r?.n);
  }
  return out;
}

function issuePaths(body: { error: { details: { issues?: { path: string }[] } } }): string[] {
  return (body.error.details.issues ?? []).map((i) => i.path);
}

const HOSTILE = [
  "javascript:alert(document.cookie)",
  "JavaScript://shop.example/%0Aalert(1)",
  "data:text/html,<script>alert(1)</script>",
  "ftp://shop.example/",
  "vbscript:msgbox(1)",
  "/relative/path",
];

describe("landing URLs are http or https only", () => {
  it("creating a program with a javascript:, data: or other non-web landing URL is a 400 naming landingUrl", async () => {
    for (const url of HOSTILE) {
      const before = await counts();
      const r = await h.call("POST", "/v1/programs", { token: a.apiKey, body: { name: "Evil", landingUrl: url } });
      expect(r.status, url).toBe(400);
      expect(r.body.error.code).toBe("VALIDATION_FAILED");
      expect(issuePaths(r.body)).toEqual(["landingUrl"]);
      expect(await counts()).toEqual(before);
    }
    const ok = await h.call("POST", "/v1/programs", { token: a.apiKey, body: { name: "Fine", landingUrl: "http://alpha.example/x?y=1" } });
    expect(ok.status).toBe(201);
  });

  it("changing a program's landing URL to one is refused the same way, and the old URL stays", async () => {
    for (const url of HOSTILE) {
      const r = await h.call("PATCH", `/v1/programs/${a.programId}`, { token: a.apiKey, body: { landingUrl: url } });
      expect(r.status, url).toBe(400);
      expect(issuePaths(r.body)).toEqual(["landingUrl"]);
    }
    const [p] = await rows<{ landing_url: string }>("SELECT landing_url FROM programs WHERE merchant_id = $1 AND id = $2", [
      a.merchantId,
      a.programId,
    ]);
    expect(p?.landing_url).toBe("https://alpha.example/");
  });

  it("a product's landing URL is checked too, naming the item's field", async () => {
    for (const url of HOSTILE) {
      const before = await counts();
      const r = await h.call("PUT", "/v1/products", {
        token: a.apiKey,
        body: {
          items: [
            { id: "OK-1", name: "fine" },
            { id: "EVIL", name: "evil", landingUrl: url },
          ],
        },
      });
      expect(r.status, url).toBe(400);
      expect(issuePaths(r.body)).toEqual(["items.1.landingUrl"]);
      expect(await counts()).toEqual(before);
    }
  });

  it("a landing URL stored before the check is neither linked to nor redirected to", async () => {
    const p = await promoterFixture(h, a, "Legacy");
    const link = await h.call("POST", "/v1/me/links", { token: p.token, body: { merchantId: a.merchantId, programId: a.programId } });
    expect(link.status).toBe(201);
    await h.call("PUT", "/v1/products", { token: a.apiKey, body: { items: [{ id: "OLD", name: "old product" }] } });
    // as a row written by an earlier version could be
    await h.db.tx(async (q) => {
      await q.query("UPDATE programs SET landing_url = 'javascript:alert(1)' WHERE merchant_id = $1 AND id = $2", [
        a.merchantId,
        a.programId,
      ]);
      await q.query("UPDATE links SET target_url = 'data:text/html,x' WHERE merchant_id = $1 AND code = $2", [
        a.merchantId,
        link.body.code,
      ]);
    });
    try {
      for (const code of [link.body.code, p.code]) {
        const before = await counts();
        const r = await h.call("GET", `/r/${code}`);
        expect(r.status, code).toBe(404);
        expect(r.body.error.code).toBe("LINK_UNKNOWN");
        expect(r.headers.get("location")).toBeNull();
        expect(await counts()).toEqual(before);
      }
      const before = await counts();
      const r = await h.call("POST", "/v1/me/links", {
        token: p.token,
        body: { merchantId: a.merchantId, programId: a.programId, productId: "OLD" },
      });
      expect(r.status).toBe(400);
      expect(issuePaths(r.body)).toEqual(["productId"]);
      expect(await counts()).toEqual(before);
    } finally {
      await h.db.tx((q) =>
        q.query("UPDATE programs SET landing_url = 'https://alpha.example/' WHERE merchant_id = $1 AND id = $2", [
          a.merchantId,
          a.programId,
        ]),
      );
    }
  });
});

describe("codes are looked up through the registry, with two merchants", () => {
  it("/r/{code} of each merchant's promoter and link leads to that merchant's page and records the click there", async () => {
    const pa = await promoterFixture(h, a, "Ann");
    const pb = await promoterFixture(h, b, "Bob");
    const la = await h.call("POST", "/v1/me/links", { token: pa.token, body: { merchantId: a.merchantId, programId: a.programId } });
    const lb = await h.call("POST", "/v1/me/links", { token: pb.token, body: { merchantId: b.merchantId, programId: b.programId } });
    const cases = [
      { code: pa.code, merchant: a, promoterId: pa.promoterId, origin: "https://alpha.example" },
      { code: la.body.code, merchant: a, promoterId: pa.promoterId, origin: "https://alpha.example" },
      { code: pb.code, merchant: b, promoterId: pb.promoterId, origin: "https://beta.example" },
      { code: lb.body.code, merchant: b, promoterId: pb.promoterId, origin: "https://beta.example" },
    ];
    for (const c of cases) {
      const r = await h.call("GET", `/r/${c.code.toLowerCase()}`);
      expect(r.status, c.code).toBe(302);
      const loc = new URL(r.headers.get("location") as string);
      expect(loc.origin).toBe(c.origin);
      const [click] = await rows<{ merchant_id: string; promoter_id: string; link_code: string }>(
        "SELECT merchant_id, promoter_id, link_code FROM clicks WHERE token = $1",
        [loc.searchParams.get("fx_click")],
      );
      expect(click).toEqual({ merchant_id: c.merchant.merchantId, promoter_id: c.promoterId, link_code: c.code });
    }
    // every code has its one row in the registry, naming its merchant
    const reg = await rows<{ code: string; merchant_id: string; kind: string }>(
      "SELECT code, merchant_id, kind FROM public_codes WHERE code = ANY($1) ORDER BY code",
      [cases.map((c) => c.code)],
    );
    expect(reg).toEqual(
      cases
        .map((c, i) => ({ code: c.code, merchant_id: c.merchant.merchantId, kind: i % 2 === 0 ? "membership" : "link" }))
        .sort((x, y) => (x.code < y.code ? -1 : 1)),
    );
  });

  it("joining by an invite code joins the code owner's merchant and program; a link code is not an invite code", async () => {
    const inviter = await promoterFixture(h, b, "Inviter");
    const r = await h.call("POST", "/v1/join", {
      body: { inviteCode: inviter.code.toLowerCase(), name: "Joiner", email: "joiner@test.local", password: PASSWORD },
    });
    // Join answers 202 without a session (it does not tell whether the e-mail exists); the membership is in the database.
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(
      await rows(
        `SELECT m.merchant_id, m.program_id, m.inviter_id FROM memberships m JOIN users u ON u.promoter_id = m.promoter_id
         WHERE u.email = 'joiner@test.local'`,
      ),
    ).toEqual([{ merchant_id: b.merchantId, program_id: b.programId, inviter_id: inviter.promoterId }]);
    const link = await h.call("POST", "/v1/me/links", { token: inviter.token, body: { merchantId: b.merchantId, programId: b.programId } });
    const before = await counts();
    const bad = await h.call("POST", "/v1/join", {
      body: { inviteCode: link.body.code, name: "Joiner2", email: "joiner2@test.local", password: PASSWORD },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: "INVITE_CODE_UNKNOWN", details: { field: "inviteCode" } });
    expect(await counts()).toEqual(before);
  });

  it("a repeated link request returns the same link and registers no second code", async () => {
    const p = await promoterFixture(h, a, "Repeat");
    const body = { merchantId: a.merchantId, programId: a.programId };
    const first = await h.call("POST", "/v1/me/links", { token: p.token, body });
    const before = await counts();
    const again = await Promise.all([1, 2, 3].map(() => h.call("POST", "/v1/me/links", { token: p.token, body })));
    for (const r of again) expect([r.status, r.body.code]).toEqual([200, first.body.code]);
    expect(await counts()).toEqual(before);
  });
});

describe("a code the merchant chooses", () => {
  it("is stored upper-case and found by /r/ and join; the same code for another merchant is a 409 naming the field", async () => {
    const r = await h.call("POST", "/v1/promoters", { token: a.apiKey, body: { programId: a.programId, name: "Vip", code: "vip2026" } });
    expect(r.status).toBe(201);
    expect(r.body.code).toBe("VIP2026");
    const click = await h.call("GET", "/r/VIP2026");
    expect(new URL(click.headers.get("location") as string).origin).toBe("https://alpha.example");
    const existing = await promoterFixture(h, a, "Random");
    for (const [code, merchant] of [
      ["VIP2026", b],
      ["Vip2026", a],
      [existing.code, b],
    ] as const) {
      const before = await counts();
      const taken = await h.call("POST", "/v1/promoters", {
        token: merchant.apiKey,
        body: { programId: merchant.programId, name: "Copy", code },
      });
      expect(taken.status, code).toBe(409);
      expect(taken.body.error).toMatchObject({ code: "CODE_TAKEN", details: { field: "code", code: code.toUpperCase() } });
      expect(await counts()).toEqual(before);
    }
    const bad = await h.call("POST", "/v1/promoters", {
      token: b.apiKey,
      body: { programId: b.programId, name: "Bad", code: "no spaces" },
    });
    expect(bad.status).toBe(400);
    expect(issuePaths(bad.body)).toEqual(["code"]);
  });
});
