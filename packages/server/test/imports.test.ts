/**
 * CSV import of paid orders over the real HTTP route: streamed upload, a job to poll, rows refused with their row
 * number and reason (a bad row refuses its whole order), idempotent by order reference (the same file again changes
 * nothing), and the same Idempotency-Key answering the first job.
 */
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_LIMIT_BYTES } from "../src/app.ts";
import { newId } from "../src/ids.ts";
import { getJob, insertJob } from "../src/modules/imports/repository.ts";
import { ImportInterrupted, runImport } from "../src/modules/imports/service.ts";
import { type Harness, type Json, type MerchantFixture, merchantFixture, promoterFixture, startHarness, TEST_KEY_RING } from "./helpers.ts";

let h: Harness;
let m: MerchantFixture;
let alice: Awaited<ReturnType<typeof promoterFixture>>;

beforeAll(async () => {
  h = await startHarness("2026-03-01T00:00:00.000Z");
  m = await merchantFixture(h, "Imports");
  alice = await promoterFixture(h, m, "Alice");
  h.clock.set("2026-03-10T00:00:00.000Z");
});
afterAll(async () => h?.close());

const HEADER = "order_ref,paid_at,customer_ref,promo_code,click_token,product_id,product_name,quantity,line_amount";

async function upload(csv: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${h.base}/v1/imports/orders?source=orders.csv`, {
    method: "POST",
    headers: { authorization: `Bearer ${m.apiKey}`, "content-type": "text/csv", ...headers },
    body: csv,
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function finished(jobId: string): Promise<Json> {
  for (let i = 0; i < 600; i++) {
    const r = await h.call("GET", `/v1/imports/${jobId}`, { token: m.apiKey });
    expect(r.status).toBe(200);
    if (r.body.status !== "running") return r.body;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error("the import did not finish");
}

const orderCount = async () =>
  Number(
    (await h.db.read((q) => q.query<{ n: number }>("SELECT count(*)::int AS n FROM orders WHERE merchant_id = $1", [m.merchantId])))[0]?.n,
  );

describe("CSV import", () => {
  const csv = () =>
    [
      HEADER,
      `IMP-1,2026-03-05T10:00:00+08:00,cust-1,${alice.code},,P1,"Tea, 250 g",1,100.00`, // row 2
      "IMP-1,2026-03-05T10:00:00+08:00,cust-1,,,P2,Cup,2,50.01", // row 3
      "IMP-2,2026-03-05T11:00:00+08:00,cust-2,,,P1,Tea,1,10.00", // row 4: refused with its order
      "IMP-2,2026-03-05T11:00:00+08:00,cust-2,,,P2,Cup,1,12.345", // row 5: three decimals
      "IMP-3,2026-03-06T09:00:00+08:00,cust-3,,,P3,Pot,1,88", // row 6
      ",2026-03-06T09:00:00+08:00,cust-4,,,P3,Pot,1,88", // row 7: no order_ref
      "IMP-1,2026-03-06T09:00:00+08:00,cust-1,,,P9,Late,1,1.00", // row 8: IMP-1 again, not adjacent
      "IMP-4,yesterday,cust-5,,,P3,Pot,1,1.00", // row 9
    ].join("\n");

  it("imports the good orders, reports every refused row with its number and reason", async () => {
    const up = await upload(csv(), { "idempotency-key": "import-1" });
    expect(up.status).toBe(202);
    expect(up.body.status).toBe("running");
    const job = await finished(up.body.id);
    expect(job).toMatchObject({
      status: "succeeded",
      rowsRead: 8,
      ordersImported: 2,
      ordersSkipped: 0,
      rowsRejected: 5,
      source: "orders.csv",
    });
    expect(job.bytesRead).toBe(job.bytesTotal);
    const byRow = Object.fromEntries(job.rejections.map((r: { rowNo: number; reason: string }) => [r.rowNo, r.reason]));
    expect(Object.keys(byRow).map(Number)).toEqual([4, 5, 7, 8, 9]);
    expect(byRow[5]).toContain("line_amount");
    expect(byRow[4]).toContain("row 5 was refused");
    expect(byRow[7]).toContain("order_ref: required");
    expect(byRow[8]).toContain("keep an order's rows together");
    expect(byRow[9]).toContain("paid_at");
    const o = await h.call("GET", "/v1/orders/IMP-1", { token: m.apiKey });
    expect(o.body.amountMinor).toBe(15_001);
    expect(o.body.promoterId).toBe(alice.promoterId);
    expect((await h.call("GET", "/v1/orders/IMP-2", { token: m.apiKey })).status).toBe(404);
    const page = await h.call("GET", `/v1/imports/${up.body.id}/rejections?afterRow=5&limit=2`, { token: m.apiKey });
    expect(page.body.items.map((r: { rowNo: number }) => r.rowNo)).toEqual([7, 8]);
    expect(page.body.nextAfterRow).toBe(8);
  });

  it("the same Idempotency-Key answers the first job; the same file again imports nothing twice", async () => {
    const before = await orderCount();
    const again = await upload(csv(), { "idempotency-key": "import-1" });
    expect(again.status).toBe(202);
    const first = (await h.call("GET", "/v1/imports", { token: m.apiKey })).body.items.at(-1);
    expect(again.body.id).toBe(first.id);
    const second = await upload(csv());
    const job = await finished(second.body.id);
    expect(job).toMatchObject({ status: "succeeded", ordersImported: 0, ordersSkipped: 2, rowsRejected: 5 });
    expect(await orderCount()).toBe(before);
  });

  it("a refusal of the order API names the CSV column: paid before the program existed → paid_at", async () => {
    const up = await upload([HEADER, "IMP-OLD,2026-02-01T10:00:00+08:00,cust-9,,,P1,Tea,1,10.00"].join("\n"));
    const job = await finished(up.body.id);
    expect(job).toMatchObject({ status: "succeeded", ordersImported: 0, rowsRejected: 1 });
    expect(job.rejections[0]).toMatchObject({ rowNo: 2, orderRef: "IMP-OLD", field: "paid_at" });
    expect(job.rejections[0].reason).toContain("before the program existed");
  });

  it("refuses a file without the required columns, and a body that is not a file", async () => {
    const r = await upload("order_ref,amount\nX,1.00\n");
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("IMPORT_COLUMNS_MISSING");
    expect(r.body.error.details.missing).toEqual(["paid_at", "customer_ref", "product_id", "quantity", "line_amount"]);
    const json = await h.call("POST", "/v1/imports/orders", { token: m.apiKey, body: { rows: [] } });
    expect(json.status).toBe(400);
    const anon = await fetch(`${h.base}/v1/imports/orders`, { method: "POST", headers: { "content-type": "text/csv" }, body: HEADER });
    expect(anon.status).toBe(401);
  });

  it("streams a larger file in chunks, with progress saved as it goes", async () => {
    const rows = [HEADER];
    const name = `"${"长".repeat(190)}, 250 g"`; // long names: the file is larger than a JSON request may be
    for (let i = 0; i < 1500; i++) {
      rows.push(`BULK-${i},2026-03-07T10:00:00+08:00,bulk-cust-${i % 300},,,P1,${name},1,10.00`);
      rows.push(`BULK-${i},2026-03-07T10:00:00+08:00,bulk-cust-${i % 300},,,P2,${name},2,5.50`);
    }
    const csv = `${rows.join("\r\n")}\r\n`;
    expect(Buffer.byteLength(csv)).toBeGreaterThan(BODY_LIMIT_BYTES);
    const up = await upload(csv);
    expect(up.status).toBe(202);
    const job = await finished(up.body.id);
    expect(job).toMatchObject({ status: "succeeded", rowsRead: 3000, ordersImported: 1500, rowsRejected: 0 });
    const [s] = await h.db.read((q) =>
      q.query<{ n: number; total: string }>(
        "SELECT count(*)::int AS n, sum(amount_minor)::text AS total FROM orders WHERE merchant_id = $1 AND order_ref LIKE 'BULK-%'",
        [m.merchantId],
      ),
    );
    expect(s).toEqual({ n: 1500, total: String(1500 * 1550) });
  }, 120_000);

  it("a stopped server leaves the job interrupted with the progress it made; a file that is not CSV fails the job", async () => {
    const jobId = newId("imp");
    await h.db.tx((q) =>
      insertJob(q, { merchantId: m.merchantId, id: jobId, source: "cut.csv", status: "running", bytesTotal: null, at: h.clock.now() }),
    );
    const lines = [HEADER];
    for (let i = 0; i < 600; i++) lines.push(`CUT-${i},2026-03-07T10:00:00+08:00,cut-c${i},,,P1,Tea,1,10.00`);
    let sent = 0;
    const input = new Readable({
      read() {
        if (sent === 0) {
          this.push(`${lines.slice(0, 400).join("\n")}\n`);
          sent++;
        } else if (sent === 1) {
          sent++;
          // the rest never comes: the server stops mid-file
          setTimeout(() => this.destroy(new ImportInterrupted()), 500);
        }
      },
    });
    await expect(
      runImport({ db: h.db, ring: TEST_KEY_RING, merchantId: m.merchantId, jobId, input, now: () => h.clock.now(), setOrders: 256 }),
    ).rejects.toBeInstanceOf(ImportInterrupted);
    const job = await h.db.read((q) => getJob(q, m.merchantId, jobId));
    expect(job?.status).toBe("interrupted");
    expect(job?.error).toContain("upload the file again");
    expect(job?.ordersImported).toBeGreaterThanOrEqual(256);
    expect(job?.rowsRead).toBeGreaterThan(256);
    expect(job?.rowsRead).toBeLessThan(600);

    // a job whose process died without a word: shown interrupted once its progress is 10 minutes old
    const stale = newId("imp");
    await h.db.tx((q) =>
      insertJob(q, { merchantId: m.merchantId, id: stale, source: "x.csv", status: "running", bytesTotal: 10, at: h.clock.now() }),
    );
    expect((await h.call("GET", `/v1/imports/${stale}`, { token: m.apiKey })).body.status).toBe("running");
    h.clock.set(new Date(h.clock.now().getTime() + 11 * 60_000));
    expect((await h.call("GET", `/v1/imports/${stale}`, { token: m.apiKey })).body.status).toBe("interrupted");

    const bad = await upload(`${HEADER}\n"unterminated,2026-03-07T10:00:00+08:00,c,,,P1,Tea,1,10.00\n`);
    expect(bad.status).toBe(202);
    const failed = await finished(bad.body.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/quote/i);
  });
});
