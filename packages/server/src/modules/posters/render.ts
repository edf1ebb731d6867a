/**
 * The promotion poster (推广海报) as a PNG: program, product name and price, the promoter's name and a QR code of the
 * promoter's link for the product.
 *
 * Drawn with @napi-rs/canvas (Skia, prebuilt for each platform: no build step on install) in the Noto Sans SC
 * (Noto Sans Hans) fonts that arrive with `npm install` in @embedpdf/fonts-sc, the same fonts the PDF statements use.
 * The QR code's modules come from the `qrcode` library (error correction M); this file only paints them.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { formatMoney } from "@fenxiao/core";
import { createCanvas, GlobalFonts, type SKRSContext2D } from "@napi-rs/canvas";
import QRCode from "qrcode";

/** The poster's size in pixels: a phone screen at 2× (375 × 600 points). */
export const POSTER_WIDTH = 750;
export const POSTER_HEIGHT = 1200;
/** Where the QR code sits (its quiet zone included), so a test can find it. */
export const POSTER_QR = { x: 155, y: 470, size: 440 } as const;

const FONT = "FenxiaoSC";
const FONT_BOLD = "FenxiaoSCBold";
const PAD = 48;
const RED = "#e4393c";

let fontsReady = false;
/** Register the fonts once per process (Skia reads the files lazily). */
function ensureFonts(): void {
  if (fontsReady) return;
  const dir = join(dirname(createRequire(import.meta.url).resolve("@embedpdf/fonts-sc")), "..", "fonts");
  GlobalFonts.registerFromPath(join(dir, "NotoSansHans-Regular.otf"), FONT);
  GlobalFonts.registerFromPath(join(dir, "NotoSansHans-Bold.otf"), FONT_BOLD);
  fontsReady = true;
}

export interface PosterContent {
  programName: string;
  productName: string;
  priceMinor: number;
  currency: string;
  promoterName: string;
  url: string;
}

/** Break text into at most `maxLines` lines of `width` pixels, character by character (Chinese has no spaces); "…" ends a cut. */
export function wrapText(g: Pick<SKRSContext2D, "measureText">, text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const ch of [...text]) {
    if (g.measureText(line + ch).width > width && line) {
      lines.push(line);
      line = "";
      if (lines.length === maxLines) break;
    }
    line += ch;
  }
  if (lines.length < maxLines && line) lines.push(line);
  else if (lines.length === maxLines && lines.join("").length < [...text].length) {
    let last = lines[maxLines - 1] as string;
    while (last && g.measureText(`${last}…`).width > width) last = last.slice(0, -1);
    lines[maxLines - 1] = `${last}…`;
  }
  return lines;
}

function paintQr(g: SKRSContext2D, url: string): void {
  const qr = QRCode.create(url, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const quiet = 4;
  const cell = Math.floor(POSTER_QR.size / (n + 2 * quiet));
  const offset = Math.floor((POSTER_QR.size - cell * n) / 2);
  g.fillStyle = "#ffffff";
  g.fillRect(POSTER_QR.x, POSTER_QR.y, POSTER_QR.size, POSTER_QR.size);
  g.fillStyle = "#000000";
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++)
      if (qr.modules.get(x, y)) g.fillRect(POSTER_QR.x + offset + x * cell, POSTER_QR.y + offset + y * cell, cell, cell);
}

function paintText(g: SKRSContext2D, c: PosterContent): void {
  g.fillStyle = RED;
  g.fillRect(0, 0, POSTER_WIDTH, 150);
  g.fillStyle = "#ffffff";
  g.font = `36px ${FONT_BOLD}`;
  g.fillText(wrapText(g, c.programName, POSTER_WIDTH - 2 * PAD, 1)[0] ?? "", PAD, 92);
  g.fillStyle = "#1f1f1f";
  g.font = `44px ${FONT_BOLD}`;
  wrapText(g, c.productName, POSTER_WIDTH - 2 * PAD, 2).forEach((line, i) => {
    g.fillText(line, PAD, 232 + i * 60);
  });
  g.fillStyle = RED;
  g.font = `64px ${FONT_BOLD}`;
  g.fillText(formatMoney(c.priceMinor, c.currency), PAD, 410);
  g.textAlign = "center";
  g.fillStyle = "#595959";
  g.font = `28px ${FONT}`;
  g.fillText("长按识别二维码 · 立即购买", POSTER_WIDTH / 2, POSTER_QR.y + POSTER_QR.size + 52);
  g.fillStyle = "#1f1f1f";
  g.font = `32px ${FONT}`;
  g.fillText(wrapText(g, `推荐人：${c.promoterName}`, POSTER_WIDTH - 2 * PAD, 1)[0] ?? "", POSTER_WIDTH / 2, 1080);
  g.fillStyle = "#8c8c8c";
  g.font = `22px ${FONT}`;
  g.fillText(c.url, POSTER_WIDTH / 2, 1140);
  g.textAlign = "left";
}

/** The poster as PNG bytes. */
export async function renderPoster(c: PosterContent): Promise<Buffer> {
  ensureFonts();
  const canvas = createCanvas(POSTER_WIDTH, POSTER_HEIGHT);
  const g = canvas.getContext("2d");
  g.fillStyle = "#fff7f0";
  g.fillRect(0, 0, POSTER_WIDTH, POSTER_HEIGHT);
  paintText(g, c);
  g.strokeStyle = "#f0f0f0";
  g.lineWidth = 2;
  g.strokeRect(POSTER_QR.x - 1, POSTER_QR.y - 1, POSTER_QR.size + 2, POSTER_QR.size + 2);
  paintQr(g, c.url);
  return canvas.encode("png");
}
