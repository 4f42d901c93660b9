import { degrees, rgb } from "@cantoo/pdf-lib";
import { layoutSeal, starCorners, type SealLayout } from "./seal-layout.ts";
import type { Sheet } from "./sheet.ts";

const SEAL_RED = rgb(0.84, 0.1, 0.12);

/**
 * The issuing agency's round seal, drawn (公章样式): a red ring, the agency name set along the upper arc, a
 * five-pointed star in the centre and the seal's purpose below it. It shows whose seal the document carries;
 * the seal that counts is the CMS attached to the PDF and verified through the QR code.
 */
export function drawSeal(sheet: Sheet, name: string, cx: number, cy: number, r = 44): void {
  const layout = layoutSeal(name, cx, cy, r, (text, size) => sheet.width(text, size));
  const page = sheet.page;
  page.drawCircle({
    x: cx,
    y: cy,
    size: r,
    borderColor: SEAL_RED,
    borderWidth: layout.ringWidth,
    opacity: 0,
    borderOpacity: 0.9,
  });
  for (const t of [...layout.arc, layout.purpose])
    page.drawText(t.text, {
      x: t.x,
      y: t.y,
      size: t.size,
      font: sheet.font,
      color: SEAL_RED,
      opacity: 0.9,
      ...(t.rotate !== 0 ? { rotate: degrees(t.rotate) } : {}),
    });
  drawStar(sheet, layout.star);
}

/** The star of seal-layout.ts (points, y up) as an SVG path about its centre (y down). */
function drawStar(sheet: Sheet, star: SealLayout["star"]): void {
  const points = starCorners(star).map(([x, y]) => `${(x - star.cx).toFixed(2)} ${(star.cy - y).toFixed(2)}`);
  sheet.page.drawSvgPath(`M ${points.join(" L ")} Z`, { x: star.cx, y: star.cy, color: SEAL_RED, opacity: 0.9 });
}
