/**
 * Periods in a program's time zone (month default, ISO week, quarter). Offsets come from Intl, so daylight-saving
 * zones work too. A period is [startsAt, endsAt) as UTC instants plus a key: "2025-04", "2025-W15", "2025-Q2".
 */
export type PeriodUnit = "month" | "week" | "quarter";

export interface PeriodRange {
  key: string;
  unit: PeriodUnit;
  timeZone: string;
  /** Inclusive start, ISO UTC. */
  startsAt: string;
  /** Exclusive end, ISO UTC. */
  endsAt: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface Wall {
  y: number;
  m: number; // 1-12
  d: number;
  h: number;
  mi: number;
  s: number;
}

function intlWallOf(ms: number, timeZone: string): Wall {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? "0");
  return { y: get("year"), m: get("month"), d: get("day"), h: get("hour") % 24, mi: get("minute"), s: get("second") };
}

function intlOffsetMs(ms: number, timeZone: string): number {
  const w = intlWallOf(ms, timeZone);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s) - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * Zone offsets by 15-minute span: a span whose first and last second have the same offset has it throughout (zones
 * change offset at most once per span, on whole minutes), so the wall time is plain arithmetic; a span with a change
 * in it (NaN) asks Intl for every instant. Intl's formatToParts costs microseconds per call and every order needs a period.
 */
const OFFSET_SPAN_MS = 15 * 60_000;
const OFFSET_CACHE_MAX = 50_000;
const offsetBySpan = new Map<string, number>();

function wallOf(ms: number, timeZone: string): Wall {
  const span = Math.floor(ms / OFFSET_SPAN_MS);
  const key = `${timeZone}|${span}`;
  let offset = offsetBySpan.get(key);
  if (offset === undefined) {
    const first = intlOffsetMs(span * OFFSET_SPAN_MS, timeZone);
    const last = intlOffsetMs((span + 1) * OFFSET_SPAN_MS - 1000, timeZone);
    offset = first === last ? first : Number.NaN;
    if (offsetBySpan.size >= OFFSET_CACHE_MAX) offsetBySpan.clear();
    offsetBySpan.set(key, offset);
  }
  if (Number.isNaN(offset)) return intlWallOf(ms, timeZone);
  const d = new Date(ms + offset);
  return {
    y: d.getUTCFullYear(),
    m: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
  };
}

/** Offset of the zone at an instant, in ms (UTC+8 → 28 800 000). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const w = wallOf(ms, timeZone);
  const asUtc = Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The UTC instant of a wall-clock time in the zone (for a time skipped by DST, the instant after the gap). */
export function zonedTimeToUtc(y: number, m: number, d: number, timeZone: string): number {
  const guess = Date.UTC(y, m - 1, d);
  const o1 = zoneOffsetMs(guess, timeZone);
  const t = guess - o1;
  const o2 = zoneOffsetMs(t, timeZone);
  return o1 === o2 ? t : guess - o2;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/** Monday-based ISO week: [isoYear, week, monday(y,m,d)] of a civil date. */
function isoWeek(y: number, m: number, d: number): { year: number; week: number; monday: [number, number, number] } {
  const day = new Date(Date.UTC(y, m - 1, d));
  const dow = (day.getUTCDay() + 6) % 7; // 0 = Monday
  const monday = new Date(day.getTime() - dow * 86_400_000);
  const thursday = new Date(monday.getTime() + 3 * 86_400_000);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1) / (7 * 86_400_000)) + 1;
  return { year, week, monday: [monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate()] };
}

function range(
  key: string,
  unit: PeriodUnit,
  timeZone: string,
  start: [number, number, number],
  end: [number, number, number],
): PeriodRange {
  return {
    key,
    unit,
    timeZone,
    startsAt: new Date(zonedTimeToUtc(start[0], start[1], start[2], timeZone)).toISOString(),
    endsAt: new Date(zonedTimeToUtc(end[0], end[1], end[2], timeZone)).toISOString(),
  };
}

function addDays(ymd: [number, number, number], days: number): [number, number, number] {
  const t = new Date(Date.UTC(ymd[0], ymd[1] - 1, ymd[2]) + days * 86_400_000);
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

/** The period containing an instant. */
export function periodOf(instant: string, unit: PeriodUnit = "month", timeZone = "Asia/Shanghai"): PeriodRange {
  const w = wallOf(Date.parse(instant), timeZone);
  if (unit === "month") {
    const next: [number, number, number] = w.m === 12 ? [w.y + 1, 1, 1] : [w.y, w.m + 1, 1];
    return range(`${w.y}-${pad(w.m)}`, unit, timeZone, [w.y, w.m, 1], next);
  }
  if (unit === "quarter") {
    const q = Math.floor((w.m - 1) / 3);
    const startM = q * 3 + 1;
    const next: [number, number, number] = q === 3 ? [w.y + 1, 1, 1] : [w.y, startM + 3, 1];
    return range(`${w.y}-Q${q + 1}`, unit, timeZone, [w.y, startM, 1], next);
  }
  const iw = isoWeek(w.y, w.m, w.d);
  return range(`${iw.year}-W${pad(iw.week)}`, unit, timeZone, iw.monday, addDays(iw.monday, 7));
}

/**
 * The period named by a key ("2025-04", "2025-Q2", "2025-W15"). A key that does not name itself back (month 00 or
 * 13, week 00 or a 53rd week the year does not have, a year before 1000 that Date.UTC would read as 19xx) is a
 * RangeError, never another period.
 */
export function periodOfKey(key: string, timeZone = "Asia/Shanghai"): PeriodRange {
  const p = /^[1-9]/.test(key) ? periodOfKeyLoose(key, timeZone) : null;
  if (!p || p.key !== key) throw new RangeError(`not a period key: ${key}`);
  return p;
}

function periodOfKeyLoose(key: string, timeZone: string): PeriodRange | null {
  let m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m) return periodOf(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 15)).toISOString(), "month", timeZone);
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) return periodOf(new Date(Date.UTC(Number(m[1]), (Number(m[2]) - 1) * 3 + 1, 15)).toISOString(), "quarter", timeZone);
  m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (m) {
    // Thursday of week 1 is in the first days of January; step from there
    const jan4 = Date.UTC(Number(m[1]), 0, 4);
    const t = jan4 + (Number(m[2]) - 1) * 7 * 86_400_000 + 12 * 3_600_000;
    return periodOf(new Date(t).toISOString(), "week", timeZone);
  }
  return null;
}

/** Is the instant inside [startsAt, endsAt)? */
export function inPeriod(p: PeriodRange, instant: string): boolean {
  const t = Date.parse(instant);
  return t >= Date.parse(p.startsAt) && t < Date.parse(p.endsAt);
}
