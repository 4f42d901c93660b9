/**
 * 统一社会信用代码 (GB 32100-2015, docs/references.md "Identifiers"): 18 characters = 登记管理部门码(1) + 机构类别码(1)
 * + 行政区划(6) + 主体标识码(9, the 组织机构代码) + check(1), over an alphabet of 31 symbols
 * without I, O, S, V, Z; check = (31 − Σ vᵢ·wᵢ mod 31) mod 31 with wᵢ = 3ⁱ mod 31.
 */
export const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type UsccVerdict =
  | { ok: true; registrationAuthority: string; entityCategory: string; divisionCode: string; organizationCode: string }
  | { ok: false; reason: "format" | "check-digit"; message: string };

/** The check character for the first 17 characters (which must all be in the alphabet). */
export function usccCheckChar(first17: string): string {
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * USCC_ALPHABET.indexOf(first17[i]!), 0);
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

export function checkUscc(value: string): UsccVerdict {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(value)) {
    return {
      ok: false,
      reason: "format",
      message: `统一社会信用代码“${value}”格式不正确：应为 18 位，第 3–8 位为行政区划代码，不含 I、O、S、V、Z`,
    };
  }
  const expected = usccCheckChar(value.slice(0, 17));
  if (value[17] !== expected) {
    return {
      ok: false,
      reason: "check-digit",
      message: `统一社会信用代码“${value}”校验码错误（按 GB 32100 应为 ${expected}）`,
    };
  }
  return {
    ok: true,
    registrationAuthority: value[0]!,
    entityCategory: value[1]!,
    divisionCode: value.slice(2, 8),
    organizationCode: value.slice(8, 17),
  };
}
