import { z } from "zod";
import { invalid } from "./errors.ts";

export const PAGE_SIZE_DEFAULT = 50;
export const PAGE_SIZE_MAX = 200;

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(PAGE_SIZE_DEFAULT),
  cursor: z.string().max(200).optional(),
});

/** Offset paging for small administrative lists. */
export const offsetPageQuery = z.object({
  limit: pageQuery.shape.limit,
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** Keyset cursor over (timestamp desc, id desc). */
export function decodeCursor(cursor: string | undefined): { at: string; id: string } | null {
  if (!cursor) return null;
  try {
    const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
    if (!at || !id || Number.isNaN(Date.parse(at))) throw new Error("bad");
    return { at, id };
  } catch {
    invalid("cursor", "not a cursor returned by this API");
  }
}

export function encodeCursor(at: Date | string, id: string): string {
  return Buffer.from(`${new Date(at).toISOString()}|${id}`, "utf8").toString("base64url");
}

export function page<T>(rows: T[], limit: number, key: (r: T) => { at: Date | string; id: string }) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor(key(last).at, key(last).id) : null };
}
