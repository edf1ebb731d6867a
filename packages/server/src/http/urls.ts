import { z } from "zod";

/**
 * Landing pages are web pages: only http and https URLs are stored as landing URLs or redirected to by /r/{code}.
 * Any other scheme — `javascript:` and `data:` above all — would let a link run script on the shop's visitors or send
 * them to something that is not a page (an open-redirect and XSS vector through the public click endpoint).
 */
export const LANDING_URL_LENGTH_MAX = 500;

const WEB_PROTOCOL = /^https?$/;

/** A landing URL in a request body: absolute, http or https. */
export const landingUrl = z
  .url({ protocol: WEB_PROTOCOL, error: "must be an absolute http:// or https:// URL" })
  .max(LANDING_URL_LENGTH_MAX);

/** Whether a stored URL may be redirected to (rows written before landing URLs were checked are checked again). */
export function isWebUrl(url: string): boolean {
  return landingUrl.safeParse(url).success;
}
