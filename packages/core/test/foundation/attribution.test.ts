import { describe, expect, it } from "vitest";
import { type AttributionSettings, resolveAttribution } from "../../src/attribution/resolve.ts";

const sticky: AttributionSettings = { clickWindowDays: 7, bindingPolicy: "sticky", protectionDays: 365 };
const lastClick: AttributionSettings = { ...sticky, bindingPolicy: "last-click" };
const at = "2026-03-10T00:00:00.000Z";
const none = { codePromoterId: null, click: null, binding: null, referrerPromoterId: null };
const bound = { promoterId: "A", boundAt: "2026-01-01T00:00:00.000Z", expiresAt: "2027-01-01T00:00:00.000Z" };

describe("attribution precedence: code > click in window > binding > referral", () => {
  it("code wins over a click and a binding", () => {
    const r = resolveAttribution(
      { ...none, at, codePromoterId: "C", click: { promoterId: "K", clickedAt: "2026-03-09T00:00:00Z" }, binding: bound },
      sticky,
    );
    expect([r.promoterId, r.path]).toEqual(["C", "code"]);
  });
  it("a click inside the window wins over the binding; outside it does not", () => {
    expect(
      resolveAttribution({ ...none, at, click: { promoterId: "K", clickedAt: "2026-03-03T00:00:00Z" }, binding: bound }, sticky).path,
    ).toBe("click");
    const old = resolveAttribution({ ...none, at, click: { promoterId: "K", clickedAt: "2026-03-02T23:59:59Z" }, binding: bound }, sticky);
    expect([old.promoterId, old.path]).toEqual(["A", "binding"]);
    expect(old.notes).toContain("click_outside_window");
  });
  it("an expired binding does not attribute; referral comes last", () => {
    const expired = { ...bound, expiresAt: "2026-03-01T00:00:00Z" };
    expect(resolveAttribution({ ...none, at, binding: expired }, sticky).promoterId).toBeNull();
    expect(resolveAttribution({ ...none, at, binding: expired, referrerPromoterId: "R" }, sticky).path).toBe("referral");
  });
  it("follows a configured precedence", () => {
    const r = resolveAttribution({ ...none, at, codePromoterId: "C", binding: bound }, { ...sticky, precedence: ["binding", "code"] });
    expect(r.promoterId).toBe("A");
  });
});

describe("binding policies", () => {
  it("binds an unbound customer for the protection period", () => {
    const r = resolveAttribution({ ...none, at, codePromoterId: "C" }, sticky);
    expect(r.bind).toEqual({ promoterId: "C", boundAt: at, expiresAt: "2027-03-10T00:00:00.000Z" });
  });
  it("sticky keeps the first promoter while the binding is active, rebinds after expiry", () => {
    expect(resolveAttribution({ ...none, at, codePromoterId: "C", binding: bound }, sticky).bind).toBeNull();
    const expired = { ...bound, expiresAt: "2026-03-01T00:00:00Z" };
    expect(resolveAttribution({ ...none, at, codePromoterId: "C", binding: expired }, sticky).bind?.promoterId).toBe("C");
  });
  it("last-click rebinds on a newer click", () => {
    const r = resolveAttribution({ ...none, at, click: { promoterId: "K", clickedAt: "2026-03-09T00:00:00Z" }, binding: bound }, lastClick);
    expect(r.bind?.promoterId).toBe("K");
  });
  it("an order attributed by binding never changes the binding", () => {
    expect(resolveAttribution({ ...none, at, binding: bound }, lastClick).bind).toBeNull();
  });
});
