import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  budgetDraw,
  budgetReturn,
  budgetTopUp,
  type LedgerTxDraft,
  parseAccount,
  programAccount,
  serviceFee,
  serviceFeeOf,
} from "../../src/ledger/index.ts";

function legs(tx: LedgerTxDraft | null): Record<string, number> {
  return Object.fromEntries((tx?.postings ?? []).map((p) => [p.account, p.amountMinor]));
}

function apply(balances: Map<string, number>, tx: LedgerTxDraft | null): void {
  for (const p of tx?.postings ?? []) balances.set(p.account, (balances.get(p.account) ?? 0) + p.amountMinor);
}

describe("funding accounts and recipes", () => {
  it("program accounts are paths with the program as owner", () => {
    expect(programAccount("prg_1", "budget")).toBe("program:prg_1:budget");
    expect(parseAccount("program:prg_1:budget_used")).toEqual({ owner: "program", ownerId: "prg_1", type: "budget_used" });
    expect(parseAccount("merchant:m1:service_fee")).toEqual({ owner: "merchant", ownerId: "m1", type: "service_fee" });
  });

  it.each([
    ["top-up", budgetTopUp("P", "CNY", "c", "", 50_000), { "program:P:topups": -50_000, "program:P:budget": 50_000 }],
    ["draw", budgetDraw("P", "CNY", "c", "", 3_000), { "program:P:budget": -3_000, "program:P:budget_used": 3_000 }],
    ["return", budgetReturn("P", "CNY", "c", "", 3_000), { "program:P:budget_used": -3_000, "program:P:budget": 3_000 }],
    ["service fee", serviceFee("M", "CNY", "c", "", 150), { "merchant:M:service_fee": -150, "platform:fee": 150 }],
  ])("%s posts exactly its legs", (_name, tx, expected) => {
    expect(legs(tx)).toEqual(expected);
  });

  it("refuses amounts that are not positive integers; a zero service fee posts nothing", () => {
    expect(() => budgetTopUp("P", "CNY", "c", "", 0)).toThrow(/positive/);
    expect(() => budgetDraw("P", "CNY", "c", "", 1.5)).toThrow(/positive/);
    expect(() => budgetReturn("P", "CNY", "c", "", -1)).toThrow(/positive/);
    expect(serviceFee("M", "CNY", "c", "", 0)).toBeNull();
    expect(() => serviceFee("M", "CNY", "c", "", -1)).toThrow(/non-negative/);
  });

  it.each([
    [10_000, 250, 250],
    [1, 5_000, 1], // 0.5 fen rounds half-up
    [1, 4_999, 0],
    [333, 150, 5], // 4.995 → 5
    [123_456_789, 1, 12_346], // 12,345.6789 → 12,346
    [0, 300, 0],
  ])("service fee of %i at %i bps is %i", (gross, bps, fee) => {
    expect(serviceFeeOf(gross, bps)).toBe(fee);
  });

  it("top-ups, draws and returns keep remaining = paid in − drawn, and every tx balances", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("topup", "draw", "return"), fc.integer({ min: 1, max: 1_000_000 })), { maxLength: 40 }),
        (ops) => {
          const b = new Map<string, number>();
          let drawn = 0;
          for (const [op, x] of ops) {
            if (op === "topup") apply(b, budgetTopUp("P", "CNY", "c", "", x));
            else if (op === "draw") {
              apply(b, budgetDraw("P", "CNY", "c", "", x));
              drawn += x;
            } else if (drawn >= x) {
              apply(b, budgetReturn("P", "CNY", "c", "", x));
              drawn -= x;
            }
          }
          const sum = [...b.values()].reduce((s, v) => s + v, 0);
          expect(sum).toBe(0);
          const paidIn = 0 - (b.get("program:P:topups") ?? 0);
          expect((b.get("program:P:budget") ?? 0) === paidIn - (b.get("program:P:budget_used") ?? 0)).toBe(true);
          expect(b.get("program:P:budget_used") ?? 0).toBe(drawn);
        },
      ),
    );
  });
});
