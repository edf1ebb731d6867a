/** The plan editor's pure parts: exact percent/yuan conversion, paths, wording of schema issues, diffs. */
import { describe, expect, it } from "vitest";
import { fieldDiff, lineDiff } from "../src/console/plan-editor/diff.ts";
import { getAt, jsonErrorAt, jsonOnlyPaths, parsePathText, pathText, renameKey, setAt } from "../src/console/plan-editor/doc.ts";
import { formatValue, pathLabel, schemaMessage } from "../src/console/plan-editor/labels.ts";
import { bpsToPercent, fenToYuan, parseScaled, percentToBps, yuanToFen } from "../src/console/plan-editor/units.ts";

describe("units", () => {
  it("parses percent and yuan exactly from decimal strings", () => {
    expect(percentToBps("12.5")).toEqual({ ok: true, value: 1250 });
    expect(percentToBps("0.07")).toEqual({ ok: true, value: 7 });
    expect(percentToBps("12.35%")).toEqual({ ok: true, value: 1235 });
    expect(yuanToFen("¥1,234.56")).toEqual({ ok: true, value: 123456 });
    expect(yuanToFen("0.1")).toEqual({ ok: true, value: 10 });
    expect(yuanToFen("1.10")).toEqual({ ok: true, value: 110 });
    // 1.005 * 100 is 100.49999999999999 in floating point; the string parse never goes there
    expect(yuanToFen("1.005")).toEqual({ ok: false, reason: "precision" });
    expect(yuanToFen("1.0050")).toEqual({ ok: false, reason: "precision" });
    expect(yuanToFen("4.35")).toEqual({ ok: true, value: 435 });
    expect(percentToBps("abc")).toEqual({ ok: false, reason: "format" });
    expect(percentToBps("-1")).toEqual({ ok: false, reason: "format" });
    expect(parseScaled("99999999999999999", 2)).toEqual({ ok: false, reason: "range" });
    expect(parseScaled("30", 0)).toEqual({ ok: true, value: 30 });
    expect(parseScaled("30.5", 0)).toEqual({ ok: false, reason: "precision" });
  });
  it("formats back without losing anything", () => {
    expect(bpsToPercent(1250)).toBe("12.5");
    expect(bpsToPercent(1000)).toBe("10");
    expect(bpsToPercent(7)).toBe("0.07");
    expect(fenToYuan(123456)).toBe("1234.56");
    expect(fenToYuan(0)).toBe("0");
    for (const n of [0, 1, 9, 10, 99, 100, 101, 1234, 10000, 123456789])
      expect(percentToBps(bpsToPercent(n))).toEqual({ ok: true, value: n });
  });
});

describe("paths and documents", () => {
  it("round-trips the API's path syntax and edits immutably", () => {
    const p = parsePathText("tiers.steps[1].rateBps");
    expect(p).toEqual(["tiers", "steps", 1, "rateBps"]);
    expect(pathText(p)).toBe("tiers.steps[1].rateBps");
    expect(parsePathText("$")).toEqual([]);
    const doc = { version: 1, tiers: { mode: "retroactive", steps: [{ fromMinor: 0, rateBps: 800 }] } };
    const next = setAt(doc, ["tiers", "steps", 1], { fromMinor: 500000, rateBps: 1200 });
    expect(getAt(next, ["tiers", "steps", 1, "rateBps"])).toBe(1200);
    expect(doc.tiers.steps).toHaveLength(1);
    expect(getAt(setAt(next, ["tiers", "steps", 0], undefined), ["tiers", "steps"])).toEqual([{ fromMinor: 500000, rateBps: 1200 }]);
    expect(renameKey({ base: { productRates: { a: 1, b: 2 } } }, ["base", "productRates"], "a", "c")).toEqual({
      base: { productRates: { c: 1, b: 2 } },
    });
  });
  it("lists what only the JSON edits", () => {
    expect(jsonOnlyPaths({ version: 1, base: { productFixed: {} }, rounding: { mode: "down" }, cap: {} })).toEqual([
      "rounding",
      "base.productFixed",
    ]);
  });
  it("finds line and column of a JSON error", () => {
    const text = '{\n  "version": 1,\n  "name" "x"\n}';
    let msg = "";
    try {
      JSON.parse(text);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(jsonErrorAt(text, msg)).toEqual({ line: 3, column: 10 });
    expect(jsonErrorAt(text, "Unexpected string in JSON at position 27")).toEqual({ line: 3, column: 10 });
  });
});

describe("wording", () => {
  it("names fields and words schema issues in the form's units", () => {
    expect(pathLabel("tiers.steps[1].rateBps", "zh-CN")).toBe("阶梯提成 › 档位 › 第 2 项 › 比例");
    expect(pathLabel("base.productRates.stroller-x", "en")).toBe("base › product rates › 「stroller-x」");
    expect(schemaMessage({ path: "tiers.steps[1].rateBps", message: "Too big: expected number to be <=10000" }, "zh-CN")).toBe(
      "不能大于 100%",
    );
    expect(schemaMessage({ path: "tiers.steps[1].rateBps", message: "Too big: expected number to be <=10000" }, "en")).toBe(
      "must be at most 100%",
    );
    expect(schemaMessage({ path: "x", message: "something new" }, "zh-CN")).toBe("something new");
    expect(formatValue("cap.orderRateBps", 2500)).toBe("25%");
    expect(formatValue("contests[0].prizesMinor", [100000, 50])).toBe("¥1000, ¥0.5");
  });
});

describe("diff", () => {
  it("lists changed, added and removed fields and the JSON lines", () => {
    const a = { version: 1, base: { defaultRateBps: 1000 }, cap: { orderRateBps: 2500 } };
    const b = { version: 1, base: { defaultRateBps: 1250 }, tiers: { mode: "marginal", steps: [{ fromMinor: 0, rateBps: 800 }] } };
    expect(fieldDiff(a, b)).toEqual([
      { path: "base.defaultRateBps", kind: "changed", before: 1000, after: 1250 },
      { path: "cap.orderRateBps", kind: "removed", before: 2500, after: undefined },
      { path: "tiers.mode", kind: "added", before: undefined, after: "marginal" },
      { path: "tiers.steps[0].fromMinor", kind: "added", before: undefined, after: 0 },
      { path: "tiers.steps[0].rateBps", kind: "added", before: undefined, after: 800 },
    ]);
    expect(fieldDiff(a, a)).toEqual([]);
    const lines = lineDiff("a\nb\nc", "a\nx\nc");
    expect(lines).toEqual([
      { op: " ", text: "a" },
      { op: "-", text: "b" },
      { op: "+", text: "x" },
      { op: " ", text: "c" },
    ]);
  });
});
