/**
 * /fx.js: the click-tracking script a shop puts on its own pages (docs/integrations.md, "Click tracking"). A promoter's
 * link (/r/<code>) lands on the shop with `?fx_click=clk_…`; the script keeps that token in a first-party cookie and in
 * localStorage for the program's click window, and puts it on the checkout so that the shop's order carries it:
 *
 *   fenxiao.clickToken()                 the kept token, or null (expired, or never landed through a link)
 *   fenxiao.shopifyCart()                Shopify: POST /cart/update.js { attributes: { fx_click } } (a cart
 *                                        attribute becomes the order's note attribute, which the connector reads)
 *   fenxiao.fillForm(form, name?)        WooCommerce and any form checkout: a hidden input fx_click
 *   fenxiao.withClick(url)               a custom H5 shop: the URL with fx_click added, for its own order API
 *
 * Attributes of the script tag: data-days (the click window, default the ?days= of the script URL, else 7),
 * data-shopify (update the Shopify cart on every page), data-form (a CSS selector of checkout forms to fill).
 * Plain ES5 without dependencies, a few KB; no request to Fenxiao, nothing sent anywhere but the shop itself.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Api } from "../../http/types.ts";

/** Click windows the script accepts (days). */
export const FX_DAYS_MAX = 365;
export const FX_DAYS_DEFAULT = 7;

const SOURCE = `/*! Fenxiao click tracking (fx.js) */
(function (w, d) {
  "use strict";
  var NAME = "fx_click", TOKEN = /^[A-Za-z0-9_-]{1,64}$/, DAY = 864e5;
  var me = d.currentScript || null;
  var attr = function (n) { return me && me.getAttribute ? me.getAttribute(n) : null; };
  var days = parseInt(attr("data-days") || "__DAYS__", 10);
  if (!(days >= 0 && days <= ${FX_DAYS_MAX})) days = __DAYS__;
  function store() { try { return w.localStorage; } catch (e) { return null; } }
  function fromCookie() {
    var m = d.cookie.match(/(?:^|;\\s*)fx_click=([^;]+)/);
    return m && TOKEN.test(m[1]) ? m[1] : null;
  }
  function fromStorage() {
    var s = store(), v;
    if (!s) return null;
    try { v = JSON.parse(s.getItem(NAME) || "null"); } catch (e) { return null; }
    if (!v || !TOKEN.test(v.t) || !(v.exp > Date.now())) { s.removeItem(NAME); return null; }
    return v.t;
  }
  function keep(token) {
    var secure = w.location.protocol === "https:" ? "; Secure" : "";
    d.cookie = NAME + "=" + token + "; Max-Age=" + days * 86400 + "; Path=/; SameSite=Lax" + secure;
    var s = store();
    if (s) try { s.setItem(NAME, JSON.stringify({ t: token, exp: Date.now() + days * DAY })); } catch (e) {}
  }
  function clickToken() { return fromCookie() || fromStorage(); }
  function landed() {
    var m = w.location.search.match(/[?&]fx_click=([^&#]+)/);
    var t = m ? decodeURIComponent(m[1]) : null;
    if (t && TOKEN.test(t) && days > 0) keep(t);
  }
  function shopifyCart() {
    var t = clickToken();
    if (!t || !w.fetch) return Promise.resolve(null);
    return w.fetch("/cart/update.js", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ attributes: { fx_click: t } })
    }).then(function (r) { return r.ok ? t : null; }, function () { return null; });
  }
  function fillForm(form, name) {
    var t = clickToken(), f = typeof form === "string" ? d.querySelector(form) : form;
    if (!t || !f) return null;
    name = name || NAME;
    var input = f.querySelector("input[name='" + name + "']");
    if (!input) { input = d.createElement("input"); input.type = "hidden"; input.name = name; f.appendChild(input); }
    input.value = t;
    return t;
  }
  function withClick(url) {
    var t = clickToken();
    if (!t) return url;
    var hash = url.indexOf("#") >= 0 ? url.slice(url.indexOf("#")) : "";
    var base = hash ? url.slice(0, url.indexOf("#")) : url;
    return base + (base.indexOf("?") >= 0 ? "&" : "?") + NAME + "=" + encodeURIComponent(t) + hash;
  }
  landed();
  w.fenxiao = { clickToken: clickToken, shopifyCart: shopifyCart, fillForm: fillForm, withClick: withClick, days: days };
  function auto() {
    if (attr("data-shopify") !== null) shopifyCart();
    var sel = attr("data-form");
    if (sel) { var fs = d.querySelectorAll(sel); for (var i = 0; i < fs.length; i++) fillForm(fs[i]); }
  }
  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", auto); else auto();
})(window, document);
`;

/** The script with its default click window. */
export function fxScript(days: number): string {
  return SOURCE.replaceAll("__DAYS__", String(days));
}

/** GET /fx.js[?days=N]: public, cacheable for a day, loadable from the shop's own origin. */
export function registerFxScript(app: Api): void {
  const cache = new Map<number, { body: string; etag: string }>();
  app.get(
    "/fx.js",
    {
      schema: {
        tags: ["tracking"],
        summary: "The click-tracking script for the shop's pages (keeps fx_click for the click window and puts it on the checkout)",
        security: [],
        querystring: z.object({ days: z.coerce.number().int().min(0).max(FX_DAYS_MAX).default(FX_DAYS_DEFAULT) }),
      },
    },
    async (req, reply) => {
      const days = req.query.days;
      let s = cache.get(days);
      if (!s) {
        const body = fxScript(days);
        s = { body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
        cache.set(days, s);
      }
      reply
        .header("content-type", "application/javascript; charset=utf-8")
        .header("cache-control", "public, max-age=86400")
        .header("etag", s.etag)
        // loaded by the shop's pages, on the shop's origin
        .header("cross-origin-resource-policy", "cross-origin");
      if (req.headers["if-none-match"] === s.etag) return reply.status(304).send();
      return reply.send(s.body);
    },
  );
}
