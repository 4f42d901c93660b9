import canonicalize from "canonicalize";
import { timeOf, validateDirectory } from "./schema.ts";
import {
  DEFAULT_DIRECTORY_SKEW_MS,
  DEFAULT_SEAL_FORMATS,
  DirectoryError,
  type AgencyListing,
  type CertificateListing,
  type CertificateRole,
  type CheckpointKeyListing,
  type Directory,
  type SealFormatName,
} from "./types.ts";

/**
 * Whether a gateway may replace its current directory with a candidate (issue 5 item 1). Pure: the
 * time is an argument. A candidate must conform to the schema, must not have expired, must not be
 * issued in the future (beyond the clock skew) and must carry a higher sequence than the current one;
 * the same sequence with the same content is a harmless re-load ("unchanged"), anything else with a
 * sequence not above the current one is a replay or a rollback and is refused.
 */
export type DirectoryChange = "installed" | "replaced" | "unchanged";

export type DirectoryUpdate =
  | { ok: true; change: DirectoryChange; directory: Directory }
  | { ok: false; error: DirectoryError };

export interface UpdateOptions {
  /** Tolerated clock difference for issuedAt in the future; DEFAULT_DIRECTORY_SKEW_MS unless set. */
  skewMs?: number;
}

export function checkDirectoryUpdate(
  current: Directory | undefined,
  candidate: unknown,
  now: Date,
  options: UpdateOptions = {},
): DirectoryUpdate {
  const validation = validateDirectory(candidate);
  if (!validation.ok) {
    const first = validation.problems[0]!;
    const error = new DirectoryError(
      "DIRECTORY_SCHEMA",
      `directory does not conform: ${first.path || "/"} ${first.message}`,
      { problems: validation.problems },
    );
    return { ok: false, error };
  }
  const directory = validation.directory;
  const timing = timingError(directory, now, options.skewMs ?? DEFAULT_DIRECTORY_SKEW_MS);
  if (timing) return { ok: false, error: timing };
  if (!current) return { ok: true, change: "installed", directory };
  if (directory.sequence > current.sequence) return { ok: true, change: "replaced", directory };
  if (directory.sequence === current.sequence && sameContent(directory, current)) {
    return { ok: true, change: "unchanged", directory: current };
  }
  const why =
    directory.sequence === current.sequence
      ? "has the current sequence but different content"
      : "is older than the current one";
  const error = new DirectoryError(
    "DIRECTORY_SEQUENCE_STALE",
    `directory sequence ${directory.sequence} ${why} (${current.sequence})`,
  );
  return { ok: false, error };
}

/** DIRECTORY_EXPIRED when expiresAt ≤ now, DIRECTORY_NOT_YET_VALID when issuedAt > now + skew. */
export function timingError(
  directory: Directory,
  now: Date,
  skewMs = DEFAULT_DIRECTORY_SKEW_MS,
): DirectoryError | undefined {
  if (isExpired(directory, now)) {
    return new DirectoryError("DIRECTORY_EXPIRED", `directory ${directory.sequence} expired at ${directory.expiresAt}`);
  }
  if (timeOf(directory.issuedAt) > now.getTime() + skewMs) {
    return new DirectoryError(
      "DIRECTORY_NOT_YET_VALID",
      `directory ${directory.sequence} is issued in the future (${directory.issuedAt})`,
    );
  }
  return undefined;
}

export function isExpired(directory: Directory, now: Date): boolean {
  return timeOf(directory.expiresAt) <= now.getTime();
}

export type DirectoryStatus = "valid" | "expired" | "none";

export function directoryStatus(directory: Directory | undefined, now: Date): DirectoryStatus {
  if (!directory) return "none";
  return isExpired(directory, now) ? "expired" : "valid";
}

/** Same JSON content, compared on RFC 8785 canonical text (key order and number spelling do not matter). */
export function sameContent(a: Directory, b: Directory): boolean {
  return canonicalize(a) === canonicalize(b);
}

/**
 * Look-ups in a directory. They answer from the listing alone: whether the directory itself is still
 * valid is the caller's question (routing refuses an expired directory; receipt checks do not).
 */
export function agencyEntry(directory: Directory, agencyId: string): AgencyListing | undefined {
  return directory.agencies.find((a) => a.id === agencyId);
}

function listingsOf(agency: AgencyListing, role: CertificateRole): CertificateListing[] {
  return role === "seal" ? agency.sealCertificates : agency.receiptCertificates;
}

/** Whether `at` falls in the listed period [notBefore, notAfter] (both ends included). */
export function listedAt(listing: CertificateListing | CheckpointKeyListing, at: Date): boolean {
  const t = at.getTime();
  return timeOf(listing.notBefore) <= t && t <= timeOf(listing.notAfter);
}

/**
 * The certificates of one role that count for an agency at `at`. During a rollover overlap there are
 * several: the old one until its notAfter, the new one from its notBefore.
 */
export function listedCertificates(
  directory: Directory,
  agencyId: string,
  role: CertificateRole,
  at: Date,
): CertificateListing[] {
  const agency = agencyEntry(directory, agencyId);
  return agency ? listingsOf(agency, role).filter((c) => listedAt(c, at)) : [];
}

/** Whether the certificate with this SHA-256 (hex, any case) counts for the agency in that role at `at`. */
export function isListedCertificate(
  directory: Directory,
  agencyId: string,
  role: CertificateRole,
  sha256: string,
  at: Date,
): boolean {
  const wanted = sha256.toLowerCase();
  return listedCertificates(directory, agencyId, role, at).some((c) => c.sha256 === wanted);
}

/**
 * The checkpoint keys (C2SP vkeys) that count for a gateway's log `origin` at `at`, or undefined when no
 * agency lists that origin. During a key rollover overlap there are several; outside every listed
 * period none (an empty list: the origin is known, no key is pinned for it now).
 */
export function pinnedCheckpointKeys(directory: Directory, origin: string, at: Date): string[] | undefined {
  const log = directory.agencies.find((a) => a.checkpoint?.origin === origin)?.checkpoint;
  return log?.keys.filter((k) => listedAt(k, at)).map((k) => k.vkey);
}

/** The seal formats an agency's documents may come in: its listing's, or CAdES alone when it names none. */
export function sealFormatsOf(agency: AgencyListing): readonly SealFormatName[] {
  return agency.sealFormats ?? DEFAULT_SEAL_FORMATS;
}
