/**
 * Independent check-digit reference implementations, written from docs/references.md "Identifiers" rather than
 * imported, so tests can mint valid identifiers without trusting the code under test (and without real
 * people's numbers).
 */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** An 18-digit 公民身份号码 with its MOD 11-2 check character appended. */
export function mintIdNumber(first17: string): string {
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return first17 + "10X98765432"[sum % 11];
}

/** The same first 17 digits with a check character that is certainly wrong. */
export function withWrongCheck(valid: string): string {
  return valid.slice(0, 17) + (valid[17] === "0" ? "1" : "0");
}

const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** An 18-character 统一社会信用代码 with its MOD 31 check character appended. */
export function mintUscc(first17: string): string {
  const sum = USCC_WEIGHTS.reduce((acc, w, i) => acc + w * USCC_ALPHABET.indexOf(first17[i]!), 0);
  return first17 + USCC_ALPHABET[(31 - (sum % 31)) % 31];
}
