import { type PDFDocument, type PDFFont, type PDFPage, rgb, type RGB } from "@cantoo/pdf-lib";

/** A4 in PDF points (1/72 in). */
export const A4 = { width: 595.28, height: 841.89 };
export const MARGIN = { left: 48, right: 48, top: 44, bottom: 58 };
export const INK = rgb(0.1, 0.1, 0.12);
export const MUTED = rgb(0.38, 0.38, 0.42);
export const RULE = rgb(0.72, 0.72, 0.76);

export interface TextStyle {
  size?: number;
  color?: RGB;
}

/**
 * The pages of one printed document and a cursor running down them: text goes where the cursor is, and a
 * block that does not fit on the page starts a new one (so long tables and bodies paginate). Every glyph
 * is drawn with the one embedded font whose coverage was checked before (glyphs.ts).
 */
export class Sheet {
  readonly pages: PDFPage[] = [];
  y = 0;

  constructor(
    readonly pdf: PDFDocument,
    readonly font: PDFFont,
  ) {
    this.newPage();
  }

  get page(): PDFPage {
    return this.pages[this.pages.length - 1]!;
  }

  get contentWidth(): number {
    return A4.width - MARGIN.left - MARGIN.right;
  }

  newPage(): void {
    this.pages.push(this.pdf.addPage([A4.width, A4.height]));
    this.y = A4.height - MARGIN.top;
  }

  /** Start a new page unless `height` points still fit above the bottom margin. */
  ensure(height: number): boolean {
    if (this.y - height >= MARGIN.bottom) return false;
    this.newPage();
    return true;
  }

  width(text: string, size: number): number {
    return this.font.widthOfTextAtSize(text, size);
  }

  /** Draw one line at (x, baseline y) on the current page. */
  draw(text: string, x: number, y: number, style: TextStyle = {}): void {
    if (text === "") return;
    this.page.drawText(text, { x, y, size: style.size ?? 10, font: this.font, color: style.color ?? INK });
  }

  /** Text centred on the page at the cursor, which moves down by `lead`. */
  centred(text: string, size: number, lead: number, color: RGB = INK): void {
    this.ensure(lead);
    this.y -= size;
    this.draw(text, (A4.width - this.width(text, size)) / 2, this.y, { size, color });
    this.y -= lead - size;
  }

  /** Wrapped text from `x` to the right margin (or `maxWidth`), paginating line by line. */
  paragraph(text: string, x: number, style: TextStyle & { lead?: number; maxWidth?: number } = {}): void {
    const size = style.size ?? 10;
    const lead = style.lead ?? size * 1.5;
    for (const line of this.wrap(text, style.maxWidth ?? A4.width - MARGIN.right - x, size)) {
      this.ensure(lead);
      this.y -= lead;
      this.draw(line, x, this.y + (lead - size) / 2, style);
    }
  }

  /** Break text into lines no wider than `maxWidth`: at any character (CJK has no spaces), keeping words of ASCII whole when it can. */
  wrap(text: string, maxWidth: number, size: number): string[] {
    const lines: string[] = [];
    for (const raw of text.split("\n")) {
      let line = "";
      for (const token of raw.match(/[\x21-\x7e]+|./gsu) ?? []) {
        if (this.width(line + token, size) <= maxWidth) line += token;
        else if (this.width(token, size) <= maxWidth) {
          lines.push(line.trimEnd());
          line = token.trimStart();
        } else {
          for (const ch of token) {
            if (this.width(line + ch, size) > maxWidth && line) {
              lines.push(line);
              line = "";
            }
            line += ch;
          }
        }
      }
      lines.push(line);
    }
    return lines;
  }

  /** Shorten `text` with an ellipsis until it fits `maxWidth`. */
  fit(text: string, maxWidth: number, size: number): string {
    if (this.width(text, size) <= maxWidth) return text;
    const chars = [...text];
    while (chars.length && this.width(`${chars.join("")}…`, size) > maxWidth) chars.pop();
    return `${chars.join("")}…`;
  }

  rule(y = this.y, color: RGB = RULE, thickness = 0.6): void {
    this.page.drawLine({
      start: { x: MARGIN.left, y },
      end: { x: A4.width - MARGIN.right, y },
      thickness,
      color,
    });
  }
}
