import { TEXT } from "./labels.ts";

/**
 * Where the parts of the round official seal (公章样式) go, in points with y pointing up: one geometry for
 * the seal drawn on the printed page (seal.ts) and the seal picture of an SES electronic seal (seal-png.ts),
 * so the two look the same.
 */
export interface SealLayout {
  cx: number;
  cy: number;
  /** Radius of the ring's centre line, and the ring's stroke width. */
  r: number;
  ringWidth: number;
  /** The agency name, one character at a time along the upper arc: baseline start, size, rotation. */
  arc: PlacedText[];
  /** The five-pointed star: centre and the radii of its outer and inner corners. */
  star: { cx: number; cy: number; outer: number; inner: number };
  /** The seal's purpose (社会保险业务专用章), one line centred below the star. */
  purpose: PlacedText;
}

export interface PlacedText {
  text: string;
  /** Left end of the baseline. */
  x: number;
  y: number;
  size: number;
  /** Counter-clockwise rotation about (x, y), degrees. */
  rotate: number;
}

/** The advance width of `text` set at `size` points in the font that will draw it. */
export type MeasureText = (text: string, size: number) => number;

const SEAL_RING_WIDTH = 2.4;

export function layoutSeal(name: string, cx: number, cy: number, r: number, width: MeasureText): SealLayout {
  const outer = r * 0.27;
  const purposeSize = Math.min(6.5, (r * 1.2) / [...TEXT.sealLine].length);
  return {
    cx,
    cy,
    r,
    ringWidth: SEAL_RING_WIDTH,
    arc: layoutArc(name, cx, cy, r, width),
    // The star sits a little above the centre, leaving room for the purpose line.
    star: { cx, cy: cy + outer * 0.1, outer, inner: outer * 0.382 },
    purpose: {
      text: TEXT.sealLine,
      x: cx - width(TEXT.sealLine, purposeSize) / 2,
      y: cy - r * 0.56,
      size: purposeSize,
      rotate: 0,
    },
  };
}

/** Characters along the upper arc, upright towards the rim, spread over up to 216° centred on the top. */
function layoutArc(name: string, cx: number, cy: number, r: number, width: MeasureText): PlacedText[] {
  const chars = [...name];
  const span = Math.min(216, Math.max(100, chars.length * 22));
  const size = Math.min(11, ((2 * Math.PI * r * 0.72 * span) / 360 / chars.length) * 0.92);
  const radius = r - 4 - size; // baseline inside the ring
  const step = chars.length > 1 ? span / (chars.length - 1) : 0;
  return chars.map((ch, i) => {
    const theta = 90 + span / 2 - i * step; // degrees, counter-clockwise from +x: left to right over the top
    const rad = (theta * Math.PI) / 180;
    const rot = ((theta - 90) * Math.PI) / 180;
    const w = width(ch, size);
    // Baseline midpoint on the circle; the glyph's left end half a width back along the tangent.
    return {
      text: ch,
      x: cx + radius * Math.cos(rad) - (w / 2) * Math.cos(rot),
      y: cy + radius * Math.sin(rad) - (w / 2) * Math.sin(rot),
      size,
      rotate: theta - 90,
    };
  });
}

/** The star's ten corners, outer first and straight up, counter-clockwise (y up). */
export function starCorners(star: SealLayout["star"]): [number, number][] {
  return Array.from({ length: 10 }, (_, i) => {
    const rr = i % 2 === 0 ? star.outer : star.inner;
    const a = Math.PI / 2 + (i * Math.PI) / 5;
    return [star.cx + rr * Math.cos(a), star.cy + rr * Math.sin(a)];
  });
}
