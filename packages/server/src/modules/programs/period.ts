/** The period an instant falls in, in the program's time zone: 2026-11 (month), 2026-W47 (ISO week), 2026-Q4 (quarter). */
export function periodKeyOf(at: Date, timezone: string, kind: "month" | "week" | "quarter"): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(
    at,
  );
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const y = get("year");
  const m = get("month");
  const d = get("day");
  if (kind === "month") return `${y}-${String(m).padStart(2, "0")}`;
  if (kind === "quarter") return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
  const date = new Date(Date.UTC(y, m - 1, d));
  const dow = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - dow);
  const isoYear = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(isoYear, 0, 1)) / 86_400_000 + 1) / 7);
  return `${isoYear}-W${String(week).padStart(2, "0")}`;
}
