/**
 * Plausibility of the dates an order event carries (hostile or careless input): a payment cannot lie in the future
 * (beyond a small clock skew) or before its program existed, and a refund, completion or cancellation cannot come
 * before the payment. Each refusal is a 400 naming the field; nothing is written.
 */
import { invalid } from "../../http/errors.ts";

/** How far ahead of the server's clock an event's time may be (the shop's clock may run ahead of ours). */
export const EVENT_FUTURE_SKEW_MAX_MS = 5 * 60_000;

const future = (at: Date, now: Date) => at.getTime() > now.getTime() + EVENT_FUTURE_SKEW_MAX_MS;

/** `paidAt` of a paid order of a program created at `programCreatedAt`. */
export function checkPaidAt(paidAt: Date, now: Date, programCreatedAt: string | Date): void {
  if (future(paidAt, now))
    invalid("paidAt", `more than ${EVENT_FUTURE_SKEW_MAX_MS / 60_000} minutes in the future (the server's time is ${now.toISOString()})`);
  const created = new Date(programCreatedAt);
  if (paidAt.getTime() < created.getTime()) invalid("paidAt", `before the program existed (created ${created.toISOString()})`);
}

/** The time of a later event of a paid order (`field`: refundedAt, completedAt, cancelledAt). */
export function checkAfterPayment(field: string, at: Date, paidAt: Date | string): void {
  if (at.getTime() < new Date(paidAt).getTime()) invalid(field, "before the order was paid");
}
