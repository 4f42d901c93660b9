/**
 * The provincial agencies a development PKI certifies by default, and the development-only identifiers
 * put in their certificate subjects. Names are the agencies' real zh-CN names; every identifier is fake.
 */

export interface AgencySpec {
  /** GB/T 2260 division code, optionally `-SUFFIX` (docs/business-flow.md "Identities"). */
  id: string;
  /** The agency's zh-CN name, used as CN and (marked development-only) as O. */
  name: string;
  /** Province-level region name, used as ST. */
  region: string;
}

export const DEFAULT_AGENCIES: readonly AgencySpec[] = [
  { id: "110000", name: "北京市社会保险基金管理中心", region: "北京市" },
  { id: "310000", name: "上海市社会保险事业管理中心", region: "上海市" },
  { id: "330000", name: "浙江省社会保险和就业服务中心", region: "浙江省" },
  { id: "440000", name: "广东省社会保险基金管理局", region: "广东省" },
  { id: "510000", name: "四川省社会保险管理局", region: "四川省" },
  { id: "650000", name: "新疆维吾尔自治区社会保险管理局", region: "新疆维吾尔自治区" },
];

const AGENCY_ID = /^\d{6}(-[A-Z0-9]{1,16})?$/;

/** Refuse ids that docs/business-flow.md "Identities" does not allow, and duplicates. */
export function checkAgencySpecs(specs: readonly AgencySpec[]): void {
  const seen = new Set<string>();
  for (const spec of specs) {
    if (!AGENCY_ID.test(spec.id)) throw new RangeError(`agency id '${spec.id}' is not a GB/T 2260 code`);
    if (seen.has(spec.id)) throw new RangeError(`agency id '${spec.id}' appears twice`);
    if (!spec.name.trim()) throw new RangeError(`agency '${spec.id}' has no name`);
    seen.add(spec.id);
  }
}

// GB 32100-2015 unified social credit code: 31-symbol alphabet without I, O, Z, S, V.
const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * A well-formed but fictitious unified social credit code for a public institution (事业单位, "12")
 * in the agency's region: registration-authority/type "12", the 6-digit region, a fake 9-symbol
 * organisation code beginning "JX", and the GB 32100 check symbol.
 */
export function devCreditCode(agencyId: string): string {
  const region = agencyId.slice(0, 6);
  const suffix =
    agencyId.length > 6
      ? agencyId
          .slice(7)
          .replace(/[^0-9A-HJ-NP-RTUWXY]/g, "")
          .slice(0, 4)
      : "";
  const body = `12${region}JX${suffix.padStart(7, "0")}`;
  return body + creditCodeCheck(body);
}

/** GB 32100-2015 §5.2 check symbol over the first 17 symbols (ISO 7064 MOD 31-3 style, weights 3^i mod 31). */
export function creditCodeCheck(body17: string): string {
  const sum = [...body17].reduce((acc, ch, i) => acc + USCC_ALPHABET.indexOf(ch) * USCC_WEIGHTS[i]!, 0);
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/**
 * organizationIdentifier (2.5.4.97) value in the ETSI EN 319 412-1 §5.1.4 syntax:
 * "NTR" (national trade register) + ISO 3166 country + "-" + the registered identifier.
 */
export function organizationIdentifier(agencyId: string): string {
  return `NTRCN-${devCreditCode(agencyId)}`;
}
