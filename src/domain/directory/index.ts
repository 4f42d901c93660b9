/** The directory (trust list) of issue 5 item 1: format, update rules and look-ups. Pure: no I/O, no clock. */
export {
  DEFAULT_DIRECTORY_SKEW_MS,
  DEFAULT_SEAL_FORMATS,
  DIRECTORY_FORMAT,
  DirectoryError,
  type AgencyListing,
  type CertificateListing,
  type CertificateRole,
  type CheckpointKeyListing,
  type CheckpointLogListing,
  type Directory,
  type DirectoryErrorCode,
  type DirectoryProblem,
  type SealVerdict,
  type SealFormatName,
  type SealedDirectory,
} from "./types.ts";
export { DIRECTORY_SCHEMA, validateDirectory, type DirectoryValidation } from "./schema.ts";
export {
  checkDirectoryUpdate,
  directoryStatus,
  isExpired,
  sameContent,
  timingError,
  type DirectoryChange,
  type DirectoryStatus,
  type DirectoryUpdate,
  type UpdateOptions,
} from "./rules.ts";
export {
  agencyEntry,
  isListedCertificate,
  listedAt,
  listedCertificates,
  pinnedCheckpointKeys,
  sealFormatsOf,
} from "./rules.ts";
