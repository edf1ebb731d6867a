/** Golden scenarios: each file in ../scenarios holds the input and the expected output (computed by hand from the SPEC). */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/index.ts";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "scenarios");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort();

interface Expected {
  lines?: [string, string | null, number | null, string, number, number, string][];
  balances?: { promoters?: Record<string, unknown>; merchants?: Record<string, unknown> };
  rewards?: unknown[];
  promotions?: Record<string, unknown>[];
}

describe("golden scenarios", () => {
  it("has the scenarios issue 3 asks for", () => {
    expect(files.length).toBeGreaterThanOrEqual(13);
  });
  for (const f of files) {
    it(f, () => {
      const sc = JSON.parse(readFileSync(join(dir, f), "utf8"));
      const exp = sc.expected as Expected;
      const r = runScenario(sc);
      if (exp.lines)
        expect(r.lines.map((l) => [l.beneficiaryId, l.orderId, l.lineNo, l.kind, l.amountMinor, l.reversedMinor, l.state])).toEqual(
          exp.lines,
        );
      if (exp.balances?.promoters)
        for (const [id, b] of Object.entries(exp.balances.promoters)) expect(r.balances.promoters[id], id).toEqual(b);
      if (exp.balances?.merchants)
        for (const [id, b] of Object.entries(exp.balances.merchants)) expect(r.balances.merchants[id], id).toEqual(b);
      if (exp.rewards) expect(r.rewards).toEqual(exp.rewards);
      if (exp.promotions) expect(r.promotions).toEqual(exp.promotions.map((p) => expect.objectContaining(p)));
      // every line explains itself in both languages
      for (const l of r.lines) {
        expect(l.explanation.zh.length).toBeGreaterThan(0);
        expect(l.explanation.en.length).toBeGreaterThan(0);
      }
    });
  }
});
