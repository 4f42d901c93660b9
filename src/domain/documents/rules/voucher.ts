import { sameProvince } from "../../identifiers/index.ts";
import { pointer, problem, type Problem } from "../problems.ts";
import type { Document } from "../types.ts";

/**
 * A 参保缴费凭证 (66号 art 3) is issued to the person before any case exists: its envelope is addressed to the
 * issuer itself and its case is itself (contribution-voucher.schema.json), so it can be presented anywhere.
 */
export function checkVoucherStandalone(doc: Document): Problem[] {
  if (doc.type !== "contribution-voucher") return [];
  const found: Problem[] = [];
  if (doc.to !== doc.from) {
    const message = `参保缴费凭证由参保人员持有，收文机构应为出具机构本身 ${doc.from}，实为 ${doc.to}`;
    found.push(problem("VOUCHER_NOT_STANDALONE", pointer("to"), message));
  }
  if (doc.caseId !== doc.id) {
    const message = `参保缴费凭证出具时尚无转移案件，caseId 应为凭证自身编号 ${doc.id}，实为 ${doc.caseId}`;
    found.push(problem("VOUCHER_NOT_STANDALONE", pointer("caseId"), message));
  }
  return found;
}

/** The agency named on the voucher is in the province of the agency that seals it (`from`). */
export function checkVoucherIssuer(doc: Document): Problem[] {
  if (doc.type !== "contribution-voucher") return [];
  const issuer = doc.body.issuingAgency.divisionCode;
  if (sameProvince(issuer, doc.from)) return [];
  const message = `出具机构行政区划代码 ${issuer} 与发文机构 ${doc.from} 不在同一省份`;
  return [problem("VOUCHER_ISSUER_MISMATCH", pointer("body", "issuingAgency", "divisionCode"), message)];
}

/** 社会保险法 art 58: the 社会保障号码 is the 公民身份号码. */
export function checkSocialSecurityNumber(doc: Document): Problem[] {
  if (doc.type !== "contribution-voucher") return [];
  const { idNumber, socialSecurityNumber } = doc.body.person;
  if (socialSecurityNumber === undefined || socialSecurityNumber.toUpperCase() === idNumber.toUpperCase()) return [];
  const message = "社会保障号码应与公民身份号码相同（社会保险法第五十八条）";
  return [problem("SOCIAL_SECURITY_NUMBER_MISMATCH", pointer("body", "person", "socialSecurityNumber"), message)];
}
