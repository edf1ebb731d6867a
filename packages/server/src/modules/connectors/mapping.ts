/**
 * What a shop's webhook delivery means for Fenxiao, decided in memory before anything is written: a list of order
 * events (paid, complete, cancel, refund) or a reason to ignore the delivery. A payload that cannot be mapped throws
 * `Unmappable` naming the field, and nothing of it is ingested (the connector's delivery log shows the reason).
 * The platform mappers (shopify.ts, woocommerce.ts, youzan.ts) are pure functions of the headers and the body.
 */
import { createHash } from "node:crypto";
import { parseDecimalMinor } from "@fenxiao/core";
import { isSafeNumber, parse } from "lossless-json";
import type { PaidOrderBody } from "../orders/schema.ts";

export const PLATFORMS = ["shopify", "woocommerce", "youzan"] as const;
export type Platform = (typeof PLATFORMS)[number];

/** A paid order as a connector maps it: the order body without programId, and the platform's line ids in line order. */
export interface PaidAction {
  kind: "paid";
  platformOrderId: string;
  order: Omit<PaidOrderBody, "orderRef" | "programId">;
  lineIds: string[];
}
export interface CompleteAction {
  kind: "complete";
  platformOrderId: string;
  at?: string;
}
export interface CancelAction {
  kind: "cancel";
  platformOrderId: string;
  at?: string;
  reason?: string;
  /** Cancelling an order Fenxiao never received is nothing to do (an unpaid order cancelled in the shop). */
  unknownIsIgnored: true;
}
/** A refund: per platform line, an amount spread over the lines, or whatever remains refundable (`rest`). */
export interface RefundAction {
  kind: "refund";
  platformOrderId: string;
  refundRef: string;
  at?: string;
  lines?: { lineId: string; amountMinor: number }[];
  amountMinor?: number;
  rest?: boolean;
}
export type ConnectorAction = PaidAction | CompleteAction | CancelAction | RefundAction;

export interface Mapped {
  topic: string;
  /** The platform's id of this delivery (retries of one delivery carry the same id); null: the body's hash is used. */
  deliveryRef: string | null;
  actions: ConnectorAction[];
  /** Why the delivery asks nothing of Fenxiao (a topic or status that is not an order event). */
  ignored?: string;
}

export interface Delivery {
  headers: Record<string, string | string[] | undefined>;
  raw: Buffer;
}

export class Unmappable extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = "Unmappable";
  }
}

/** Longest promo code, click token and customer reference Fenxiao accepts (orders/schema.ts). */
const PROMO_CODE = /^[A-Za-z0-9_-]{4,16}$/;
export const CLICK_TOKEN_LENGTH_MAX = 64;

export function header(d: Delivery, name: string): string | undefined {
  const v = d.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function ignore(topic: string, deliveryRef: string | null, why: string): Mapped {
  return { topic, deliveryRef, actions: [], ignored: why };
}

export function obj(v: unknown, field: string): Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new Unmappable(field, "missing or not an object");
  return v as Record<string, unknown>;
}

export function arr(v: unknown, field: string): unknown[] {
  if (!Array.isArray(v)) throw new Unmappable(field, "missing or not a list");
  return v;
}

/** An id (number or non-empty string) as text. */
export function idOf(v: unknown, field: string): string {
  if (typeof v === "number" && Number.isSafeInteger(v)) return String(v);
  if (typeof v === "string" && v.trim() !== "" && v.length <= 64) return v.trim();
  throw new Unmappable(field, "missing or not an id");
}

export function str(v: unknown): string | undefined {
  if (typeof v === "string" && v.trim() !== "") return v.trim();
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A decimal amount ("199.00") in fen, exactly. */
export function amountOf(v: unknown, field: string): number {
  const text = typeof v === "number" ? String(v) : v;
  if (typeof text !== "string") throw new Unmappable(field, "missing or not an amount");
  const r = parseDecimalMinor(text);
  if (!r.ok) throw new Unmappable(field, r.reason);
  return r.minor;
}

export function quantityOf(v: unknown, field: string): number {
  const n = typeof v === "string" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 100_000) throw new Unmappable(field, "not a quantity from 1 to 100000");
  return n;
}

/** A time as ISO 8601 with an offset; `zone` is appended to a time written without one ("Z", "+08:00"). */
export function timeOf(v: unknown, field: string, zone = "Z"): string {
  if (typeof v !== "string" || v.trim() === "") throw new Unmappable(field, "missing time");
  let t = v.trim().replace(" ", "T");
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(t)) t += zone;
  const ms = Date.parse(t);
  if (!Number.isFinite(ms)) throw new Unmappable(field, `"${v}" is not a time`);
  return new Date(ms).toISOString();
}

/** A promo code as Fenxiao's promoters have them; a shop discount code of another shape is not a promoter's code. */
export function promoCodeOf(...candidates: unknown[]): string | undefined {
  for (const c of candidates) {
    const s = str(c);
    if (s && PROMO_CODE.test(s)) return s;
  }
  return undefined;
}

export function clickTokenOf(v: unknown): string | undefined {
  const s = str(v);
  return s && s.length <= CLICK_TOKEN_LENGTH_MAX ? s : undefined;
}

/** A customer known to the shop only by e-mail: a stable reference that does not carry the address itself. */
export function emailRef(prefix: string, email: string): string {
  return `${prefix}-email-${createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 24)}`;
}

/** Name/value pairs (Shopify note_attributes, WooCommerce meta_data) as a map; later pairs win. */
export function pairs(v: unknown, key: string, value: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!Array.isArray(v)) return out;
  for (const p of v)
    if (p && typeof p === "object") out.set(String((p as Record<string, unknown>)[key]), (p as Record<string, unknown>)[value]);
  return out;
}

/**
 * The body as JSON, numbers beyond 2^53 kept exactly as text: Shopify's ids (e.g. 820982911946154508) do not fit a
 * double, and JSON.parse would change them.
 */
export function parseJson(raw: Buffer): unknown {
  try {
    return parse(raw.toString("utf8"), null, (n) => (isSafeNumber(n) ? Number(n) : n));
  } catch {
    throw new Unmappable("body", "not JSON");
  }
}
