/**
 * The seal engine's surface: what the layers above (usecases, storage, http, cli, runtime) may use.
 * They import pki through this file only (test/architecture.test.ts); everything not listed here (the
 * DER walker, CMS parsing internals, chain building, the verdict cache) is the engine's own business.
 */

// Seal verification: the verifier a gateway keeps, the one-shot verifySeal, policies and reports.
export { createSealVerifier, type SealPurpose, type SealVerifierOptions } from "./seal-verifier.ts";
export { verifySeal, type VerifyOptions } from "./verify-seal.ts";
export { DEFAULT_POLICY, OFFLINE_DEV_POLICY, policyWith, type ValidationPolicy } from "./policy.ts";
export type { Check, CheckStatus, Indication, SignerSummary, SubIndication, VerificationReport } from "./report.ts";
export { createRevocationStore, createTrustStore, type RevocationStore, type TrustStore } from "./trust.ts";

// GB/T 38540-2020 electronic seals (SESeal) and SES signatures (issue 16).
export { makeSeal, readSeal, type MakeSealInput, type SesPicture } from "./ses/make-seal.ts";
export { verifySes, verifySesSeal } from "./ses/verify.ts";
export { SEAL_MAKER_URI } from "./ses/maker-checks.ts";
export { detectSealFormat, type SealFormat } from "./ses/detect.ts";
export { SesError, type SesErrorCode, type SesFormatReason } from "./ses/errors.ts";
export type { SealSummary } from "./ses/summary.ts";

// Sealing, and the keys and certificates it takes.
export { SealKeyError, createSealer, type SealKey, type Sealer } from "./seal.ts";
export { KeyError, loadCertificates, loadPrivateKey, type KeyErrorCode, type LoadedKey } from "./keys.ts";
export { exportPkcs12, importPkcs12, type Pkcs12Bundle, type Pkcs12ExportInput } from "./pkcs12.ts";

// Reading what seals and certificates carry (evidence packs, directories).
export { certInfo, sha256Hex, type CertInfo } from "./certificate.ts";
export { parseSignedData, type ParsedSignedData } from "./cms-parse.ts";
export { parseCrl, type ParsedCrl } from "./crl.ts";
export { base64ToBytes, bytesToBase64, decodeCrlFile, decodeSealFile } from "./seal-file.ts";

// The directory (trust list), sealed by the national root operator.
export {
  DIRECTORY_OPERATOR_URI,
  openSealedDirectory,
  sealDirectory,
  type OpenDirectoryOptions,
  type OpenedDirectory,
} from "./directory-seal.ts";

// The archive log's signed notes (Ed25519) and its RFC 6962 hasher.
export {
  exportNoteKeyPem,
  formatVerifierKey,
  generateNoteKey,
  loadNoteKeyPem,
  parseVerifierKey,
  signNote,
  verifyNote,
  type NoteKey,
} from "./note-signer.ts";
export { rfc6962Hasher } from "./merkle-hasher.ts";

// Certificate and CRL issuing, for the development PKI and its CRL renewal.
export {
  CrlReason,
  KeyUsage,
  exportPkcs8Pem,
  generateKeyPair,
  issueCertificate,
  issueCrl,
  toPem,
  webCryptoParams,
  x509,
  type CertificateProfile,
  type Issuer,
  type KeyAlgorithm,
} from "./issue.ts";
// SM2 (GB/T 32918) keys, certificates and CRLs signed SM3withSM2, for the SM2 development PKI (issue 16).
export { issueSm2Certificate, issueSm2Crl, type Sm2CertificateProfile, type Sm2Issuer } from "./sm2-issue.ts";
export {
  encodeSm2Pkcs8,
  generateSm2Key,
  readSm2PrivateKey,
  type Sm2PrivateKey,
  type Sm2PublicKey,
} from "./sm2.ts";
