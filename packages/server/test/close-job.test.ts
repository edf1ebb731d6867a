import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDueCloses } from "../src/jobs/close.ts";
import { type Harness, type MerchantFixture, merchantFixture, promoterFixture, startHarness } from "./helpers.ts";

let h: Harness;
let m: MerchantFixture;

beforeAll(async () => {
  h = await startHarness("2026-01-10T00:00:00Z");
  m = await merchantFixture(h, "Catchup");
  const p = await promoterFixture(h, m, "Seller");
  for (const [ref, at] of [
    ["J-1", "2026-01-15T02:00:00Z"],
    ["F-1", "2026-02-15T02:00:00Z"],
    ["M-1", "2026-03-15T02:00:00Z"],
  ]) {
    h.clock.set(at as string);
    await h.call("POST", "/v1/orders", {
      token: m.apiKey,
      body: {
        orderRef: ref,
        customer: { ref: "c" },
        promoCode: p.code,
        paidAt: at,
        lines: [{ productId: "X", quantity: 1, netAmountMinor: 1000 }],
      },
    });
  }
});
afterAll(async () => h?.close());

describe("close job", () => {
  it("catches up every ended period, oldest first, and never closes one twice", async () => {
    h.clock.set("2026-04-02T00:00:00Z"); // March ended, but its 3 grace days have not passed
    expect(await runDueCloses(h.db, h.clock)).toEqual([`${m.merchantId}/${m.programId}/2026-01`, `${m.merchantId}/${m.programId}/2026-02`]);
    expect(await runDueCloses(h.db, h.clock)).toEqual([]);
    h.clock.set("2026-04-04T00:00:00Z");
    expect(await runDueCloses(h.db, h.clock)).toEqual([`${m.merchantId}/${m.programId}/2026-03`]);
  });
});
