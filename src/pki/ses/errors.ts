/**
 * Errors of the GB/T 38540 seal code (issue 16), with closed codes: callers map them once (HTTP status,
 * CLI exit code), never by message text.
 * - SES_FORMAT: the bytes are not a v4 SESeal / SES_Signature this engine reads (the message says why);
 * - SES_KEY_MISMATCH: the maker's private key does not belong to the maker certificate;
 * - SES_SIGNER_NOT_HOLDER: the signer certificate is not in the seal's holder list (SES_CertList);
 * - SES_SEAL_INVALID: the seal's maker signature does not verify, or the seal is not valid at the signing time;
 * - SES_INPUT: making or signing was asked for something the standard does not allow (non-ASCII esID, an
 *   empty holder list, an empty validity window, attached content);
 * - SES_NOT_SIGNATURE: an electronic seal (SESeal) was given where a signature is expected (`jiexu verify`).
 */
export type SesErrorCode =
  | "SES_FORMAT"
  | "SES_KEY_MISMATCH"
  | "SES_SIGNER_NOT_HOLDER"
  | "SES_SEAL_INVALID"
  | "SES_INPUT"
  | "SES_NOT_SIGNATURE";

/**
 * Why bytes are SES_FORMAT (a closed set, for tests and callers; the message gives the detail):
 * - SES_NOT_SES: another structure (GM/T 0010 PKCS#7, a CMS ContentInfo);
 * - SES_UNSUPPORTED_VERSION: GM/T 0031-2014 (v1), GB/T 38540 v5, or a version number other than 4;
 * - SES_UNSUPPORTED_ALGORITHM: a signature algorithm other than SM3withSM2;
 * - SES_BAD_CERTIFICATE: a maker or signer certificate that does not read, or whose key is not a usable SM2 key;
 * - SES_MALFORMED: anything else that is not strict DER of the v4 structures (truncated, trailing, wrong tags).
 */
export type SesFormatReason =
  | "SES_NOT_SES"
  | "SES_UNSUPPORTED_VERSION"
  | "SES_UNSUPPORTED_ALGORITHM"
  | "SES_BAD_CERTIFICATE"
  | "SES_MALFORMED";

export class SesError extends Error {
  override name = "SesError";
  /** Set for SES_FORMAT. */
  readonly reason?: SesFormatReason;
  constructor(
    readonly code: SesErrorCode,
    message: string,
    options?: { cause?: unknown; reason?: SesFormatReason },
  ) {
    super(message, options);
    if (options?.reason) this.reason = options.reason;
    else if (code === "SES_FORMAT") this.reason = "SES_MALFORMED";
  }
}

/** The one signature algorithm GB/T 38540 seals use here: SM3withSM2 (GM/T 0006). */
export const SM3_WITH_SM2 = "1.2.156.10197.1.501";
/** GM/T 0010 PKCS#7 signedData: not an SES structure (some OFD SignedValue.dat files carry it). */
export const GMT0010_SIGNED_DATA = "1.2.156.10197.6.1.4.2.2";
