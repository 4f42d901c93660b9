/** Oversight: compliance checks, the audit-event trail and the sealed directory. */
export { listAuditEvents } from "./audit.ts";
export { assessTransfer, checkDocuments, verifySealedUpload } from "./compliance.ts";
export {
  checkDirectoryCandidate,
  createDirectoryHolder,
  directoryOpener,
  verifierKeyProblems,
  type DirectoryHolder,
  type DirectoryLoad,
  type OpenDirectory,
} from "./directory.ts";
export { decodeSealMaker, sealMakerProblems, sealProfiles } from "./seal-makers.ts";
export {
  detectUpload,
  verifyUpload,
  type UploadKind,
  type UploadVerdict,
  type VerifiedUpload,
  type VerifyUploadDeps,
} from "./verify-upload.ts";
export {
  CRL_WARNING_HOURS,
  EXPIRY_WARNING_DAYS,
  expiryOf,
  readTrustOverview,
  secondsToCrlUpdate,
  type CertificateFacts,
  type CrlFacts,
  type DirectoryFacts,
  type Expiry,
  type TrustOverview,
} from "./trust-overview.ts";
