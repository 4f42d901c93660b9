import { requireCoverage, type LoadedFont } from "./glyphs.ts";
import { encodePng } from "./png.ts";
import { Outline, fillNonzero, type Point } from "./raster.ts";
import { layoutSeal, starCorners, type PlacedText, type SealLayout } from "./seal-layout.ts";

/**
 * The seal picture of an SES electronic seal (GB/T 38540-2020 §6.2 SES_ESPictrueInfo, type "PNG"): the round
 * official seal the printed page draws (seal-layout.ts) — red ring, agency name on the upper arc, star,
 * 社会保险业务专用章 — rasterised here to RGBA on a transparent background and encoded as PNG. The glyphs come
 * from the font the caller loaded (loadFont over the bytes the runtime or CLI read): src/print reads no file.
 */
export interface SealPictureInput {
  /** The agency name set along the arc (the seal's SES_ESPropertyInfo.name). */
  name: string;
  font: LoadedFont;
  /** Width and height in pixels (default 480: 40 mm at ≈305 dpi). */
  sizePx?: number;
  /** The printed size the PNG declares (pHYs), millimetres (default 40, the size the seal records). */
  sizeMm?: number;
}

export const SEAL_PICTURE_MM = 40;
const SEAL_RED = [214, 26, 31] as const;
/** The layout's radius in points (as on the printed page) and the clear margin around the ring. */
const R = 44;
const MARGIN = 1;
const SUPERSAMPLES = 5;

export function renderSealPng(input: SealPictureInput): Uint8Array {
  const size = input.sizePx ?? 480;
  if (!Number.isInteger(size) || size < 32 || size > 4096) throw new RangeError(`seal picture size ${size} px`);
  const font = requireCoverage(input.font, codePoints(input.name));
  const layout = layoutSeal(input.name, 0, 0, R, (text, pt) => advance(font, text) * pt);
  requireCoverage(font, codePoints(layout.purpose.text));
  const half = R + layout.ringWidth / 2 + MARGIN;
  const scale = size / (2 * half);
  // Points (y up, origin at the centre) to pixels (y down, origin at the top left).
  const toPixel = ([x, y]: Point): Point => [(x + half) * scale, (half - y) * scale];
  const outline = new Outline();
  drawRing(outline, layout, toPixel);
  for (const text of [...layout.arc, layout.purpose]) drawText(outline, font, text, toPixel);
  outline.polygon(starCorners(layout.star).map(toPixel));
  const coverage = fillNonzero(outline, size, size, SUPERSAMPLES);
  const mm = input.sizeMm ?? SEAL_PICTURE_MM;
  return encodePng({ width: size, height: size, rgba: paint(coverage) }, size / (mm / 1000));
}

function codePoints(text: string): Set<number> {
  return new Set([...text].map((ch) => ch.codePointAt(0)!));
}

function advance(font: LoadedFont, text: string): number {
  return [...text].reduce((w, ch) => w + (font.outline(ch.codePointAt(0)!)?.advance ?? 0), 0);
}

/** The ring as two circles turning opposite ways: the inner one is a hole under the nonzero rule. */
function drawRing(outline: Outline, layout: SealLayout, toPixel: (p: Point) => Point): void {
  const steps = 360;
  const circle = (radius: number, sense: 1 | -1): Point[] =>
    Array.from({ length: steps }, (_, i) => {
      const a = (sense * 2 * Math.PI * i) / steps;
      return toPixel([layout.cx + radius * Math.cos(a), layout.cy + radius * Math.sin(a)]);
    });
  outline.polygon(circle(layout.r + layout.ringWidth / 2, 1));
  outline.polygon(circle(layout.r - layout.ringWidth / 2, -1));
}

/** A line of text from its baseline start, rotated about it: each glyph's outline placed along the pen. */
function drawText(outline: Outline, font: LoadedFont, t: PlacedText, toPixel: (p: Point) => Point): void {
  const rad = (t.rotate * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  let pen = 0;
  for (const ch of t.text) {
    const glyph = font.outline(ch.codePointAt(0)!)!;
    const at = (gx: number, gy: number): Point => {
      const x = pen + gx * t.size;
      const y = gy * t.size;
      return toPixel([t.x + x * cos - y * sin, t.y + x * sin + y * cos]);
    };
    for (const { command, args } of glyph.commands) {
      const p = (i: number) => at(args[2 * i]!, args[2 * i + 1]!);
      if (command === "moveTo") outline.moveTo(p(0));
      else if (command === "lineTo") outline.lineTo(p(0));
      else if (command === "quadraticCurveTo") outline.quadTo(p(0), p(1));
      else if (command === "bezierCurveTo") outline.cubicTo(p(0), p(1), p(2));
      else outline.close();
    }
    outline.close();
    pen += glyph.advance * t.size;
  }
}

/** Seal red wherever the outline covers the pixel, its coverage as alpha; transparent elsewhere. */
function paint(coverage: Float32Array): Uint8Array {
  const rgba = new Uint8Array(coverage.length * 4);
  coverage.forEach((c, i) => {
    if (c <= 0) return;
    rgba.set(SEAL_RED, i * 4);
    rgba[i * 4 + 3] = Math.round(Math.min(1, c) * 255);
  });
  return rgba;
}
