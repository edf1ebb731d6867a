/**
 * The dates the API accepts: ISO 8601 with an offset, from DATE_MIN to DATE_MAX. Every route that takes a date uses
 * `isoDateTime`. The range is narrow on purpose: a year 0000 or 9999 is a mistake, not an order, and every date the
 * server computes from an accepted one (hold ends, binding expiries: at most DATE_COMPUTED_SPAN_DAYS_MAX later) stays
 * a four-digit year that PostgreSQL and `toISOString()` agree on.
 */
import { z } from "zod";

export const DATE_MIN = "2000-01-01T00:00:00.000Z";
export const DATE_MAX = "2999-12-31T23:59:59.999Z";
const DATE_MIN_MS = Date.parse(DATE_MIN);
const DATE_MAX_MS = Date.parse(DATE_MAX);

/**
 * The longest span the server adds to an accepted date or to now (binding protection, PROTECTION_DAYS_MAX, is the
 * longest; test/input.test.ts keeps every such limit within it).
 */
export const DATE_COMPUTED_SPAN_DAYS_MAX = 3650;
/** The last instant a computed date may reach: years past 9999 print as `+010000-…`, which PostgreSQL refuses. */
export const COMPUTED_DATE_MAX = "9999-12-31T23:59:59.999Z";

export function inDateRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= DATE_MIN_MS && ms <= DATE_MAX_MS;
}

export const DATE_RANGE_MESSAGE = `must be between ${DATE_MIN.slice(0, 10)} and ${DATE_MAX.slice(0, 10)}`;

/** An ISO 8601 date-time with an offset, within the accepted range. */
export const isoDateTime = z.iso.datetime({ offset: true }).refine((s) => inDateRange(Date.parse(s)), { message: DATE_RANGE_MESSAGE });
