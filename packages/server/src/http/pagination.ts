import { z } from "zod";
import { inDateRange } from "./dates.ts";
import { invalid } from "./errors.ts";
import { badString } from "./input.ts";

export const PAGE_SIZE_DEFAULT = 50;
export const PAGE_SIZE_MAX = 200;

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(PAGE_SIZE_DEFAULT),
  cursor: z.string().max(200).optional(),
});

/** Rows per read when a CSV export pages through a list. */
export const EXPORT_PAGE = 500;

/** Offset paging for small administrative lists. */
export const offsetPageQuery = z.object({
  limit: pageQuery.shape.limit,
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** The id part of a cursor is at most this long (ids and codes are far shorter). */
export const CURSOR_ID_LENGTH_MAX = 160;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Keyset cursor over (timestamp desc, id desc): exactly what encodeCursor wrote, or a 400 naming `cursor`. A cursor
 * is opaque but not trusted: garbage, a date PostgreSQL cannot read or a NUL in the id never reaches the database.
 */
export function decodeCursor(cursor: string | undefined): { at: string; id: string } | null {
  if (!cursor) return null;
  const text = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, "base64url").toString("utf8") : "";
  const cut = text.indexOf("|");
  const at = text.slice(0, cut);
  const id = text.slice(cut + 1);
  const ok =
    cut > 0 &&
    ISO_UTC.test(at) &&
    inDateRange(Date.parse(at)) &&
    new Date(at).toISOString() === at &&
    id.length > 0 &&
    id.length <= CURSOR_ID_LENGTH_MAX &&
    !id.includes("\uFFFD") &&
    badString(id) === null &&
    ![...id].some((c) => c.charCodeAt(0) < 0x20);
  if (!ok) invalid("cursor", "not a cursor returned by this API");
  return { at, id };
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
