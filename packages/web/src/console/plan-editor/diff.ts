/** Differences between two plan documents: field by field (leaves by path) and line by line of the pretty JSON. */
import { isObj, pathText, type Seg } from "./doc.ts";

export interface FieldChange {
  path: string;
  kind: "added" | "removed" | "changed";
  before: unknown;
  after: unknown;
}

/** Leaves of a document by path; arrays of plain values (product ids, prizes) are one leaf. */
function leaves(v: unknown, path: Seg[], out: Map<string, unknown>): void {
  if (isObj(v) && Object.keys(v).length > 0) {
    for (const [k, x] of Object.entries(v)) leaves(x, [...path, k], out);
  } else if (Array.isArray(v) && v.some((x) => typeof x === "object" && x !== null)) {
    for (const [i, x] of v.entries()) leaves(x, [...path, i], out);
  } else out.set(pathText(path), v);
}

export function fieldDiff(a: unknown, b: unknown): FieldChange[] {
  const la = new Map<string, unknown>();
  const lb = new Map<string, unknown>();
  leaves(a, [], la);
  leaves(b, [], lb);
  const out: FieldChange[] = [];
  for (const [p, before] of la) {
    if (!lb.has(p)) out.push({ path: p, kind: "removed", before, after: undefined });
    else if (JSON.stringify(before) !== JSON.stringify(lb.get(p))) out.push({ path: p, kind: "changed", before, after: lb.get(p) });
  }
  for (const [p, after] of lb) if (!la.has(p)) out.push({ path: p, kind: "added", before: undefined, after });
  return out;
}

export interface DiffLine {
  op: " " | "-" | "+";
  text: string;
}

/**
 * Line diff by longest common subsequence. Plan documents are a few hundred lines, so the quadratic table is small;
 * a dependency would add weight to the console for this one use.
 */
export function lineDiff(a: string, b: string): DiffLine[] {
  const x = a.split("\n");
  const y = b.split("\n");
  const n = x.length;
  const m = y.length;
  const t: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      (t[i] as number[])[j] = x[i] === y[j] ? (t[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(t[i + 1]?.[j] ?? 0, t[i]?.[j + 1] ?? 0);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      out.push({ op: " ", text: x[i] as string });
      i++;
      j++;
    } else if ((t[i + 1]?.[j] ?? 0) >= (t[i]?.[j + 1] ?? 0)) out.push({ op: "-", text: x[i++] as string });
    else out.push({ op: "+", text: y[j++] as string });
  }
  while (i < n) out.push({ op: "-", text: x[i++] as string });
  while (j < m) out.push({ op: "+", text: y[j++] as string });
  return out;
}
