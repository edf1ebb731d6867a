/**
 * Attribution (SPEC §3): which promoter an order belongs to, and how the customer's binding changes.
 * Default precedence: explicit promo code > last click within the click window > active binding > customer referral.
 */
import type { AttributionPath } from "../commission/types.ts";

export type BindingPolicy = "sticky" | "last-click";
export const DAY_MS = 86_400_000;

export interface AttributionSettings {
  clickWindowDays: number;
  bindingPolicy: BindingPolicy;
  protectionDays: number;
  /** Order of the signals to try; default code, click, binding, referral. */
  precedence?: readonly AttributionPath[];
}

export interface BindingState {
  promoterId: string;
  boundAt: string;
  expiresAt: string;
}

export interface AttributionSignals {
  /** ISO instant of the event being attributed (order paidAt, registration time). */
  at: string;
  /** Promoter owning the promo code given on the order (already checked to exist and be usable). */
  codePromoterId: string | null;
  /** The click the order carries (click token), or the customer's latest click. */
  click: { promoterId: string; clickedAt: string } | null;
  /** The customer's current binding, whether or not it has expired. */
  binding: BindingState | null;
  /** Promoter bound to the customer who referred this customer (customer-to-customer referral). */
  referrerPromoterId: string | null;
}

export interface AttributionResult {
  promoterId: string | null;
  path: AttributionPath | null;
  /** New binding to store (first binding or rebind), or null to keep what is there. */
  bind: BindingState | null;
  /** Why: short machine-readable notes for the trace. */
  notes: string[];
}

export const DEFAULT_PRECEDENCE: readonly AttributionPath[] = ["code", "click", "binding", "referral"];

/**
 * A program's attribution precedence setting: `code-first` (code > click > binding > referral, the default) or
 * `binding-first` (an active binding wins over a code or click for another promoter during protection: 佣金归属 stays
 * with the bound promoter; code and click decide only when there is no active binding).
 */
export type AttributionPrecedence = "code-first" | "binding-first";
export const ATTRIBUTION_PRECEDENCES: readonly AttributionPrecedence[] = ["code-first", "binding-first"];

export function precedenceOf(setting: AttributionPrecedence | undefined): readonly AttributionPath[] {
  return setting === "binding-first" ? ["binding", "code", "click", "referral"] : DEFAULT_PRECEDENCE;
}

export function isBindingActive(b: BindingState | null, at: string): b is BindingState {
  return b !== null && Date.parse(b.expiresAt) > Date.parse(at);
}

export function resolveAttribution(s: AttributionSignals, settings: AttributionSettings): AttributionResult {
  const atMs = Date.parse(s.at);
  const notes: string[] = [];
  const active = isBindingActive(s.binding, s.at);
  const clickInWindow =
    s.click !== null && Date.parse(s.click.clickedAt) <= atMs && atMs - Date.parse(s.click.clickedAt) <= settings.clickWindowDays * DAY_MS;
  if (s.click && !clickInWindow) notes.push("click_outside_window");

  let promoterId: string | null = null;
  let path: AttributionPath | null = null;
  for (const p of settings.precedence ?? DEFAULT_PRECEDENCE) {
    if (p === "code" && s.codePromoterId) {
      promoterId = s.codePromoterId;
      path = "code";
    } else if (p === "click" && clickInWindow && s.click) {
      promoterId = s.click.promoterId;
      path = "click";
    } else if (p === "binding" && active && s.binding) {
      promoterId = s.binding.promoterId;
      path = "binding";
    } else if (p === "referral" && s.referrerPromoterId) {
      promoterId = s.referrerPromoterId;
      path = "referral";
    }
    if (promoterId) break;
  }

  // Binding: only an explicit signal (code or click) can bind or rebind.
  let bind: BindingState | null = null;
  if (promoterId && (path === "code" || path === "click")) {
    const fresh = (): BindingState => ({
      promoterId: promoterId as string,
      boundAt: s.at,
      expiresAt: new Date(atMs + settings.protectionDays * DAY_MS).toISOString(),
    });
    if (!active) bind = fresh();
    else if (settings.bindingPolicy === "last-click" && s.binding?.promoterId !== promoterId) {
      bind = fresh();
      notes.push("rebound_last_click");
    } else if (s.binding?.promoterId !== promoterId) notes.push("binding_kept_sticky");
  }
  return { promoterId, path, bind, notes };
}
