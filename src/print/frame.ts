import type { PrintInput } from "../usecases/index.ts";
import { TEXT } from "./labels.ts";
import { drawQr } from "./qr.ts";
import { drawSeal } from "./seal.ts";
import { A4, INK, MARGIN, MUTED, type Sheet } from "./sheet.ts";

/** What every printed document shares: title, facts beside the QR code, verification block, seal, footers. */
export type Fact = [label: string, value: string];

export const QR_SIZE = 92;
const LABEL_WIDTH = 92;

export function drawHeader(sheet: Sheet, title: string, subtitle: string): void {
  sheet.y -= 4;
  sheet.centred(title, 19, 30);
  sheet.centred(subtitle, 10, 22, MUTED);
}

/** The QR code at the top right of the current cursor, with its caption; returns the height it takes. */
export function drawQrBox(sheet: Sheet, url: string): number {
  const x = A4.width - MARGIN.right - QR_SIZE;
  const top = sheet.y - 4;
  drawQr(sheet, url, x, top, QR_SIZE);
  const size = 8;
  sheet.draw(TEXT.qr, x + (QR_SIZE - sheet.width(TEXT.qr, size)) / 2, top - QR_SIZE - 11, { size, color: MUTED });
  return QR_SIZE + 20;
}

/** `label：value` lines, values wrapped within `width`; paginates. */
export function drawFacts(
  sheet: Sheet,
  facts: Fact[],
  width = sheet.contentWidth,
  size = 10,
  labelWidth = LABEL_WIDTH,
): void {
  const lead = size * 1.6;
  for (const [label, value] of facts) {
    const lines = sheet.wrap(value, width - labelWidth, size);
    sheet.ensure(lead * lines.length);
    sheet.y -= lead;
    sheet.draw(sheet.fit(label, labelWidth - 6, size - 0.5), MARGIN.left, sheet.y, { size: size - 0.5, color: MUTED });
    lines.forEach((line, i) => {
      if (i > 0) sheet.y -= lead * 0.8;
      sheet.draw(line, MARGIN.left + labelWidth, sheet.y, { size });
    });
  }
}

/** Facts two to a line where given as pairs (short values side by side), within `width`. */
export function drawFactGrid(sheet: Sheet, rows: (Fact | [Fact, Fact])[], width: number, size = 10): void {
  const lead = size * 1.6;
  const second = LABEL_WIDTH + 124; // the second column starts after an 18-digit ID number
  const label = 70;
  for (const row of rows) {
    if (typeof row[0] === "string") {
      drawFacts(sheet, [row as Fact], width, size);
      continue;
    }
    sheet.ensure(lead);
    sheet.y -= lead;
    (row as [Fact, Fact]).forEach(([l, v], i) => {
      const x = MARGIN.left + i * second;
      const valueX = x + (i === 0 ? LABEL_WIDTH : label);
      const valueWidth = i === 0 ? second - LABEL_WIDTH - 4 : width - second - label;
      sheet.draw(sheet.fit(l, (i === 0 ? LABEL_WIDTH : label) - 6, size - 0.5), x, sheet.y, {
        size: size - 0.5,
        color: MUTED,
      });
      sheet.draw(sheet.fit(v, valueWidth, size), valueX, sheet.y, { size });
    });
  }
}

export function drawSection(sheet: Sheet, heading: string): void {
  sheet.ensure(48);
  sheet.y -= 22;
  sheet.draw(heading, MARGIN.left, sheet.y, { size: 11.5 });
  sheet.y -= 6;
  sheet.rule();
}

function verdictText(v: PrintInput["verification"]): string {
  if (!v) return TEXT.none;
  const word =
    v.indication === "TOTAL_PASSED" ? TEXT.passed : v.indication === "TOTAL_FAILED" ? TEXT.failed : TEXT.indeterminate;
  return `${word} ${v.indication}${v.subIndication ? ` / ${v.subIndication}` : ""}`;
}

const SIGN_WIDTH = 178;

/**
 * The closing block: on the left the digest, the verdict at print time, the archive inclusion and how to
 * verify the paper copy; on the right the issuer's name and date with the seal drawn over them, as a stamp is.
 */
export function drawClosing(sheet: Sheet, input: PrintInput, issuer: string, lines: string[]): void {
  sheet.ensure(160);
  drawSection(sheet, TEXT.digest);
  // The digest and the URL each on one full-width line: a reader compares or types them whole.
  sheet.paragraph(input.documentSha256, MARGIN.left, { size: 9 });
  const top = sheet.y;
  const width = sheet.contentWidth - SIGN_WIDTH;
  const facts: Fact[] = [
    [TEXT.sealedBy, `${input.sealedBy.name}（${input.sealedBy.agencyId}）`],
    [TEXT.verdict, verdictText(input.verification)],
  ];
  if (input.archive)
    facts.push([
      TEXT.archive,
      `${TEXT.leaf} ${input.archive.leafIndex}${input.archive.treeSize ? `，${TEXT.treeSize} ${input.archive.treeSize}` : ""}`,
    ]);
  drawFacts(sheet, facts, width, 8.5);
  sheet.y -= 4;
  for (const text of [TEXT.scan, TEXT.carries])
    sheet.paragraph(text, MARGIN.left, { size: 8.5, maxWidth: width, color: text === TEXT.carries ? MUTED : INK });
  const bottom = sheet.y;
  if (sheet.page === sheet.pages[sheet.pages.length - 1] && bottom < top) sheet.y = top;
  drawSignOff(sheet, issuer, lines);
  sheet.y = Math.min(sheet.y, bottom);
  sheet.paragraph(input.verifyUrl, MARGIN.left, { size: 8.5 });
}

/** The issuer's name and date at the right, the seal drawn over them. */
function drawSignOff(sheet: Sheet, issuer: string, lines: string[]): void {
  const size = 10.5;
  sheet.ensure(110);
  sheet.y -= 32;
  const right = A4.width - MARGIN.right - 8;
  const width = Math.max(...[issuer, ...lines].map((l) => sheet.width(l, size)));
  const x = right - width;
  sheet.draw(issuer, x, sheet.y, { size });
  for (const line of lines) {
    sheet.y -= size * 1.8;
    sheet.draw(line, x, sheet.y, { size });
  }
  const centre = sheet.y + size * 1.8;
  drawSeal(sheet, issuer, x + width / 2, centre, 46);
  sheet.y = centre - 46 - 6;
}

/** Page numbers and the document's identity on every page (known only once the body is laid out). */
export function drawFooters(sheet: Sheet, left: string): void {
  const total = sheet.pages.length;
  sheet.pages.forEach((page, i) => {
    const right = TEXT.page.replace("{n}", String(i + 1)).replace("{m}", String(total));
    const size = 7.5;
    const y = MARGIN.bottom - 28;
    page.drawLine({
      start: { x: MARGIN.left, y: y + 12 },
      end: { x: A4.width - MARGIN.right, y: y + 12 },
      thickness: 0.4,
      color: MUTED,
    });
    page.drawText(sheet.fit(left, sheet.contentWidth - 90, size), {
      x: MARGIN.left,
      y,
      size,
      font: sheet.font,
      color: MUTED,
    });
    page.drawText(right, {
      x: A4.width - MARGIN.right - sheet.width(right, size),
      y,
      size,
      font: sheet.font,
      color: INK,
    });
  });
}
