/**
 * The columns of an orders CSV (docs/integrations.md, "CSV import"): one row per order line; the rows of one order are
 * adjacent and repeat its order-level columns. Amounts are decimals in yuan ("12.34"), read exactly to fen; times are
 * ISO 8601 with an offset. A row is checked alone here (pure); the order it belongs to is checked whole by the order
 * API's own schema when its last row has been read.
 */
import { parseDecimalMinor } from "@fenxiao/core";

export const REQUIRED_COLUMNS = ["order_ref", "paid_at", "customer_ref", "product_id", "quantity", "line_amount"] as const;
/** Order-level columns: the first row of an order gives them, later rows must repeat them or leave them empty. */
export const ORDER_COLUMNS = [
  "program_id",
  "paid_at",
  "customer_ref",
  "channel",
  "currency",
  "promo_code",
  "click_token",
  "referrer_customer_ref",
  "shipping_amount",
] as const;
export const LINE_COLUMNS = ["product_id", "product_name", "category_id", "quantity", "line_amount", "margin_amount"] as const;
export const ALL_COLUMNS = [...new Set<string>(["order_ref", ...ORDER_COLUMNS, ...LINE_COLUMNS])];

/** The order API's name of a field (`paidAt`, `lines.0.quantity`, `customer.ref`) as the CSV column that gave it. */
const COLUMN_OF_FIELD: Record<string, string> = {
  orderRef: "order_ref",
  programId: "program_id",
  paidAt: "paid_at",
  "customer.ref": "customer_ref",
  channel: "channel",
  currency: "currency",
  promoCode: "promo_code",
  clickToken: "click_token",
  referrerCustomerRef: "referrer_customer_ref",
  shippingMinor: "shipping_amount",
  productId: "product_id",
  productName: "product_name",
  categoryId: "category_id",
  quantity: "quantity",
  netAmountMinor: "line_amount",
  marginMinor: "margin_amount",
};

/** The CSV column of an order API field, or the field itself when no column gives it (e.g. `lines` as a whole). */
export function columnOf(field: string): string {
  const line = /^lines\.\d+\.(.+)$/.exec(field);
  return COLUMN_OF_FIELD[line ? (line[1] as string) : field] ?? field;
}

export type CsvRecord = Record<string, string | undefined>;

export interface RowLine {
  productId: string;
  productName?: string;
  categoryId?: string;
  quantity: number;
  netAmountMinor: number;
  marginMinor?: number;
}

export interface RowHead {
  programId?: string;
  paidAt: string;
  customerRef: string;
  channel?: string;
  currency?: string;
  promoCode?: string;
  clickToken?: string;
  referrerCustomerRef?: string;
  shippingMinor?: number;
}

export type RowResult =
  | { ok: true; orderRef: string; head: RowHead; line: RowLine }
  | { ok: false; orderRef: string | null; field: string; reason: string };

/** The columns the header lacks, and the unknown ones it has. */
export function checkHeader(columns: readonly string[]): { missing: string[]; unknown: string[] } {
  const have = new Set(columns);
  return {
    missing: REQUIRED_COLUMNS.filter((c) => !have.has(c)),
    unknown: columns.filter((c) => !ALL_COLUMNS.includes(c)),
  };
}

const cell = (r: CsvRecord, c: string) => {
  const v = r[c]?.trim();
  return v === undefined || v === "" ? undefined : v;
};

class RowError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(reason);
  }
}

function amount(r: CsvRecord, c: string, required: boolean): number | undefined {
  const v = cell(r, c);
  if (v === undefined) {
    if (required) throw new RowError(c, "required");
    return undefined;
  }
  const p = parseDecimalMinor(v);
  if (!p.ok) throw new RowError(c, p.reason);
  return p.minor;
}

function text(r: CsvRecord, c: string, max: number, required = false): string | undefined {
  const v = cell(r, c);
  if (v === undefined && required) throw new RowError(c, "required");
  if (v !== undefined && v.length > max) throw new RowError(c, `at most ${max} characters`);
  return v;
}

function paidAt(r: CsvRecord): string {
  const v = text(r, "paid_at", 40, true) as string;
  if (
    !/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v) ||
    !Number.isFinite(Date.parse(v.replace(" ", "T")))
  )
    throw new RowError("paid_at", `"${v}" is not a time with an offset, like 2026-03-05T10:00:00+08:00`);
  return new Date(Date.parse(v.replace(" ", "T"))).toISOString();
}

/** One CSV row as an order line with its order's columns, or why it is refused. */
export function parseRow(r: CsvRecord): RowResult {
  const orderRef = cell(r, "order_ref") ?? null;
  try {
    if (!orderRef) throw new RowError("order_ref", "required");
    if (orderRef.length > 128) throw new RowError("order_ref", "at most 128 characters");
    const q = text(r, "quantity", 9, true) as string;
    if (!/^\d+$/.test(q) || Number(q) < 1 || Number(q) > 100_000)
      throw new RowError("quantity", `"${q}" is not a whole number from 1 to 100000`);
    const line: RowLine = {
      productId: text(r, "product_id", 64, true) as string,
      quantity: Number(q),
      netAmountMinor: amount(r, "line_amount", true) as number,
    };
    if (line.netAmountMinor < 0) throw new RowError("line_amount", "negative");
    const name = text(r, "product_name", 200);
    if (name) line.productName = name;
    const cat = text(r, "category_id", 64);
    if (cat) line.categoryId = cat;
    const margin = amount(r, "margin_amount", false);
    if (margin !== undefined) line.marginMinor = margin;
    const head: RowHead = { paidAt: paidAt(r), customerRef: text(r, "customer_ref", 128, true) as string };
    const opt = (k: keyof RowHead, c: string, max: number) => {
      const v = text(r, c, max);
      if (v !== undefined) (head as unknown as Record<string, unknown>)[k] = v;
    };
    opt("programId", "program_id", 64);
    opt("channel", "channel", 32);
    opt("currency", "currency", 3);
    opt("promoCode", "promo_code", 16);
    opt("clickToken", "click_token", 64);
    opt("referrerCustomerRef", "referrer_customer_ref", 128);
    const ship = amount(r, "shipping_amount", false);
    if (ship !== undefined) head.shippingMinor = ship;
    return { ok: true, orderRef, head, line };
  } catch (e) {
    if (e instanceof RowError) return { ok: false, orderRef, field: e.field, reason: `${e.field}: ${e.message}` };
    throw e;
  }
}

/** Which order-level column of a later row differs from the order's first row (null when none). */
export function headConflict(first: RowHead, later: RowHead): string | null {
  for (const [k, v] of Object.entries(later)) {
    if (v === undefined) continue;
    if ((first as unknown as Record<string, unknown>)[k] !== v) return k;
  }
  return null;
}
