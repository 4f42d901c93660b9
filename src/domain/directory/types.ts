import { CodedError } from "../errors.ts";

/**
 * The directory (trust list, issue 5 item 1; docs/directory.md): which agencies exist, where their
 * gateways are, and which seal and receipt certificates count for them when. It is sealed by the national
 * root operator and expires, like X-Road's global configuration
 * (docs/references.md "Lessons from eDelivery and X-Road"); keys roll over by overlap: a new certificate
 * is listed beside the old one and both count while both are in period.
 * The same holds for the gateways' checkpoint keys (issue 9 item 2). Wire format: schemas/directory.schema.json.
 */
export const DIRECTORY_FORMAT = 1;

export type CertificateRole = "seal" | "receipt";

/** One certificate by fingerprint, counted during [notBefore, notAfter] (RFC 3339 strings). */
export interface CertificateListing {
  /** SHA-256 of the certificate DER, lower-case hex. */
  sha256: string;
  notBefore: string;
  notAfter: string;
}

/** One checkpoint verifier key (C2SP vkey, Ed25519), counted during [notBefore, notAfter]. */
export interface CheckpointKeyListing {
  /** `<origin>+<hex key ID>+<base64(0x01 ‖ public key)>`: its name is the log's origin. */
  vkey: string;
  notBefore: string;
  notAfter: string;
}

/**
 * The archive log of an agency's gateway (issue 9 item 2): the origin line of its checkpoints and the
 * keys that sign them. Peers co-sign only checkpoints of a listed origin signed by a listed key; keys
 * roll over by overlap like certificates. Agencies hosted on one gateway list the same log.
 */
export interface CheckpointLogListing {
  origin: string;
  keys: CheckpointKeyListing[];
}

/**
 * The seal formats an agency seals its documents with (issue 16; docs/national-seal.md): CAdES-B-B, or
 * the national electronic seal of GB/T 38540-2020 (an SES_Signature). Both during a migration.
 */
export type SealFormatName = "cades" | "ses";

/** What an entry without `sealFormats` means: the gateway's format before issue 16. */
export const DEFAULT_SEAL_FORMATS: readonly SealFormatName[] = ["cades"];

export interface AgencyListing {
  id: string;
  name: string;
  /** Base URL of the agency's gateway (http or https). */
  gatewayUrl: string;
  sealCertificates: CertificateListing[];
  receiptCertificates: CertificateListing[];
  /** Formats its documents may be sealed in; absent: DEFAULT_SEAL_FORMATS. */
  sealFormats?: SealFormatName[];
  /**
   * Trust anchors (PEM or base64 DER) for the makers (制章者) of its SES seals; absent: the receiving
   * gateway's own trust anchors.
   */
  sealMakers?: string[];
  /** Absent: the gateway's checkpoints are witnessed by no peer. */
  checkpoint?: CheckpointLogListing;
}

export interface Directory {
  jiexuDirectory: typeof DIRECTORY_FORMAT;
  operator: string;
  /** Strictly increasing per publication; a gateway never goes back to a lower one. */
  sequence: number;
  issuedAt: string;
  expiresAt: string;
  agencies: AgencyListing[];
}

/** The sealed form: `seal` is base64 DER CAdES-B-B, detached, over the JCS bytes of `directory`. */
export interface SealedDirectory {
  directory: Directory;
  seal: string;
}

/** One finding of directory validation: a JSON pointer into the directory and a message. */
export interface DirectoryProblem {
  path: string;
  message: string;
}

export type DirectoryErrorCode =
  | "DIRECTORY_SCHEMA"
  | "DIRECTORY_SEAL_INVALID"
  | "DIRECTORY_EXPIRED"
  | "DIRECTORY_NOT_YET_VALID"
  | "DIRECTORY_SEQUENCE_STALE"
  /** No directory has been loaded yet: nothing can be routed. */
  | "DIRECTORY_MISSING"
  | "AGENCY_NOT_LISTED";

/** What the domain knows of a seal verification report (the pki's VerificationReport fits it). */
export interface SealVerdict {
  indication: string;
  subIndication?: string;
}

export class DirectoryError extends CodedError<DirectoryErrorCode> {
  readonly problems?: DirectoryProblem[];
  readonly report?: SealVerdict;

  constructor(
    code: DirectoryErrorCode,
    message: string,
    extra: { problems?: DirectoryProblem[]; report?: SealVerdict; cause?: unknown } = {},
  ) {
    super(code, message, extra.cause === undefined ? undefined : { cause: extra.cause });
    if (extra.problems) this.problems = extra.problems;
    if (extra.report) this.report = extra.report;
  }
}

/** Tolerated clock difference for `issuedAt` in the future (as the seal policy's maxClockSkewSeconds). */
export const DEFAULT_DIRECTORY_SKEW_MS = 5 * 60_000;
