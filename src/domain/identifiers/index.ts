/**
 * Identifiers of the transfer domain (docs/references.md "Identifiers", docs/business-flow.md "Identities"):
 * pure verdicts, no throws.
 */
export {
  checkIdNumber,
  containsIdNumber,
  idNumberCheckChar,
  isRealDate,
  maskIdNumber,
  maskIdNumbersIn,
  maskPersonName,
  mayHoldIdNumber,
  sameIdNumber,
  upgradeIdNumber,
} from "./id-number.ts";
export type { Gender, IdNumberFailure, IdNumberVerdict } from "./id-number.ts";
export { checkUscc, usccCheckChar, USCC_ALPHABET } from "./uscc.ts";
export type { UsccVerdict } from "./uscc.ts";
export {
  isIdNumberProvincePrefix,
  isKnownDivision,
  isMainlandProvincePrefix,
  lookupDivision,
  provinceOf,
  sameProvince,
} from "./divisions.ts";
export type { Division, DivisionLevel } from "./divisions.ts";
export { AGENCY_ID_PATTERN, agencyProvince, checkAgencyId } from "./agency-id.ts";
export type { AgencyIdVerdict } from "./agency-id.ts";
