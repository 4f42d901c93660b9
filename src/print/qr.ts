import { rgb } from "@cantoo/pdf-lib";
import QRCode from "qrcode";
import type { Sheet } from "./sheet.ts";

/**
 * The QR code of `url` drawn as vectors (one path of dark modules, error correction M) with its top-left
 * corner at (x, yTop) and `size` points wide; the quiet zone is left blank around it by the caller's layout.
 */
export function drawQr(sheet: Sheet, url: string, x: number, yTop: number, size: number): void {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: "M" });
  const n = modules.size;
  const parts: string[] = [];
  for (let row = 0; row < n; row++) {
    // Runs of dark modules as one rectangle each: no hairline seams between neighbours when rasterised.
    for (let col = 0; col < n; ) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      let end = col;
      while (end < n && modules.get(row, end)) end++;
      parts.push(`M${col} ${row}h${end - col}v1h${col - end}z`);
      col = end;
    }
  }
  sheet.page.drawSvgPath(parts.join(""), { x, y: yTop, scale: size / n, color: rgb(0, 0, 0) });
}
