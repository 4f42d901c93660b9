import { degrees, rgb } from "@cantoo/pdf-lib";
import type { Sheet } from "./sheet.ts";
import { TEXT } from "./labels.ts";

const SEAL_RED = rgb(0.84, 0.1, 0.12);

/**
 * The issuing agency's round seal, drawn (公章样式): a red ring, the agency name set along the upper arc, a
 * five-pointed star in the centre and the seal's purpose below it. It shows whose seal the document carries;
 * the seal that counts is the CMS attached to the PDF and verified through the QR code.
 */
export function drawSeal(sheet: Sheet, name: string, cx: number, cy: number, r = 44): void {
  const page = sheet.page;
  page.drawCircle({ x: cx, y: cy, size: r, borderColor: SEAL_RED, borderWidth: 2.4, opacity: 0, borderOpacity: 0.9 });
  drawArcText(sheet, name, cx, cy, r);
  drawStar(sheet, cx, cy, r * 0.27);
  const size = Math.min(6.5, (r * 1.2) / [...TEXT.sealLine].length);
  sheet.page.drawText(TEXT.sealLine, {
    x: cx - sheet.width(TEXT.sealLine, size) / 2,
    y: cy - r * 0.56,
    size,
    font: sheet.font,
    color: SEAL_RED,
    opacity: 0.9,
  });
}

/** Characters along the upper arc, upright towards the rim, spread over up to 240° centred on the top. */
function drawArcText(sheet: Sheet, name: string, cx: number, cy: number, r: number): void {
  const chars = [...name];
  const span = Math.min(240, Math.max(100, chars.length * 22));
  const size = Math.min(11, ((2 * Math.PI * r * 0.72 * span) / 360 / chars.length) * 0.92);
  const radius = r - 4 - size; // baseline inside the ring
  chars.forEach((ch, i) => {
    const step = chars.length > 1 ? span / (chars.length - 1) : 0;
    const theta = 90 + span / 2 - i * step; // degrees, counter-clockwise from +x: left to right over the top
    const rad = (theta * Math.PI) / 180;
    const rot = ((theta - 90) * Math.PI) / 180;
    const w = sheet.width(ch, size);
    // Baseline midpoint on the circle; the glyph's left end half a width back along the tangent.
    const bx = cx + radius * Math.cos(rad) - (w / 2) * Math.cos(rot);
    const by = cy + radius * Math.sin(rad) - (w / 2) * Math.sin(rot);
    sheet.page.drawText(ch, {
      x: bx,
      y: by,
      size,
      font: sheet.font,
      color: SEAL_RED,
      rotate: degrees(theta - 90),
      opacity: 0.9,
    });
  });
}

function drawStar(sheet: Sheet, cx: number, cy: number, outer: number): void {
  const inner = outer * 0.382;
  const points: string[] = [];
  for (let i = 0; i < 10; i++) {
    const rr = i % 2 === 0 ? outer : inner;
    const a = -Math.PI / 2 + (i * Math.PI) / 5; // SVG y grows downwards: first point straight up
    points.push(`${(rr * Math.cos(a)).toFixed(2)} ${(rr * Math.sin(a)).toFixed(2)}`);
  }
  sheet.page.drawSvgPath(`M ${points.join(" L ")} Z`, { x: cx, y: cy + outer * 0.1, color: SEAL_RED, opacity: 0.9 });
}
