import { describe, expect, it } from "vitest";
import { blindIndex, keyRing, newSecretKeyText, open, parseSecretKey, reseal, SealError, seal, sealedKeyId } from "../src/crypto/sealed.ts";

describe("sealed values (AES-256-GCM under a key ring)", () => {
  const a = newSecretKeyText();
  const b = newSecretKeyText();
  it("opens what it sealed, and only in the place it was sealed for", () => {
    const ring = keyRing(a);
    const s = seal(ring, "110101199003071234", "identity:id_number:prm_1");
    expect(s).not.toContain("1234");
    expect(open(ring, s, "identity:id_number:prm_1")).toBe("110101199003071234");
    expect(() => open(ring, s, "identity:id_number:prm_2")).toThrow(SealError);
    const parts = s.split(".");
    const tampered = [...parts.slice(0, 3), `${parts[3]?.slice(0, -2)}AA`].join(".");
    expect(() => open(ring, tampered, "identity:id_number:prm_1")).toThrow(SealError);
  });
  it("seals twice differently (a fresh IV each time)", () => {
    const ring = keyRing(a);
    expect(seal(ring, "x", "t")).not.toBe(seal(ring, "x", "t"));
  });
  it("rotation: the new key seals, the previous key still opens, reseal moves a value to the new key", () => {
    const old = keyRing(a);
    const s = seal(old, "6222020000001234", "payout_account:acc_1");
    const rotated = keyRing(b, [a]);
    expect(open(rotated, s, "payout_account:acc_1")).toBe("6222020000001234");
    const moved = reseal(rotated, s, "payout_account:acc_1");
    expect(sealedKeyId(moved)).toBe(rotated.current.id);
    expect(() => open(keyRing(b), s, "payout_account:acc_1")).toThrow(/not in the key ring/);
    expect(open(keyRing(b), moved, "payout_account:acc_1")).toBe("6222020000001234");
  });
  it("refuses a key that is not 32 bytes, naming the variable", () => {
    expect(() => parseSecretKey("short")).toThrow(/FENXIAO_SECRET_KEY must be 32 random bytes/);
    expect(parseSecretKey("00".repeat(32)).key.length).toBe(32);
  });
  it("a blind index ignores spaces, dashes and case, and differs per purpose", () => {
    const k = parseSecretKey(a);
    expect(blindIndex(k, "id", "11010119900307123x")).toBe(blindIndex(k, "id", "110101 19900307 123X"));
    expect(blindIndex(k, "id", "1")).not.toBe(blindIndex(k, "card", "1"));
  });
});
