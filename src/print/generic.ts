import type { PrintInput } from "../usecases/index.ts";
import { drawClosing, drawFacts, drawHeader, drawQrBox, drawSection, QR_SIZE, type Fact } from "./frame.ts";
import { TEXT, bodySchema, childSchema, isFen, labelOf, typeTitle, yuan } from "./labels.ts";
import type { Sheet } from "./sheet.ts";
import { drawContributions, isContributionRows, type ContributionRow } from "./table.ts";

type Schema = Record<string, unknown> | undefined;

/**
 * Any other sealed document (联系函, 信息表, 基金划转, 退回, 核对不符, 办结, 业务回执…): the same frame, the
 * envelope's facts, and the body as labelled lines — nested fields joined as 参保人员 · 姓名, contribution
 * rows as the table — paginated however long it runs.
 */
export function drawGeneric(sheet: Sheet, input: PrintInput): void {
  const doc = input.document;
  const type = String(doc.type ?? "");
  drawHeader(sheet, typeTitle(type), `${TEXT.documentId}：${String(doc.id ?? "")}`);
  const top = sheet.y;
  const qrHeight = drawQrBox(sheet, input.verifyUrl);
  const envelope: Fact[] = [
    [TEXT.type, `${typeTitle(type)}（${type}）`],
    [TEXT.caseId, String(doc.caseId ?? "")],
    [TEXT.from, String(doc.from ?? "")],
    [TEXT.recipient, String(doc.to ?? "")],
    [TEXT.issuedAt, String(doc.issuedAt ?? "")],
    ...(doc.replyTo ? ([[TEXT.replyTo, String(doc.replyTo)]] as Fact[]) : []),
  ];
  drawFacts(sheet, envelope, sheet.contentWidth - QR_SIZE - 16);
  sheet.y = Math.min(sheet.y, top - qrHeight);
  drawSection(sheet, TEXT.body);
  const tables: [string, ContributionRow[]][] = [];
  drawFacts(sheet, flatten(doc.body, bodySchema(type), [], tables), sheet.contentWidth, 9.5, 190);
  for (const [label, rows] of tables) {
    drawSection(sheet, label);
    drawContributions(sheet, rows);
  }
  drawClosing(sheet, input, input.sealedBy.name, [`${TEXT.issuedAt}：${String(doc.issuedAt ?? "").slice(0, 10)}`]);
}

/** The body's leaves as (label path, text) pairs; contribution-row arrays are set aside for tables. */
export function flatten(
  value: unknown,
  schema: Schema,
  path: string[],
  tables: [string, ContributionRow[]][],
  key = "",
): Fact[] {
  if (Array.isArray(value)) {
    if (isContributionRows(value)) {
      tables.push([path.join(" · ") || TEXT.contributions, value]);
      return [];
    }
    if (value.length === 0) return [[path.join(" · "), TEXT.none]];
    if (value.every((v) => typeof v !== "object" || v === null))
      return [[path.join(" · "), value.map((v) => scalar(v, childSchema(schema, 0), key)).join("、")]];
    return value.flatMap((v, i) =>
      flatten(v, childSchema(schema, i), [...path.slice(0, -1), `${path.at(-1) ?? ""}（${i + 1}）`], tables, key),
    );
  }
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => {
      const sub = childSchema(schema, k);
      return flatten(v, sub, [...path, labelOf(sub, k)], tables, k);
    });
  return [[path.join(" · "), scalar(value, schema, key)]];
}

function scalar(value: unknown, schema: Schema, key: string): string {
  if (value === null || value === undefined) return TEXT.none;
  if (typeof value === "boolean") return value ? TEXT.yes : TEXT.no;
  if (typeof value === "number" && isFen(schema, key)) return `${yuan(value)} ${TEXT.yuan}`;
  return String(value);
}
