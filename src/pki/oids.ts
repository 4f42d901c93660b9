/** Object identifiers used by CMS (RFC 5652), ESS (RFC 5035), PKIX (RFC 5280) and the algorithms we accept. */
export const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificate: "1.2.840.113549.1.9.16.2.12",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  sha1: "1.3.14.3.2.26",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3",
  md5: "1.2.840.113549.2.5",
  rsaEncryption: "1.2.840.113549.1.1.1",
  rsaPss: "1.2.840.113549.1.1.10",
  mgf1: "1.2.840.113549.1.1.8",
  sha1WithRsa: "1.2.840.113549.1.1.5",
  sha256WithRsa: "1.2.840.113549.1.1.11",
  sha384WithRsa: "1.2.840.113549.1.1.12",
  sha512WithRsa: "1.2.840.113549.1.1.13",
  ecPublicKey: "1.2.840.10045.2.1",
  ecdsaWithSha1: "1.2.840.10045.4.1",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  ecdsaWithSha384: "1.2.840.10045.4.3.3",
  ecdsaWithSha512: "1.2.840.10045.4.3.4",
  ed25519: "1.3.101.112",
  // GB/T 32918 / GM/T 0006: the SM2 curve (id-ecPublicKey parameters), SM3, SM3withSM2 (issue 16).
  sm2Curve: "1.2.156.10197.1.301",
  sm3: "1.2.156.10197.1.401",
  sm3WithSm2: "1.2.156.10197.1.501",
} as const;

export type HashAlgorithm = "sha1" | "sha256" | "sha384" | "sha512" | "md5" | "sm3";

const hashByOid: Record<string, HashAlgorithm> = {
  [OID.sha1]: "sha1",
  [OID.sha256]: "sha256",
  [OID.sha384]: "sha384",
  [OID.sha512]: "sha512",
  [OID.md5]: "md5",
  [OID.sm3]: "sm3",
};

export const oidByHash: Record<HashAlgorithm, string> = {
  sha1: OID.sha1,
  sha256: OID.sha256,
  sha384: OID.sha384,
  sha512: OID.sha512,
  md5: OID.md5,
  sm3: OID.sm3,
};

export function hashFromOid(oid: string): HashAlgorithm | undefined {
  return hashByOid[oid];
}

/** The hash a signature algorithm OID names, when it names one (ecdsa-with-SHA256 → sha256). */
const hashOfSignatureOid: Record<string, HashAlgorithm> = {
  [OID.sha1WithRsa]: "sha1",
  [OID.sha256WithRsa]: "sha256",
  [OID.sha384WithRsa]: "sha384",
  [OID.sha512WithRsa]: "sha512",
  [OID.ecdsaWithSha1]: "sha1",
  [OID.ecdsaWithSha256]: "sha256",
  [OID.ecdsaWithSha384]: "sha384",
  [OID.ecdsaWithSha512]: "sha512",
  [OID.sm3WithSm2]: "sm3",
};

export function hashOfSignatureAlgorithm(oid: string): HashAlgorithm | undefined {
  return hashOfSignatureOid[oid];
}

export type SignatureScheme = "ecdsa" | "rsa-pkcs1" | "rsa-pss" | "ed25519" | "sm2";

export function schemeOfSignatureAlgorithm(oid: string): SignatureScheme | undefined {
  if (oid === OID.rsaPss) return "rsa-pss";
  if (oid === OID.rsaEncryption || oid.startsWith("1.2.840.113549.1.1.")) return "rsa-pkcs1";
  if (oid === OID.ecPublicKey || oid.startsWith("1.2.840.10045.4.")) return "ecdsa";
  if (oid === OID.ed25519) return "ed25519";
  if (oid === OID.sm3WithSm2) return "sm2";
  return undefined;
}
