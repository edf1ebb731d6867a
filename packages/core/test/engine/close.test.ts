import { describe, expect, it } from "vitest";
import {
  type ClosePeriodInput,
  COMPRESSION_UPLINES_MAX,
  closePeriod,
  explainLine,
  type PeriodLine,
  type PeriodSale,
  periodOfKey,
  plan,
  planForPromoter,
  type TreePromoter,
} from "../../src/index.ts";

const period = periodOfKey("2025-04", "Asia/Shanghai");
function tp(id: string, inviterId: string | null, rank: string | null = null, joinedAt = "2025-01-01T00:00:00Z"): TreePromoter {
  return { promoterId: id, inviterId, rank, joinedAt, status: "active" };
}
function sale(sellerId: string, orderId: string, amount: number, remaining = amount, customerRef = `c-${orderId}`): PeriodSale {
  return {
    sellerId,
    orderId,
    lineNo: 1,
    paidAt: "2025-04-10T00:00:00Z",
    customerRef,
    lineAmountMinor: amount,
    remainingAmountMinor: remaining,
  };
}
function teamLine(beneficiaryId: string, sellerId: string, orderId: string, level: 1 | 2, amount: number, reversed = 0): PeriodLine {
  return {
    beneficiaryId,
    sellerId,
    orderId,
    lineNo: 1,
    level,
    kind: "team",
    amountMinor: amount,
    reversedMinor: reversed,
    trace: { rule: "team", baseMinor: 0 },
  };
}
/** The seller S's tier-rated sale line on o1 (5 % of 2,000 at order time). */
function sellerLine(amount: number, orderCap: { capMinor: number; orderAmountMinor: number } | null = null): PeriodLine {
  return {
    beneficiaryId: "S",
    sellerId: "S",
    orderId: "o1",
    lineNo: 1,
    level: 0,
    kind: "sale",
    amountMinor: amount,
    reversedMinor: 0,
    trace: { rule: "sale", source: "tier", baseMinor: 2_000, rateBps: 500, ...(orderCap ? { orderCap } : {}) },
  };
}
function input(p: unknown, o: Partial<ClosePeriodInput>): ClosePeriodInput {
  return { plan: plan(p), period, roundingMode: "half-up", promoters: [], sales: [], lines: [], ...o };
}

describe("closePeriod", () => {
  describe("P7 compress: the chain above an unqualified upline shifts down one level", () => {
    // seller S; L1 = S's inviter, L2 = L1's inviter, L3 = L2's inviter, L4 = L3's inviter. Order-time lines pay L1 300
    // (level 1) and L2 100 (level 2) on o1; L3 and L4 are not paid at order time (only two levels are).
    const COMPRESS = {
      version: 1,
      team: { levels: [{ rateBps: 300 }, { rateBps: 100 }], qualification: { ownSalesAtLeastMinor: 1000, onFail: "compress" } },
    };
    const chain = (top: number) => {
      const ids = ["S", "L1", "L2", "L3", "L4"].slice(0, top + 1);
      return ids.map((id, i) => tp(id, ids[i + 1] ?? null));
    };
    /** Own sales: 5,000 (qualified) or 999 (below the 1,000 threshold). */
    const own = (id: string, ok: boolean) => sale(id, `own-${id}`, ok ? 5_000 : 999);
    const run = (top: number, qualified: Record<string, boolean>) =>
      closePeriod(
        input(COMPRESS, {
          promoters: chain(top),
          sales: [sale("S", "o1", 10_000), ...Object.entries(qualified).map(([id, ok]) => own(id, ok))],
          lines: [teamLine("L1", "S", "o1", 1, 300), teamLine("L2", "S", "o1", 2, 100)],
        }),
      );
    /** What each upline is paid on o1 after close: its order-time line plus its records, by level held. */
    const paid = (
      r: ReturnType<typeof closePeriod>,
      held: [string, number][] = [
        ["L1", 300],
        ["L2", 100],
      ],
    ) => {
      const net = new Map<string, number>(held);
      for (const a of r.adjustments) if (a.orderId === "o1") net.set(a.beneficiaryId, (net.get(a.beneficiaryId) ?? 0) + a.amountMinor);
      return Object.fromEntries([...net].filter(([, v]) => v !== 0).sort());
    };
    const cases: [string, number, Record<string, boolean>, Record<string, number>][] = [
      ["all qualified: nothing moves", 4, { L1: true, L2: true, L3: true, L4: true }, { L1: 300, L2: 100 }],
      ["L1 out: L2 takes level 1, L3 level 2", 4, { L1: false, L2: true, L3: true, L4: true }, { L2: 300, L3: 100 }],
      ["L1 out, L3 out too: L2 level 1, L4 level 2", 4, { L1: false, L2: true, L3: false, L4: true }, { L2: 300, L4: 100 }],
      ["L1 out, no L3: L2 takes level 1, level 2 unpaid", 2, { L1: false, L2: true }, { L2: 300 }],
      ["L2 out, L1 kept: L3 takes level 2", 4, { L1: true, L2: false, L3: true, L4: true }, { L1: 300, L3: 100 }],
      ["L2 out, no L3: level 2 unpaid", 2, { L1: true, L2: false }, { L1: 300 }],
      ["both out: L3 level 1, L4 level 2", 4, { L1: false, L2: false, L3: true, L4: true }, { L3: 300, L4: 100 }],
      ["both out, only L3 above: L3 level 1", 3, { L1: false, L2: false, L3: true }, { L3: 300 }],
      ["both out, no one above: nothing paid", 2, { L1: false, L2: false }, {}],
    ];
    for (const [name, top, qualified, want] of cases) {
      it(name, () => {
        const r = run(top, qualified);
        expect(paid(r)).toEqual(want);
        // each beneficiary holds at most one level on the order line, and at most two levels are paid
        const holders = Object.keys(paid(r));
        expect(holders.length).toBeLessThanOrEqual(2);
        for (const a of r.adjustments) expect(a.level).toBeGreaterThanOrEqual(1);
        // closing the same input again gives the same records
        expect(run(top, qualified)).toEqual(r);
      });
    }

    it("L1 out: L1 forfeits, L2 gives up its level-2 line and takes level 1, L3 takes level 2", () => {
      const r = run(3, { L1: false, L2: true, L3: true });
      expect(r.adjustments.map((a) => [a.kind, a.beneficiaryId, a.level, a.amountMinor, a.trace.fromPromoterId ?? null])).toEqual([
        ["qualification_compress", "L2", 1, 300, "L1"],
        ["qualification_compress", "L3", 2, 100, "L2"],
        ["qualification_forfeit", "L1", 1, -300, null],
        ["qualification_shift", "L2", 2, -100, null],
      ]);
      expect(r.adjustments.every((a) => a.refundBaseMinor === 10_000)).toBe(true);
      const text = (kind: string) => explainLine(r.adjustments.find((a) => a.kind === kind) as never, "en");
      expect(text("qualification_shift")).toContain("you move from level 2 to level 1 and give up your level-2 line");
      expect(explainLine(r.adjustments.find((a) => a.beneficiaryId === "L3") as never, "zh")).toContain("本人递补为第二级");
    });

    it("an upline that is not active keeps its place but is paid nothing, as at order time", () => {
      const promoters = chain(3).map((p) => (p.promoterId === "L3" ? { ...p, status: "suspended" as const } : p));
      const r = closePeriod(
        input(COMPRESS, {
          promoters,
          sales: [sale("S", "o1", 10_000), own("L1", false), own("L2", true), own("L3", true)],
          lines: [teamLine("L1", "S", "o1", 1, 300), teamLine("L2", "S", "o1", 2, 100)],
        }),
      );
      expect(paid(r)).toEqual({ L2: 300 });
    });

    it("looks at most COMPRESSION_UPLINES_MAX uplines up the tree, and stops at a loop", () => {
      const ids = Array.from({ length: COMPRESSION_UPLINES_MAX + 3 }, (_, i) => `U${i + 1}`);
      const promoters = [tp("S", "U1"), ...ids.map((id, i) => tp(id, ids[i + 1] ?? null))];
      const qualifiedAt = (n: number) => [sale("S", "o1", 10_000), ...ids.map((id, i) => own(id, i + 1 === n))];
      const lines = [teamLine("U1", "S", "o1", 1, 300), teamLine("U2", "S", "o1", 2, 100)];
      const within = closePeriod(input(COMPRESS, { promoters, sales: qualifiedAt(COMPRESSION_UPLINES_MAX), lines }));
      const held: [string, number][] = [
        ["U1", 300],
        ["U2", 100],
      ];
      expect(paid(within, held)).toEqual({ [`U${COMPRESSION_UPLINES_MAX}`]: 300 });
      const past = closePeriod(input(COMPRESS, { promoters, sales: qualifiedAt(COMPRESSION_UPLINES_MAX + 1), lines }));
      expect(paid(past, held)).toEqual({});
      const loop = [tp("S", "U1"), tp("U1", "U2"), tp("U2", "U1")];
      expect(paid(closePeriod(input(COMPRESS, { promoters: loop, sales: qualifiedAt(0), lines })), held)).toEqual({});
    });

    it("differential lines compress the same way: each level's order-time amount goes to the level's new holder", () => {
      const diff = (id: string, level: 1 | 2, amount: number): PeriodLine => ({
        ...teamLine(id, "S", "o1", level, amount),
        kind: "differential",
      });
      const r = closePeriod(
        input(
          {
            version: 1,
            differential: { rankRates: { gold: 1200 }, defaultRateBps: 800 },
            team: { levels: [], qualification: { ownSalesAtLeastMinor: 1000, onFail: "compress" } },
          },
          {
            promoters: chain(3),
            sales: [sale("S", "o1", 10_000), own("L1", false), own("L2", true), own("L3", true)],
            lines: [diff("L1", 1, 300), diff("L2", 2, 400)],
          },
        ),
      );
      expect(r.adjustments.map((a) => [a.kind, a.beneficiaryId, a.level, a.amountMinor])).toEqual([
        ["qualification_compress", "L2", 1, 300],
        ["qualification_compress", "L3", 2, 400],
        ["qualification_forfeit", "L1", 1, -300],
        ["qualification_shift", "L2", 2, -400],
      ]);
    });
  });
  it("P7 forfeit counts refunds before close and forfeits only what is left", () => {
    const inp = input(
      { version: 1, team: { levels: [{ rateBps: 300 }], qualification: { ownSalesAtLeastMinor: 1000 } } },
      {
        promoters: [tp("B", null), tp("S", "B")],
        sales: [sale("S", "o1", 10_000, 5_000), sale("B", "o2", 2_000, 500)],
        lines: [teamLine("B", "S", "o1", 1, 300, 150)],
      },
    );
    expect(closePeriod(inp).adjustments.map((a) => [a.kind, a.amountMinor, a.refundBaseMinor])).toEqual([
      ["qualification_forfeit", -150, 5_000],
    ]);
  });
  it("P12 threshold bonus once per period; P13 shared pool pro rata by largest remainder", () => {
    const inp = input(
      {
        version: 1,
        thresholdBonuses: [{ id: "t", salesAtLeastMinor: 5_000, bonusMinor: 800 }],
        teamBonuses: [{ id: "pool", form: "shared", amountMinor: 1_000, teamSalesAtLeastMinor: 9_000, includeSelf: true }],
      },
      {
        promoters: [tp("L", null), tp("A", "L"), tp("B", "A"), tp("X", null)],
        sales: [sale("L", "o1", 3_000), sale("A", "o2", 3_000), sale("B", "o3", 3_000), sale("X", "o4", 5_000), sale("A", "o5", 1)],
      },
    );
    const r = closePeriod(inp);
    // threshold: only X (5000) qualifies. Team of L (with self) = L 3000 + A 3001 + B 3000 = 9001 ≥ 9000:
    // 1000 × 3000/9001 = 333.29, × 3001/9001 = 333.41, × 3000/9001 = 333.29 → floors 999, +1 to A (largest remainder)
    // A's team (A, B with self? includeSelf → A 3001 + B 3000 = 6001) < 9000 → nothing
    expect(r.adjustments.map((a) => [a.kind, a.beneficiaryId, a.amountMinor])).toEqual([
      ["threshold_bonus", "X", 800],
      ["team_bonus", "L", 333],
      ["team_bonus", "A", 334],
      ["team_bonus", "B", 333],
    ]);
  });
  it("P13 leader rate on a team one level deep (levels: 1) leaves the level-2 invitees' sales out", () => {
    const plan = (levels?: number) => ({
      version: 1,
      teamBonuses: [{ id: "sup", form: "leader_rate", rateBps: 200, teamSalesAtLeastMinor: 5_000, ...(levels ? { levels } : {}) }],
    });
    const team = {
      promoters: [tp("L", null), tp("A", "L"), tp("B", "A")],
      sales: [sale("A", "o1", 4_000), sale("B", "o2", 6_000)],
    };
    // Two levels (the default): A 4000 + B 6000 = 10000 ≥ 5000 → 2 % = 200 to L (and A's own team, B, has 6000 → 120 to A).
    const deep = closePeriod(input(plan(), team)).adjustments;
    expect(deep.map((a) => [a.beneficiaryId, a.baseMinor, a.amountMinor, a.trace.teamLevels])).toEqual([
      ["L", 10_000, 200, 2],
      ["A", 6_000, 120, 2],
    ]);
    // One level: L's team is A alone, 4000 < 5000 → nothing for L; A's team is B, 6000 → 120.
    const shallow = closePeriod(input(plan(1), team)).adjustments;
    expect(shallow.map((a) => [a.beneficiaryId, a.baseMinor, a.amountMinor, a.trace.teamLevels])).toEqual([["A", 6_000, 120, 1]]);
  });
  it("P14 contest: top N within rank groups, ties broken by sales, then join date, then id", () => {
    const inp = input(
      { version: 1, contests: [{ id: "king", metric: "customers", prizesMinor: [10_000, 5_000], byRank: true }] },
      {
        promoters: [
          tp("A", null, "r1", "2025-01-02T00:00:00Z"),
          tp("B", null, "r1", "2025-01-01T00:00:00Z"),
          tp("C", null, "r1"),
          tp("D", null, "r2"),
        ],
        sales: [
          sale("A", "o1", 100, 100, "x"),
          sale("A", "o2", 100, 100, "y"),
          sale("B", "o3", 150, 150, "x"),
          sale("B", "o4", 50, 50, "z"),
          sale("C", "o5", 999),
          sale("D", "o6", 1),
        ],
      },
    );
    // r1: A 2 customers (200), B 2 customers (200), C 1 → A and B tie on customers and sales; B joined earlier → B first
    expect(closePeriod(inp).adjustments.map((a) => [a.beneficiaryId, a.amountMinor, a.trace.place])).toEqual([
      ["B", 10_000, 1],
      ["A", 5_000, 2],
      ["D", 10_000, 1],
    ]);
  });
  it("P16 contribution pool: rate of period sales split by points", () => {
    const inp = input(
      { version: 1, contributionPool: { rateOfSalesBps: 100, pointsPerEvent: { valid_click: 1, consultation: 5 }, minPoints: 2 } },
      {
        promoters: [tp("A", null), tp("B", null), tp("C", null)],
        sales: [sale("A", "o1", 100_001)],
        contributions: [
          { promoterId: "A", type: "valid_click", count: 10 },
          { promoterId: "B", type: "consultation", count: 1 },
          { promoterId: "C", type: "valid_click", count: 1 },
        ],
      },
    );
    // pool = 1 % of 100001 = 1000.01 → 1000 (down); A 10 points, B 5, C below minPoints: 666.67 → 667, 333.33 → 333
    expect(closePeriod(inp).adjustments.map((a) => [a.beneficiaryId, a.amountMinor])).toEqual([
      ["A", 667],
      ["B", 333],
    ]);
  });
  it("P20 with P14/P16: each experiment cohort runs its own plan's contests and pool among its own promoters", () => {
    const doc = {
      version: 1,
      contests: [{ id: "king", metric: "sales", prizesMinor: [1_000] }],
      contributionPool: { amountMinor: 600, pointsPerEvent: { valid_click: 1 } },
      experiment: {
        id: "exp-close",
        variants: [
          { key: "a", weightBps: 5000 },
          { key: "b", weightBps: 5000, plan: { version: 1, contests: [{ id: "king-b", metric: "sales", prizesMinor: [300] }] } },
        ],
      },
    };
    const parsed = plan(doc);
    const ids = Array.from({ length: 40 }, (_, i) => `P${i}`);
    const inA = ids.filter((id) => planForPromoter(parsed, id).variant?.key === "a").slice(0, 2);
    const inB = ids.filter((id) => planForPromoter(parsed, id).variant?.key === "b").slice(0, 2);
    const [a1, a2] = inA as [string, string];
    const [b1, b2] = inB as [string, string];
    const inp = input(doc, {
      promoters: [tp(a1, null), tp(a2, null), tp(b1, null), tp(b2, null)],
      sales: [sale(a1, "o1", 500), sale(a2, "o2", 900), sale(b1, "o3", 2_000), sale(b2, "o4", 100)],
      contributions: [
        { promoterId: a1, type: "valid_click", count: 1 },
        { promoterId: a2, type: "valid_click", count: 2 },
        { promoterId: b1, type: "valid_click", count: 50 },
      ],
    });
    const out = closePeriod(inp).adjustments.map((a) => [a.kind, a.beneficiaryId, a.amountMinor, a.trace.variant]);
    // Cohort a (the document's own rules): its contest goes to a2 although b1 sold more; its pool of 600 is split
    // 1 : 2 between a1 and a2. Cohort b: its own contest (300) goes to b1; its plan has no pool, so b1's clicks earn nothing.
    expect(out).toEqual([
      ["contest", a2, 1_000, "a"],
      ["contest", b1, 300, "b"],
      ["pool", a1, 200, "a"],
      ["pool", a2, 400, "a"],
    ]);
  });
  it("is idempotent: closing twice, or with its own output fed back, gives the same records", () => {
    const inp = input(
      {
        version: 1,
        tiers: {
          mode: "retroactive",
          steps: [
            { fromMinor: 0, rateBps: 500 },
            { fromMinor: 1_000, rateBps: 1000, bonusMinor: 50 },
          ],
        },
      },
      {
        promoters: [tp("S", null)],
        sales: [sale("S", "o1", 2_000)],
        lines: [sellerLine(100)],
      },
    );
    const once = closePeriod(inp);
    expect(once.adjustments.map((a) => [a.key, a.amountMinor])).toEqual([
      ["2025-04:tier_trueup:S:o1#1", 100],
      ["2025-04:step_bonus:S:2", 50],
    ]);
    expect(closePeriod(inp)).toEqual(once);
    const fedBack = {
      ...inp,
      lines: [...inp.lines, ...once.adjustments.map((a) => ({ ...a, sellerId: "S", orderId: a.orderId ?? "", reversedMinor: 0 }))],
    };
    expect(closePeriod(fedBack)).toEqual(once);
  });

  describe("P6 share-of-seller lines are trued up with the seller's tier line (P5)", () => {
    const SHARE = (qualification?: unknown) => ({
      version: 1,
      tiers: {
        mode: "retroactive",
        steps: [
          { fromMinor: 0, rateBps: 500 },
          { fromMinor: 1_000, rateBps: 1000 },
        ],
      },
      team: { levels: [{ shareBps: 1000 }, { shareBps: 500 }], ...(qualification ? { qualification } : {}) },
    });
    const shareLine = (
      id: string,
      level: 1 | 2,
      bps: number,
      amount: number,
      orderCap: { capMinor: number; orderAmountMinor: number } | null = null,
    ): PeriodLine => ({
      ...teamLine(id, "S", "o1", level, amount),
      trace: { rule: "team", baseMinor: 100, rateBps: null, shareBps: bps, orderCap },
    });
    const tree = [tp("A", null), tp("B", "A"), tp("S", "B")];

    it("each upline gets its share of the seller's line after the true-up, less what it holds", () => {
      const r = closePeriod(
        input(SHARE(), {
          promoters: tree,
          sales: [sale("S", "o1", 2_000), sale("A", "o2", 5_000), sale("B", "o3", 5_000)],
          lines: [sellerLine(100), shareLine("B", 1, 1000, 10), shareLine("A", 2, 500, 5)],
        }),
      );
      // seller 5 % → 10 % of 2,000: 100 → 200; B 10 % of 200 = 20 (held 10); A 5 % of 200 = 10 (held 5)
      expect(r.adjustments.filter((a) => a.orderId === "o1").map((a) => [a.key, a.amountMinor])).toEqual([
        ["2025-04:tier_trueup:S:o1#1", 100],
        ["2025-04:team_trueup:B:1:o1#1", 10],
        ["2025-04:team_trueup:A:2:o1#1", 5],
      ]);
      const b = r.adjustments.find((a) => a.kind === "team_trueup" && a.beneficiaryId === "B");
      expect(b?.trace).toMatchObject({ rule: "team_trueup", baseMinor: 200, shareBps: 1000, targetMinor: 20, provisionalMinor: 10 });
      expect(b?.refundBaseMinor).toBe(2_000);
    });

    it("an upline that does not qualify this period gets no true-up (its order-time line is forfeited)", () => {
      const r = closePeriod(
        input(SHARE({ ownSalesAtLeastMinor: 1_000, onFail: "forfeit" }), {
          promoters: tree,
          sales: [sale("S", "o1", 2_000), sale("A", "o2", 5_000), sale("B", "o3", 999)],
          lines: [sellerLine(100), shareLine("B", 1, 1000, 10), shareLine("A", 2, 500, 5)],
        }),
      );
      expect(r.adjustments.filter((a) => a.beneficiaryId === "B").map((a) => [a.kind, a.amountMinor])).toEqual([
        ["qualification_forfeit", -10],
      ]);
      expect(r.adjustments.filter((a) => a.beneficiaryId === "A").map((a) => [a.kind, a.amountMinor])).toEqual([["team_trueup", 5]]);
    });

    it("under compress, the true-up follows each line to the upline that holds its level after compression", () => {
      const r = closePeriod(
        input(SHARE({ ownSalesAtLeastMinor: 1_000, onFail: "compress" }), {
          promoters: tree,
          sales: [sale("S", "o1", 2_000), sale("A", "o2", 5_000), sale("B", "o3", 999)],
          lines: [sellerLine(100), shareLine("B", 1, 1000, 10), shareLine("A", 2, 500, 5)],
        }),
      );
      expect(r.adjustments.filter((a) => a.beneficiaryId === "B").map((a) => [a.kind, a.amountMinor])).toEqual([
        ["qualification_forfeit", -10],
      ]);
      // A takes level 1 (B's 10 and its true-up +10) and gives up its own level-2 line (5); no one above A takes level 2
      const toA = r.adjustments.filter((a) => a.beneficiaryId === "A").map((a) => [a.key, a.level, a.amountMinor]);
      expect(toA).toEqual(
        expect.arrayContaining([
          ["2025-04:team_trueup:A:from:B:o1#1", 1, 10],
          ["2025-04:qualification_compress:A:B:team:o1#1", 1, 10],
          ["2025-04:qualification_shift:A:team:o1#1", 2, -5],
        ]),
      );
      expect(toA).toHaveLength(3);
      const moved = r.adjustments.find((a) => a.key === "2025-04:team_trueup:A:from:B:o1#1");
      expect(moved?.trace).toMatchObject({ fromPromoterId: "B", fromLevel: 1, shareBps: 1000, targetMinor: 20, provisionalMinor: 10 });
      const line = moved as NonNullable<typeof moved>;
      expect(explainLine(line, "zh")).toBe("团队补差：下级佣金补差后 ¥2.00 × 10% = ¥0.20 − 已计 ¥0.10（上一级未达门槛，转给本人）= ¥0.10");
      expect(explainLine(line, "en")).toContain("(moved up: the level-1 upline did not qualify)");
    });

    it("under compress with an upline above, the shifted level-2 line's true-up goes to it", () => {
      const r = closePeriod(
        input(SHARE({ ownSalesAtLeastMinor: 1_000, onFail: "compress" }), {
          promoters: [tp("T", null), tp("A", "T"), tp("B", "A"), tp("S", "B")],
          sales: [sale("S", "o1", 2_000), sale("A", "o2", 5_000), sale("B", "o3", 999), sale("T", "o4", 5_000)],
          lines: [sellerLine(100), shareLine("B", 1, 1000, 10), shareLine("A", 2, 500, 5)],
        }),
      );
      const got = r.adjustments.filter((a) => a.orderId === "o1").map((a) => [a.key, a.level, a.amountMinor]);
      expect(got).toEqual(
        expect.arrayContaining([
          ["2025-04:team_trueup:A:from:B:o1#1", 1, 10],
          ["2025-04:team_trueup:T:from:A:o1#1", 2, 5],
          ["2025-04:qualification_compress:T:A:team:o1#1", 2, 5],
        ]),
      );
      const t = r.adjustments.find((a) => a.key === "2025-04:team_trueup:T:from:A:o1#1") as NonNullable<(typeof r.adjustments)[0]>;
      expect(explainLine(t, "en")).toContain("(compressed: the level-2 upline moved one level closer, this level passes to you)");
      // per upline on o1: A holds level 1 only (10 + 10), T level 2 only (5 + 5)
      const net = new Map<string, number>([
        ["B", 10],
        ["A", 5],
      ]);
      for (const a of r.adjustments)
        if (a.orderId === "o1" && a.level > 0) net.set(a.beneficiaryId, (net.get(a.beneficiaryId) ?? 0) + a.amountMinor);
      expect(Object.fromEntries(net)).toEqual({ B: 0, A: 20, T: 10 });
    });

    it("the order's cap (P17) bounds the uplines' true-ups after the seller's", () => {
      // cap 220 on a 2,000 order, 115 paid: the seller rises by its full 100 (to 215), B by 5 of its 10, A by none
      const cap = { capMinor: 220, orderAmountMinor: 2_000 };
      const r = closePeriod(
        input(SHARE(), {
          promoters: tree,
          sales: [sale("S", "o1", 2_000), sale("A", "o2", 5_000), sale("B", "o3", 5_000)],
          lines: [sellerLine(100, cap), shareLine("B", 1, 1000, 10, cap), shareLine("A", 2, 500, 5, cap)],
        }),
      );
      const got = r.adjustments.filter((a) => a.orderId === "o1").map((a) => [a.kind, a.beneficiaryId, a.amountMinor]);
      expect(got).toEqual([
        ["tier_trueup", "S", 100],
        ["team_trueup", "B", 5],
      ]);
      expect(r.adjustments.find((a) => a.beneficiaryId === "B")?.trace).toMatchObject({ capHeadroomMinor: 5, targetMinor: 20 });
      const total = 100 + 10 + 5 + got.reduce((n, g) => n + (g[2] as number), 0);
      expect(total).toBe(cap.capMinor);
    });
  });
});
