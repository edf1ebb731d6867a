/**
 * Statements as PDF (A4) with pdfkit. Chinese text is set in Noto Sans Hans (SIL Open Font License 1.1), which arrives
 * with `npm install` in @embedpdf/fonts-sc; pdfkit embeds only the glyphs a document uses, so a statement stays tens of
 * kilobytes although the font file is 8 MB.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import PDFDocument from "pdfkit";
import { localDate, type PromoterStatement } from "./compute.ts";
import { CATEGORY_ZH, KIND_ZH, MERCHANT_ITEMS, yuan } from "./csv.ts";
import type { MerchantStatementDoc, PromoterStatementDoc } from "./service.ts";

let fonts: { regular: Buffer; bold: Buffer } | null = null;
/** The font files, read once per process. */
export function statementFonts(): { regular: Buffer; bold: Buffer } {
  if (!fonts) {
    const dir = join(dirname(createRequire(import.meta.url).resolve("@embedpdf/fonts-sc")), "..", "fonts");
    fonts = { regular: readFileSync(join(dir, "NotoSansHans-Regular.otf")), bold: readFileSync(join(dir, "NotoSansHans-Bold.otf")) };
  }
  return fonts;
}

type Doc = InstanceType<typeof PDFDocument>;
const MARGIN = 40;
const PAGE_BOTTOM = 841.89 - MARGIN;

function newDoc(title: string): Doc {
  const f = statementFonts();
  const doc = new PDFDocument({ size: "A4", margin: MARGIN, info: { Title: title, Producer: "Fenxiao" } });
  doc.registerFont("cjk", f.regular);
  doc.registerFont("cjk-bold", f.bold);
  doc.font("cjk");
  return doc;
}

function finish(doc: Doc): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => ok(Buffer.concat(chunks)));
    doc.on("error", fail);
    doc.end();
  });
}

/** -253000 in CNY → "-¥2,530.00". */
export function money(minor: number, currency: string): string {
  const [int, frac] = yuan(Math.abs(minor)).split(".") as [string, string];
  return `${minor < 0 ? "-" : ""}${currency === "CNY" ? "¥" : `${currency} `}${int.replace(/\B(?=(\d{3})+$)/g, ",")}.${frac}`;
}

/** One table row at fixed column positions; a new page (with the header again) when the page is full. */
function row(
  doc: Doc,
  cols: readonly { x: number; w: number; align?: "left" | "right" }[],
  cells: readonly string[],
  header?: readonly string[],
) {
  if (doc.y > PAGE_BOTTOM - 16) {
    doc.addPage();
    if (header) row(doc, cols, header);
  }
  const y = doc.y;
  let h = 0;
  cells.forEach((c, i) => {
    const col = cols[i];
    if (!col) return;
    doc.text(c, col.x, y, { width: col.w, align: col.align ?? "left", lineBreak: true });
    h = Math.max(h, doc.y - y);
  });
  doc.x = MARGIN;
  doc.y = y + Math.max(h, 12) + 2;
}

function heading(doc: Doc, title: string, subtitle: string[]): void {
  doc.font("cjk-bold").fontSize(18).text(title, MARGIN, MARGIN);
  doc.font("cjk").fontSize(10).moveDown(0.3);
  for (const s of subtitle) doc.text(s);
  doc.moveDown(0.6);
}

const SUMMARY_COLS = [
  { x: MARGIN, w: 300 },
  { x: 360, w: 195, align: "right" as const },
];

function promoterSummary(doc: Doc, s: Omit<PromoterStatement, "promoterId">): void {
  const m = (n: number) => money(n, s.currency);
  doc.font("cjk-bold").fontSize(12).text(`汇总 Summary（${s.currency}）`, MARGIN);
  doc.font("cjk").fontSize(10).moveDown(0.2);
  const items: [string, number][] = [
    ["期初余额 Opening balance", s.openingMinor],
    ["佣金收入 Earnings", s.earningsMinor],
    ["　其中 订单佣金 order commission", s.earningsBySource.order],
    ["　其中 结算奖励 period bonus", s.earningsBySource.period],
    ["　其中 活动奖励 event reward", s.earningsBySource.event],
    ["　其中 其他 other", s.earningsBySource.other],
    ["佣金冲回 Reversals", -s.reversalsMinor],
    ["调整 Adjustments", s.adjustmentsMinor],
    ["提现到账 Withdrawals paid", -s.withdrawalsMinor],
    ["代扣个税 Tax withheld", -s.taxMinor],
    ["手续费 Fees", -s.feesMinor],
    ["期末余额 Closing balance", s.closingMinor],
  ];
  for (const [label, v] of items) row(doc, SUMMARY_COLS, [label, m(v)]);
  doc.moveDown(0.2);
  doc
    .fontSize(8)
    .text(
      `余额 = 待结算 + 可提现 + 冻结 + 提现中（期末：待结算 ${m(s.closing.pending)}，可提现 ${m(s.closing.available)}，冻结 ${m(s.closing.held)}，提现中 ${m(s.closing.locked)}）`,
      MARGIN,
    );
  doc.fontSize(10).moveDown(0.8);
}

const LINE_COLS = [
  { x: MARGIN, w: 62 },
  { x: 104, w: 86 },
  { x: 192, w: 200 },
  { x: 394, w: 78, align: "right" as const },
  { x: 474, w: 81, align: "right" as const },
];
const LINE_HEADER = ["日期 Date", "类型 Kind", "摘要 Memo", "变动 Change", "余额 Balance"];

function promoterLines(doc: Doc, s: Omit<PromoterStatement, "promoterId">): void {
  doc.font("cjk-bold").fontSize(12).text(`明细 Lines（${s.lines.length}）`, MARGIN);
  doc.font("cjk").fontSize(8).moveDown(0.2);
  row(doc, LINE_COLS, LINE_HEADER);
  for (const l of s.lines) {
    const what = [
      l.withdrawalMinor ? `到账 ${yuan(l.withdrawalMinor)}` : "",
      l.taxMinor ? `个税 ${yuan(l.taxMinor)}` : "",
      l.feeMinor ? `手续费 ${yuan(l.feeMinor)}` : "",
    ]
      .filter(Boolean)
      .join("，");
    row(
      doc,
      LINE_COLS,
      [
        l.date,
        `${KIND_ZH[l.kind] ?? l.kind}\n${CATEGORY_ZH[l.category] ?? l.category}`,
        `${l.memo}${what ? `\n${what}` : ""}`,
        yuan(l.changeMinor),
        yuan(l.balanceMinor),
      ],
      LINE_HEADER,
    );
  }
}

export async function promoterStatementPdf(d: PromoterStatementDoc): Promise<Buffer> {
  const doc = newDoc(`对账单 ${d.month} ${d.promoter.name}`);
  heading(doc, `推广员对账单 Statement ${d.month}`, [
    `商户 Merchant：${d.merchant.name}（${d.merchant.id}）`,
    `推广员 Promoter：${d.promoter.name}（${d.promoter.id}）`,
    `期间 Period：${d.month}（${localDate(new Date(d.from), d.timeZone)} — ${localDate(new Date(Date.parse(d.to) - 1), d.timeZone)}，时区 ${d.timeZone}）`,
  ]);
  if (d.currencies.length === 0) doc.text("本月无账户活动 No account with this merchant.");
  for (const s of d.currencies) {
    promoterSummary(doc, s);
    promoterLines(doc, s);
    doc.moveDown(1);
  }
  return finish(doc);
}

const KIND_COLS = [
  { x: MARGIN, w: 190 },
  { x: 232, w: 70, align: "right" as const },
  { x: 304, w: 120, align: "right" as const },
];

export async function merchantStatementPdf(d: MerchantStatementDoc): Promise<Buffer> {
  const doc = newDoc(`商户对账单 ${d.month} ${d.merchant.name}`);
  heading(doc, `商户对账单 Merchant statement ${d.month}`, [
    `商户 Merchant：${d.merchant.name}（${d.merchant.id}）`,
    `期间 Period：${d.month}（${localDate(new Date(d.from), d.timeZone)} — ${localDate(new Date(Date.parse(d.to) - 1), d.timeZone)}，时区 ${d.timeZone}）`,
  ]);
  if (d.currencies.length === 0) doc.text("本月无账户活动 No ledger activity.");
  for (const c of d.currencies) {
    doc.font("cjk-bold").fontSize(12).text(`汇总 Summary（${c.currency}）`, MARGIN);
    doc.font("cjk").fontSize(10).moveDown(0.2);
    for (const [item, zh, key] of MERCHANT_ITEMS) row(doc, SUMMARY_COLS, [`${zh} ${item}`, money(c[key], c.currency)]);
    doc.moveDown(0.6);
    doc.font("cjk-bold").fontSize(12).text("按类型 By kind", MARGIN);
    doc.font("cjk").fontSize(9).moveDown(0.2);
    const header = ["类型 Kind", "笔数 Count", "金额 Amount"];
    row(doc, KIND_COLS, header);
    for (const k of c.byKind)
      row(doc, KIND_COLS, [`${KIND_ZH[k.kind] ?? k.kind}（${k.kind}）`, String(k.transactions), yuan(k.volumeMinor)], header);
    doc.moveDown(1);
  }
  return finish(doc);
}
