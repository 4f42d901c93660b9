import type { PrintInput } from "../usecases/index.ts";
import { drawClosing, drawFactGrid, drawHeader, drawQrBox, drawSection, QR_SIZE, type Fact } from "./frame.ts";
import { TEXT, yuan } from "./labels.ts";
import type { Sheet } from "./sheet.ts";
import { drawContributions, isContributionRows } from "./table.ts";

interface VoucherBody {
  voucherNumber?: string;
  issuingAgency?: { agencyName?: string; address?: string; postcode?: string; phone?: string };
  person?: { name?: string; idNumber?: string; socialSecurityNumber?: string };
  insuredPeriod?: { startMonth?: string; endMonth?: string };
  paidMonths?: number;
  deemedMonths?: number;
  accountType?: string;
  personalAccountFen?: number;
  contributions?: unknown;
  issuedOn?: string;
  handler?: string;
}

/**
 * 基本养老保险参保缴费凭证 (人社部规〔2016〕5号 样式) as the person's own certified copy: the ID number in full
 * (only its issuer, or someone who proved the number, can fetch it), the contribution table, the seal.
 */
export function drawVoucher(sheet: Sheet, input: PrintInput): void {
  const body = (input.document.body ?? {}) as VoucherBody;
  const agency = body.issuingAgency ?? {};
  const person = body.person ?? {};
  drawHeader(sheet, TEXT.voucherTitle, `${TEXT.voucherNumber}：${body.voucherNumber ?? String(input.document.id)}`);
  const top = sheet.y;
  const qrHeight = drawQrBox(sheet, input.verifyUrl);
  const rows: (Fact | [Fact, Fact])[] = [
    [TEXT.issuer, agency.agencyName ?? input.sealedBy.name],
    [TEXT.address, [agency.address, agency.postcode].filter(Boolean).join("  ")],
    [TEXT.phone, agency.phone ?? ""],
    [TEXT.name, person.name ?? ""],
    [TEXT.idNumber, person.idNumber ?? ""],
    [
      [TEXT.ssn, person.socialSecurityNumber ?? ""],
      [TEXT.accountType, body.accountType === "temporary" ? TEXT.temporary : TEXT.general],
    ],
    [TEXT.period, `${body.insuredPeriod?.startMonth ?? ""} ${TEXT.to} ${body.insuredPeriod?.endMonth ?? ""}`],
    [
      [TEXT.paidMonths, `${body.paidMonths ?? 0} ${TEXT.months}`],
      [TEXT.deemedMonths, `${body.deemedMonths ?? 0} ${TEXT.months}`],
    ],
    [TEXT.account, `${yuan(body.personalAccountFen ?? 0)} ${TEXT.yuan}`],
  ];
  drawFactGrid(sheet, rows, sheet.contentWidth - QR_SIZE - 16);
  sheet.y = Math.min(sheet.y, top - qrHeight);
  if (isContributionRows(body.contributions)) {
    drawSection(sheet, TEXT.contributions);
    drawContributions(sheet, body.contributions);
  }
  drawClosing(sheet, input, agency.agencyName ?? input.sealedBy.name, [
    `${TEXT.issuedOn}：${body.issuedOn ?? ""}`,
    `${TEXT.handler}：${body.handler ?? ""}`,
  ]);
}
