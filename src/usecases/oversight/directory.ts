import {
  DirectoryError,
  agencyEntry,
  checkDirectoryUpdate,
  directoryStatus,
  isExpired,
  isListedCertificate,
  listedCertificates,
  pinnedCheckpointKeys,
  type AgencyListing,
  type Directory,
  type DirectoryChange,
  type DirectoryProblem,
  type DirectoryStatus,
  type DirectoryUpdate,
  type UpdateOptions,
} from "../../domain/directory/index.ts";
import {
  openSealedDirectory,
  parseVerifierKey,
  type RevocationStore,
  type TrustStore,
  type ValidationPolicy,
} from "../../pki/index.ts";
import type { SealProfile } from "../ports.ts";
import { sealMakerProblems, sealProfiles } from "./seal-makers.ts";

/**
 * The gateway's directory (issue 5 item 1): it keeps the last good directory and swaps in a refreshed
 * one only when its seal verifies and the update rules accept it, so a failed or hostile refresh never
 * leaves the gateway without a trust list (X-Road's lesson, docs/references.md "Lessons from eDelivery and X-Road").
 * Sending needs a directory that has not expired; checking receipts and seals uses the last good listing
 * even after expiry, so proof of delivery stays verifiable while the operator is late with a new one.
 * No I/O: callers read the file or URL and hand over the bytes.
 */

/** Verify a sealed directory's seal at `at` and return its (unchecked) directory; throws DirectoryError. */
export type OpenDirectory = (bytes: Uint8Array, at: Date) => { directory: unknown };

export interface DirectoryHolderOptions {
  open: OpenDirectory;
  /** Tolerated clock skew for issuedAt in the future (domain default otherwise). */
  skewMs?: number;
}

export type DirectoryLoad =
  | { ok: true; change: DirectoryChange; directory: Directory }
  | { ok: false; error: DirectoryError; kept: Directory | undefined };

export interface DirectoryHolder {
  /** Verify and check a candidate; install it if acceptable, otherwise keep the current one. Never throws. */
  load(bytes: Uint8Array, now: Date): DirectoryLoad;
  current(): Directory | undefined;
  status(now: Date): DirectoryStatus;
  /** Why the last load was refused, cleared by the next accepted one. */
  lastRefusal(): DirectoryError | undefined;
  agency(agencyId: string): AgencyListing | undefined;
  /** Gateway URL to send to; throws DirectoryError DIRECTORY_MISSING, DIRECTORY_EXPIRED or AGENCY_NOT_LISTED. */
  routeFor(agencyId: string, now: Date): string;
  /** SHA-256 fingerprints of the agency's receipt certificates listed at `now` (last good directory, even if expired). */
  receiptCertificates(agencyId: string, now: Date): string[];
  isListedReceiptCertificate(agencyId: string, sha256: string, at: Date): boolean;
  isListedSealCertificate(agencyId: string, sha256: string, at: Date): boolean;
  /** The formats and seal makers listed for the agency (last good directory); undefined when it is not listed. */
  sealProfile(agencyId: string): SealProfile | undefined;
  /**
   * The checkpoint keys pinned for a gateway log's origin at `at` (issue 9 item 2), from the last good
   * directory; undefined when no agency lists that origin (or no directory is loaded).
   */
  pinnedCheckpointKeys(origin: string, at: Date): string[] | undefined;
}

export function createDirectoryHolder(options: DirectoryHolderOptions): DirectoryHolder {
  let directory: Directory | undefined;
  let refusal: DirectoryError | undefined;
  let profiles = new Map<string, SealProfile>();
  const updateOptions = options.skewMs === undefined ? {} : { skewMs: options.skewMs };

  const refuse = (error: DirectoryError): DirectoryLoad => {
    refusal = error;
    return { ok: false, error, kept: directory };
  };

  return {
    load(bytes, now) {
      let candidate: unknown;
      try {
        candidate = options.open(bytes, now).directory;
      } catch (err) {
        if (err instanceof DirectoryError) return refuse(err);
        return refuse(
          new DirectoryError("DIRECTORY_SEAL_INVALID", `directory could not be opened: ${(err as Error).message}`, {
            cause: err,
          }),
        );
      }
      const update = checkDirectoryCandidate(directory, candidate, now, updateOptions);
      if (!update.ok) return refuse(update.error);
      if (update.directory !== directory) profiles = sealProfiles(update.directory);
      directory = update.directory;
      refusal = undefined;
      return update;
    },
    current: () => directory,
    status: (now) => directoryStatus(directory, now),
    lastRefusal: () => refusal,
    agency: (agencyId) => (directory ? agencyEntry(directory, agencyId) : undefined),
    routeFor(agencyId, now) {
      if (!directory) throw new DirectoryError("DIRECTORY_MISSING", "no directory is loaded: no agency can be reached");
      if (isExpired(directory, now)) {
        throw new DirectoryError(
          "DIRECTORY_EXPIRED",
          `directory ${directory.sequence} expired at ${directory.expiresAt}: sending is suspended until a new one is loaded`,
        );
      }
      const entry = agencyEntry(directory, agencyId);
      if (!entry)
        throw new DirectoryError(
          "AGENCY_NOT_LISTED",
          `agency ${agencyId} is not listed in directory ${directory.sequence}`,
        );
      return entry.gatewayUrl;
    },
    receiptCertificates: (agencyId, now) =>
      directory ? listedCertificates(directory, agencyId, "receipt", now).map((c) => c.sha256) : [],
    isListedReceiptCertificate: (agencyId, sha256, at) =>
      directory ? isListedCertificate(directory, agencyId, "receipt", sha256, at) : false,
    isListedSealCertificate: (agencyId, sha256, at) =>
      directory ? isListedCertificate(directory, agencyId, "seal", sha256, at) : false,
    sealProfile: (agencyId) => profiles.get(agencyId),
    pinnedCheckpointKeys: (origin, at) => (directory ? pinnedCheckpointKeys(directory, origin, at) : undefined),
  };
}

/**
 * Whether a verified candidate may replace `current` (undefined: none loaded): the domain's update rules
 * (schema, expiry, issue time, sequence), then the listed checkpoint keys and seal makers. The one check the holder and
 * `jiexu directory verify` both apply.
 */
export function checkDirectoryCandidate(
  current: Directory | undefined,
  candidate: unknown,
  now: Date,
  options: UpdateOptions = {},
): DirectoryUpdate {
  const update = checkDirectoryUpdate(current, candidate, now, options);
  if (!update.ok) return update;
  const badKeys = [...verifierKeyProblems(update.directory), ...sealMakerProblems(update.directory)];
  if (!badKeys.length) return update;
  const error = new DirectoryError(
    "DIRECTORY_SCHEMA",
    `directory does not conform: ${badKeys[0]!.path} ${badKeys[0]!.message}`,
    { problems: badKeys },
  );
  return { ok: false, error };
}

/**
 * What the schema's pattern cannot check of a listed checkpoint key: that its key ID is the one its name
 * and public key give (c2sp.org/signed-note). A key that cannot be parsed could never verify a note.
 */
export function verifierKeyProblems(directory: Directory): DirectoryProblem[] {
  return directory.agencies.flatMap((a, i) =>
    (a.checkpoint?.keys ?? []).flatMap((k, j) => {
      try {
        parseVerifierKey(k.vkey);
        return [];
      } catch (err) {
        return [
          {
            path: `/agencies/${i}/checkpoint/keys/${j}/vkey`,
            message: `not a usable verifier key: ${(err as Error).message}`,
          },
        ];
      }
    }),
  );
}

export interface DirectoryTrust {
  trust: TrustStore;
  /** Current CRLs, asked on every load (they are refreshed independently of the directory). */
  crls: () => RevocationStore;
  policy?: ValidationPolicy;
}

/** The production OpenDirectory: the seal must be TOTAL_PASSED and made by a directory operator. */
export function directoryOpener(trust: DirectoryTrust): OpenDirectory {
  return (bytes, at) =>
    openSealedDirectory(bytes, {
      trust: trust.trust,
      crls: trust.crls(),
      at,
      ...(trust.policy ? { policy: trust.policy } : {}),
    });
}
