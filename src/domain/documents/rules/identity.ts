import { checkAgencyId, checkIdNumber, checkUscc, isKnownDivision, sameProvince } from "../../identifiers/index.ts";
import { pointer, problem, warning, type Problem } from "../problems.ts";
import { CASE_STEP_TYPES, type Document } from "../types.ts";
import type { RuleContext } from "./context.ts";
import { isRowDocument, rowPath } from "./rows.ts";

/** Steps of the transfer itself; receipts are transport and carry no cross-province meaning. */
const TRANSFER_TYPES: ReadonlySet<string> = new Set(CASE_STEP_TYPES);

type Located = { path: string; value: string };

/** 公民身份号码 (GB 11643): invalid → error; legacy 15-digit or lowercase x → warning. */
export function checkIdNumbers(doc: Document, ctx: RuleContext): Problem[] {
  if (!("person" in doc.body)) return [];
  const path = pointer("body", "person", "idNumber");
  const verdict = checkIdNumber(doc.body.person.idNumber, { today: ctx.today });
  if (!verdict.ok) return [problem("ID_NUMBER_INVALID", path, verdict.message)];
  const found = verdict.warning ? [warning("ID_NUMBER_LEGACY", path, verdict.warning)] : [];
  return doc.type === "insurance-record" ? [...found, ...checkPersonAgainstId(doc.body.person, verdict)] : found;
}

/** The record's own birth date and gender must agree with what the ID number encodes. */
function checkPersonAgainstId(
  person: { birthDate: string; gender: string },
  id: { birthDate: string; gender: string },
): Problem[] {
  const found: Problem[] = [];
  if (person.birthDate !== id.birthDate) {
    const message = `出生日期 ${person.birthDate} 与公民身份号码中的 ${id.birthDate} 不一致`;
    found.push(problem("ID_NUMBER_MISMATCH", pointer("body", "person", "birthDate"), message));
  }
  if (person.gender !== id.gender) {
    const message = `性别与公民身份号码第 17 位（奇数为男，偶数为女）不一致`;
    found.push(problem("ID_NUMBER_MISMATCH", pointer("body", "person", "gender"), message));
  }
  return found;
}

/** 统一社会信用代码 of the employer (GB 32100). */
export function checkUsccs(doc: Document): Problem[] {
  if (doc.type !== "contact-letter" && doc.type !== "insurance-record") return [];
  const employer = doc.body.employer;
  if (!employer) return [];
  const verdict = checkUscc(employer.uscc);
  return verdict.ok ? [] : [problem("USCC_INVALID", pointer("body", "employer", "uscc"), verdict.message)];
}

/** Every GB/T 2260 code named in the body must exist in the table. */
export function checkDivisions(doc: Document): Problem[] {
  return divisionsOf(doc)
    .filter(({ value }) => !isKnownDivision(value))
    .map(({ path, value }) => problem("DIVISION_UNKNOWN", path, `行政区划代码 ${value} 不存在（GB/T 2260）`));
}

function divisionsOf(doc: Document): Located[] {
  if (doc.type === "contact-letter") {
    return [
      { path: pointer("body", "transferOut", "divisionCode"), value: doc.body.transferOut.divisionCode },
      { path: pointer("body", "transferIn", "divisionCode"), value: doc.body.transferIn.divisionCode },
    ];
  }
  if (!isRowDocument(doc)) return [];
  const hukou = doc.body.person.hukouDivisionCode;
  const own: Located[] = hukou ? [{ path: pointer("body", "person", "hukouDivisionCode"), value: hukou }] : [];
  if (doc.type === "contribution-voucher") {
    const issuer = doc.body.issuingAgency.divisionCode;
    own.push({ path: pointer("body", "issuingAgency", "divisionCode"), value: issuer });
  }
  const rows = doc.body.contributions.map((row, i) => ({ path: rowPath(i, "divisionCode"), value: row.divisionCode }));
  return [...own, ...rows];
}

/** Agency ids (docs/business-flow.md "Identities") in the envelope and in receipts. */
export function checkAgencyIds(doc: Document): Problem[] {
  const located: Located[] = [
    { path: pointer("from"), value: doc.from },
    { path: pointer("to"), value: doc.to },
  ];
  if (doc.type === "receipt")
    located.push({ path: pointer("body", "receivingAgency"), value: doc.body.receivingAgency });
  return located.flatMap(({ path, value }) => {
    const verdict = checkAgencyId(value);
    return verdict.ok ? [] : [problem("AGENCY_ID_INVALID", path, verdict.message)];
  });
}

/** 66号 governs transfers between provinces; within a province the local rules apply instead. */
export function checkCrossProvince(doc: Document): Problem[] {
  if (!TRANSFER_TYPES.has(doc.type) || !sameProvince(doc.from, doc.to)) return [];
  const message = `发文机构 ${doc.from} 与收文机构 ${doc.to} 属同一省份，不属于跨省转移接续`;
  return [problem("SAME_PROVINCE", pointer("to"), message)];
}
