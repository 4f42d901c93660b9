import { TEXT, yuan } from "./labels.ts";
import { MARGIN, MUTED, type Sheet } from "./sheet.ts";

/** One row of 历年缴费基数及记账明细 as the wire schemas carry it (common.schema.json contributionRow). */
export interface ContributionRow {
  year?: number;
  startMonth?: string;
  endMonth?: string;
  months?: number;
  monthlyBaseFen?: number;
  creditedFen?: number;
  interestFen?: number;
  balanceFen?: number;
  divisionName?: string;
  divisionCode?: string;
  note?: string;
}

const WIDTHS = [34, 86, 30, 68, 66, 58, 78, 79];
const NUMERIC = [false, false, true, true, true, true, true, false];
const SIZE = 7.5;
const ROW = 11.5;

/** An array that looks like contribution rows (year/months/balance), so it prints as the table, not as fields. */
export function isContributionRows(value: unknown): value is ContributionRow[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((r) => r && typeof r === "object" && "months" in r && ("balanceFen" in r || "creditedFen" in r))
  );
}

function cells(r: ContributionRow): string[] {
  const money = (fen: number | undefined) => (typeof fen === "number" ? yuan(fen) : "");
  return [
    r.year === undefined ? "" : String(r.year),
    r.startMonth && r.endMonth ? `${r.startMonth} ${TEXT.to} ${r.endMonth}` : "",
    r.months === undefined ? "" : String(r.months),
    money(r.monthlyBaseFen),
    money(r.creditedFen),
    money(r.interestFen),
    money(r.balanceFen),
    [r.divisionName ?? r.divisionCode ?? "", r.note ?? ""].filter(Boolean).join(" "),
  ];
}

function drawRow(sheet: Sheet, values: string[], color = MUTED, header = false): void {
  let x = MARGIN.left;
  values.forEach((v, i) => {
    const w = WIDTHS[i]!;
    const text = sheet.fit(v, w - 4, SIZE);
    const tx = NUMERIC[i] && !header ? x + w - 3 - sheet.width(text, SIZE) : x + 2;
    sheet.draw(text, tx, sheet.y + 4, { size: SIZE, ...(header ? { color } : {}) });
    x += w;
  });
}

function drawHead(sheet: Sheet): void {
  sheet.y -= ROW;
  drawRow(sheet, TEXT.cols.split("|"), MUTED, true);
  sheet.rule(sheet.y + 1);
}

/** The rows as a ruled table, its header repeated on every page it runs onto. */
export function drawContributions(sheet: Sheet, rows: ContributionRow[]): void {
  sheet.ensure(ROW * 3);
  drawHead(sheet);
  for (const row of rows) {
    if (sheet.ensure(ROW)) drawHead(sheet);
    sheet.y -= ROW;
    drawRow(sheet, cells(row));
  }
  sheet.rule(sheet.y + 1);
}
