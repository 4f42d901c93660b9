import canonicalize from "canonicalize";
import { DirectoryError, validateDirectory, type Directory } from "../domain/directory/index.ts";
import { certInfo, type CertInfo } from "./certificate.ts";
import { parseSignedData } from "./cms-parse.ts";
import { DIRECTORY_OPERATOR_URI } from "./issue.ts";
import type { ValidationPolicy } from "./policy.ts";
import type { VerificationReport } from "./report.ts";
import { createSealer, type SealKey } from "./seal.ts";
import { base64ToBytes, bytesToBase64 } from "./seal-file.ts";
import type { RevocationStore, TrustStore } from "./trust.ts";
import { detectSealFormat } from "./ses/detect.ts";
import { verifySeal } from "./verify-seal.ts";

/**
 * Sealing and opening the directory (issue 5 item 1). The sealed form is `{"directory":…,"seal":"…"}`
 * where `seal` is a detached CAdES-B-B over the RFC 8785 bytes of `directory`, made with the national
 * root operator's key: a certificate that chains to the trust anchors and carries the SAN URI
 * `urn:jiexu:directory-operator`. An agency seal, however valid, never makes a directory.
 */
export { DIRECTORY_OPERATOR_URI };

export interface OpenDirectoryOptions {
  trust: TrustStore;
  crls?: RevocationStore;
  /** Validation time of the seal: the operator certificate must be valid and unrevoked then. */
  at: Date;
  policy?: ValidationPolicy;
}

export interface OpenedDirectory {
  directory: Directory;
  report: VerificationReport;
}

/** JCS (RFC 8785) UTF-8 bytes of the directory: what the seal covers. */
export function directoryBytes(directory: Directory): Uint8Array {
  return new TextEncoder().encode(canonicalize(directory)!);
}

/**
 * Seal a directory; returns the sealed JSON text (always the same bytes for the same directory and seal).
 * Refuses a directory that does not conform (DIRECTORY_SCHEMA) and a key whose certificate is not the
 * directory operator's (DIRECTORY_SEAL_INVALID): what could not be opened should not be published.
 */
export function sealDirectory(directory: Directory, sealKey: SealKey, at: Date): string {
  const validation = validateDirectory(directory);
  if (!validation.ok) {
    throw new DirectoryError(
      "DIRECTORY_SCHEMA",
      `directory does not conform: ${validation.problems[0]!.path} ${validation.problems[0]!.message}`,
      { problems: validation.problems },
    );
  }
  if (!certInfo(sealKey.certificate).uris.includes(DIRECTORY_OPERATOR_URI)) {
    throw new DirectoryError(
      "DIRECTORY_SEAL_INVALID",
      `the sealing certificate does not carry ${DIRECTORY_OPERATOR_URI}`,
    );
  }
  const content = directoryBytes(directory);
  const seal = createSealer(sealKey).seal(content, at);
  return `{"directory":${new TextDecoder().decode(content)},"seal":"${bytesToBase64(seal)}"}`;
}

/**
 * Read a sealed directory and verify its seal. Refuses (DirectoryError) unreadable input or a directory
 * that does not conform (DIRECTORY_SCHEMA), and any seal that is not TOTAL_PASSED or not made with a
 * directory-operator certificate (DIRECTORY_SEAL_INVALID, with the report). Update rules (expiry,
 * sequence) are the caller's: see checkDirectoryUpdate.
 */
export function openSealedDirectory(bytes: Uint8Array | string, options: OpenDirectoryOptions): OpenedDirectory {
  const { directory, seal } = readSealed(bytes);
  const cms = decodeBase64(seal);
  // The directory is sealed CAdES only (docs/national-seal.md): the operator certificate is found in the CMS.
  if (detectSealFormat(cms) !== "cades")
    throw new DirectoryError("DIRECTORY_SEAL_INVALID", "the directory seal is not a CAdES seal");
  const report = verifySeal(directoryBytes(directory as Directory), cms, {
    trust: options.trust,
    at: options.at,
    ...(options.crls ? { crls: options.crls } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
  });
  if (report.indication !== "TOTAL_PASSED") {
    throw new DirectoryError(
      "DIRECTORY_SEAL_INVALID",
      `directory seal is ${report.indication}${report.subIndication ? `/${report.subIndication}` : ""}`,
      { report },
    );
  }
  const signer = signerCertificate(cms, options.trust, report.signer?.certificateSha256);
  if (!signer?.uris.includes(DIRECTORY_OPERATOR_URI)) {
    const who = report.signer ? `${report.signer.subject}` : "an unknown signer";
    throw new DirectoryError(
      "DIRECTORY_SEAL_INVALID",
      `directory is sealed by ${who}, not by a directory operator (${DIRECTORY_OPERATOR_URI})`,
      { report },
    );
  }
  const validation = validateDirectory(directory);
  if (!validation.ok) {
    throw new DirectoryError(
      "DIRECTORY_SCHEMA",
      `sealed directory does not conform: ${validation.problems[0]!.path} ${validation.problems[0]!.message}`,
      { problems: validation.problems, report },
    );
  }
  return { directory: validation.directory, report };
}

function readSealed(bytes: Uint8Array | string): { directory: unknown; seal: string } {
  let value: unknown;
  try {
    value = JSON.parse(typeof bytes === "string" ? bytes : new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new DirectoryError("DIRECTORY_SCHEMA", `sealed directory is not JSON: ${(cause as Error).message}`, {
      cause,
    });
  }
  const v = value as { directory?: unknown; seal?: unknown };
  const keys = typeof value === "object" && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
  if (keys.length !== 2 || typeof v.directory !== "object" || v.directory === null || typeof v.seal !== "string") {
    throw new DirectoryError(
      "DIRECTORY_SCHEMA",
      'a sealed directory is an object { "directory": {…}, "seal": "<base64>" }',
    );
  }
  return { directory: v.directory, seal: v.seal };
}

function decodeBase64(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw new DirectoryError("DIRECTORY_SEAL_INVALID", "the seal is not base64");
  }
  return base64ToBytes(text);
}

/** The signer's certificate, found by the fingerprint the report names, among the embedded and trusted ones. */
function signerCertificate(cms: Uint8Array, trust: TrustStore, sha256: string | undefined): CertInfo | undefined {
  if (!sha256) return undefined;
  const anchor = trust.anchors.get(sha256);
  if (anchor) return anchor;
  for (const der of parseSignedData(cms).certificates) {
    const info = tryCertInfo(der);
    if (info?.sha256 === sha256) return info;
  }
  return [...trust.bySubject.values()].flat().find((c) => c.sha256 === sha256);
}

function tryCertInfo(der: Uint8Array): CertInfo | undefined {
  try {
    return certInfo(der);
  } catch {
    return undefined; // an extra embedded certificate that does not parse is not the signer's
  }
}
