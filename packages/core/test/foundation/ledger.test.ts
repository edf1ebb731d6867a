import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  accrue,
  assertBalanced,
  chainHash,
  compound,
  GENESIS_HASH,
  release,
  reverse,
  transfer,
  verifyChain,
} from "../../src/ledger/index.ts";

function chainOf(txs: ReturnType<typeof transfer>[]) {
  let prev = GENESIS_HASH;
  return txs.map((t, i) => {
    const row = { ...t, seq: i + 1, createdAt: `2026-01-01T00:00:0${i % 10}.000Z` };
    const hash = chainHash(prev, row);
    const out = { ...row, prevHash: prev, hash };
    prev = hash;
    return out;
  });
}

describe("postings", () => {
  it("refuses an unbalanced or zero leg", () => {
    expect(() =>
      assertBalanced({
        kind: "x",
        causeRef: "c",
        memo: "",
        postings: [
          { account: "a", amountMinor: 1, currency: "CNY" },
          { account: "b", amountMinor: -2, currency: "CNY" },
        ],
      }),
    ).toThrow(/sum to -1/);
    expect(() =>
      assertBalanced({
        kind: "x",
        causeRef: "c",
        memo: "",
        postings: [
          { account: "a", amountMinor: 0, currency: "CNY" },
          { account: "b", amountMinor: 0, currency: "CNY" },
        ],
      }),
    ).toThrow(/non-zero/);
  });

  it("every recipe balances for any amounts", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("p1", "p2", "p3"), fc.integer({ min: -1e9, max: 1e9 })), { minLength: 1, maxLength: 8 }),
        (xs) => {
          const amounts = xs.map(([promoterId, amountMinor]) => ({ promoterId, amountMinor }));
          for (const tx of [
            accrue("m", "CNY", "c1", "", amounts),
            release("CNY", "c2", "", amounts),
            reverse(
              "m",
              "CNY",
              "c3",
              "",
              amounts.map((a) => ({ ...a, from: "available" as const })),
            ),
          ]) {
            if (tx) {
              const s = tx.postings.reduce((acc, p) => acc + p.amountMinor, 0);
              expect(s).toBe(0);
              expect(tx.postings.every((p) => p.amountMinor !== 0)).toBe(true);
            }
          }
        },
      ),
    );
  });

  it("compound nets legs to the same account and drops what nets to zero", () => {
    expect(
      compound("k", "c", "", [
        { account: "a", amountMinor: 5, currency: "CNY" },
        { account: "b", amountMinor: -5, currency: "CNY" },
        { account: "b", amountMinor: 5, currency: "CNY" },
        { account: "a", amountMinor: -5, currency: "CNY" },
      ]),
    ).toBeNull();
  });
});

describe("hash chain", () => {
  const txs = [
    transfer("accrue", "o1", "m", "merchant:m:commission_expense", "promoter:p:pending", 1000, "CNY"),
    transfer("release", "r1", "m", "promoter:p:pending", "promoter:p:available", 1000, "CNY"),
  ];
  it("verifies an intact chain", () => {
    expect(verifyChain(chainOf(txs))).toEqual([]);
  });
  it("detects a changed amount, a removed transaction and a reordering", () => {
    const rows = chainOf(txs);
    const tampered = rows.map((r, i) =>
      i === 0 ? { ...r, postings: r.postings.map((p) => ({ ...p, amountMinor: p.amountMinor * 2 })) } : r,
    );
    expect(verifyChain(tampered).some((p) => p.problem.startsWith("hash"))).toBe(true);
    expect(verifyChain(rows.slice(1)).length).toBeGreaterThan(0);
    expect(verifyChain([rows[1], rows[0]] as typeof rows).length).toBeGreaterThan(0);
  });
  it("continues from a start point (paged verification)", () => {
    const rows = chainOf(txs);
    expect(verifyChain(rows.slice(1), { hash: rows[0]?.hash as string, seq: 1 })).toEqual([]);
  });
});
