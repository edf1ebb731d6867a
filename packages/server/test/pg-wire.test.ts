import { describe, expect, it } from "vitest";
import { bindMessage, readMessages } from "../src/db/pg-wire.ts";

// Messages built by hand as the protocol (3.0) lays them out.
const msg = (type: string, body: Buffer) => {
  const head = Buffer.alloc(5);
  head.write(type, 0, "latin1");
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
};
const cstr = (s: string) => Buffer.concat([Buffer.from(s, "utf8"), Buffer.from([0])]);
const i16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const i32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const field = (name: string, oid: number) => Buffer.concat([cstr(name), i32(0), i16(0), i32(oid), i16(-1), i32(-1), i16(0)]);
const value = (v: string | null) => (v === null ? i32(-1) : Buffer.concat([i32(Buffer.byteLength(v)), Buffer.from(v, "utf8")]));

describe("pg-wire", () => {
  it("reads a row description, rows with NULLs and multi-byte text, and skips the other messages", () => {
    const data = Buffer.concat([
      msg("1", Buffer.alloc(0)),
      msg("2", Buffer.alloc(0)),
      msg("T", Buffer.concat([i16(2), field("id", 25), field("amount_minor", 20)])),
      msg("D", Buffer.concat([i16(2), value("佣金·一"), value("100")])),
      msg("D", Buffer.concat([i16(2), value(""), value(null)])),
      msg("N", Buffer.concat([Buffer.from("M"), cstr("a notice"), Buffer.from([0])])),
      msg("C", cstr("SELECT 2")),
      msg("Z", Buffer.from("I")),
    ]);
    const r = readMessages(data);
    expect(r.error).toBeNull();
    expect(r.fields).toEqual([
      { name: "id", oid: 25 },
      { name: "amount_minor", oid: 20 },
    ]);
    expect(r.rows).toEqual([
      ["佣金·一", "100"],
      ["", null],
    ]);
  });

  it("reads parameter types and an error with its fields; a truncated message is refused", () => {
    const data = Buffer.concat([
      msg("t", Buffer.concat([i16(3), i32(25), i32(20), i32(1009)])),
      msg(
        "E",
        Buffer.concat([
          Buffer.from("S"),
          cstr("ERROR"),
          Buffer.from("C"),
          cstr("23505"),
          Buffer.from("M"),
          cstr('duplicate key value violates unique constraint "orders_pkey"'),
          Buffer.from("D"),
          cstr("Key (merchant_id, id)=(m, o) already exists."),
          Buffer.from("n"),
          cstr("orders_pkey"),
          Buffer.from("t"),
          cstr("orders"),
          Buffer.from([0]),
        ]),
      ),
      msg("Z", Buffer.from("E")),
    ]);
    const r = readMessages(data);
    expect(r.paramOids).toEqual([25, 20, 1009]);
    expect(r.error?.message).toMatch(/duplicate key/);
    expect(r.error).toMatchObject({ code: "23505", severity: "ERROR", constraint: "orders_pkey", table: "orders" });
    expect(r.error?.detail).toContain("already exists");
    expect(() => readMessages(data.subarray(0, data.length - 3))).toThrow(/truncated/);
  });

  it("writes a Bind message: statement name, text parameters (NULL as -1) and their UTF-8 lengths", () => {
    const b = Buffer.from(bindMessage("fx_7", ["a", null, "二"]));
    expect(String.fromCharCode(b[0] as number)).toBe("B");
    expect(b.readInt32BE(1)).toBe(b.length - 1);
    let o = 5;
    expect(b[o++]).toBe(0); // unnamed portal
    expect(b.toString("utf8", o, o + 4)).toBe("fx_7");
    o += 5;
    expect(b.readInt16BE(o)).toBe(0); // all parameters in text format
    expect(b.readInt16BE(o + 2)).toBe(3);
    o += 4;
    expect(b.readInt32BE(o)).toBe(1);
    expect(b.toString("utf8", o + 4, o + 5)).toBe("a");
    o += 5;
    expect(b.readInt32BE(o)).toBe(-1);
    o += 4;
    expect(b.readInt32BE(o)).toBe(3); // 二 is three bytes
    expect(b.toString("utf8", o + 4, o + 7)).toBe("二");
    o += 7;
    expect(b.readInt16BE(o)).toBe(0); // all results in text format
    expect(o + 2).toBe(b.length);
  });
});
