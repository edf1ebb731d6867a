/** The plan document as plain JSON in the editor: paths (as the API writes them), reading and immutable writing. */

export type Seg = string | number;
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Obj = { [k: string]: Json };

export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The API's path syntax: `team.levels[1].rateBps`; the document itself is `$`. */
export function pathText(path: readonly Seg[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? p : `.${p}`;
  }
  return out === "" ? "$" : out;
}

/** `team.levels[1].rateBps` → ["team", "levels", 1, "rateBps"] (map keys with dots are not split further). */
export function parsePathText(text: string): Seg[] {
  if (text === "$" || text === "") return [];
  const out: Seg[] = [];
  for (const m of text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string));
  return out;
}

/** The DOM id of the form control of a path. */
export function fieldId(path: readonly Seg[]): string {
  return `pf-${pathText(path)}`;
}

export function getAt(doc: unknown, path: readonly Seg[]): unknown {
  let v: unknown = doc;
  for (const p of path) {
    if (Array.isArray(v) && typeof p === "number") v = v[p];
    else if (isObj(v) && typeof p === "string") v = v[p];
    else return undefined;
  }
  return v;
}

/** A copy of doc with the value at path replaced (undefined removes it); missing parents are created. */
export function setAt(doc: Json, path: readonly Seg[], value: Json | undefined): Json {
  if (path.length === 0) return value ?? {};
  const [head, ...rest] = path as [Seg, ...Seg[]];
  if (typeof head === "number") {
    const arr = Array.isArray(doc) ? [...doc] : [];
    if (rest.length === 0 && value === undefined) arr.splice(head, 1);
    else arr[head] = rest.length === 0 ? (value as Json) : setAt(arr[head] ?? (typeof rest[0] === "number" ? [] : {}), rest, value);
    return arr;
  }
  const obj: Obj = isObj(doc) ? { ...doc } : {};
  if (rest.length === 0) {
    if (value === undefined) delete obj[head];
    else obj[head] = value;
  } else obj[head] = setAt(obj[head] ?? (typeof rest[0] === "number" ? [] : {}), rest, value);
  return obj;
}

/** Rename a key of the object at path, keeping its position. */
export function renameKey(doc: Json, path: readonly Seg[], from: string, to: string): Json {
  const o = getAt(doc, path);
  if (!isObj(o) || from === to || to in o) return doc;
  const next: Obj = {};
  for (const [k, v] of Object.entries(o)) next[k === from ? to : k] = v;
  return setAt(doc, path, next);
}

/** Top-level rules the form edits; anything else is kept as it is and edited in the JSON view. */
export const FORM_KEYS = new Set([
  "version",
  "name",
  "base",
  "firstOrder",
  "tiers",
  "team",
  "ranks",
  "newPromoterBoost",
  "campaigns",
  "channels",
  "thresholdBonuses",
  "teamBonuses",
  "contests",
  "cap",
]);
/** Keys inside form sections that the form does not show (kept untouched). */
const NESTED_JSON_ONLY: Record<string, string[]> = { base: ["productFixed"] };

/** The parts of a document only the JSON view edits: top-level rules outside the form and unknown nested keys. */
export function jsonOnlyPaths(doc: unknown): string[] {
  if (!isObj(doc)) return [];
  const out: string[] = [];
  for (const k of Object.keys(doc)) if (!FORM_KEYS.has(k)) out.push(k);
  for (const [k, inner] of Object.entries(NESTED_JSON_ONLY)) {
    const o = doc[k];
    if (isObj(o)) for (const n of inner) if (n in o) out.push(`${k}.${n}`);
  }
  for (const [i, r] of (Array.isArray(doc.ranks) ? doc.ranks : []).entries()) {
    if (isObj(r) && "teamLevels" in r) out.push(`ranks[${i}].teamLevels`);
  }
  return out;
}

/** Where JSON.parse failed, as 1-based line and column. */
export function jsonErrorAt(text: string, message: string): { line: number; column: number } {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  const at = pos ? Number(pos[1]) : text.length;
  const before = text.slice(0, at).split("\n");
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}
