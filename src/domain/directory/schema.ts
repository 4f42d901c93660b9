import type { ValidateFunction } from "ajv/dist/2020.js";
import canonicalize from "canonicalize";
import { DIRECTORY_SCHEMA } from "./schema-file.ts";
import type { AgencyListing, CertificateListing, CheckpointKeyListing, Directory, DirectoryProblem } from "./types.ts";
import { validators } from "./validator.generated.ts";

/**
 * Validation of a directory: schemas/directory.schema.json (its validator precompiled by
 * scripts/build-validators.ts: workerd compiles no code at run time), then what a schema cannot say —
 * expiresAt after issuedAt, unique agency ids, certificate and key periods that make sense, checkpoint
 * keys named after their origin, and one log per origin (one gateway, one listing).
 */
export { DIRECTORY_SCHEMA };

const validate = (): ValidateFunction => validators.directory as unknown as ValidateFunction;

export type DirectoryValidation = { ok: true; directory: Directory } | { ok: false; problems: DirectoryProblem[] };

export function validateDirectory(value: unknown): DirectoryValidation {
  const check = validate();
  if (!check(value)) {
    const problems = (check.errors ?? []).map((e) => ({
      path: e.instancePath,
      message: `${e.message ?? "invalid"} [${e.keyword}]`,
    }));
    return { ok: false, problems };
  }
  const directory = value as Directory;
  const problems = [
    ...periodProblems(directory),
    ...agencyProblems(directory.agencies),
    ...originProblems(directory.agencies),
  ];
  return problems.length ? { ok: false, problems } : { ok: true, directory };
}

/** Milliseconds since the epoch of an RFC 3339 time, NaN when Date cannot read it (e.g. a leap second). */
export function timeOf(rfc3339: string): number {
  return Date.parse(rfc3339);
}

function periodProblems(d: Directory): DirectoryProblem[] {
  const issued = timeOf(d.issuedAt);
  const expires = timeOf(d.expiresAt);
  if (Number.isNaN(issued)) return [{ path: "/issuedAt", message: "not a readable time" }];
  if (Number.isNaN(expires)) return [{ path: "/expiresAt", message: "not a readable time" }];
  return expires > issued ? [] : [{ path: "/expiresAt", message: "expiresAt must be after issuedAt" }];
}

function agencyProblems(agencies: AgencyListing[]): DirectoryProblem[] {
  const problems: DirectoryProblem[] = [];
  const seen = new Set<string>();
  agencies.forEach((a, i) => {
    if (seen.has(a.id)) problems.push({ path: `/agencies/${i}/id`, message: `agency ${a.id} is listed twice` });
    seen.add(a.id);
    problems.push(...listingProblems(a.sealCertificates, `/agencies/${i}/sealCertificates`));
    problems.push(...listingProblems(a.receiptCertificates, `/agencies/${i}/receiptCertificates`));
    if (a.checkpoint)
      problems.push(...checkpointKeyProblems(a.checkpoint.origin, a.checkpoint.keys, `/agencies/${i}/checkpoint/keys`));
  });
  return problems;
}

/** Periods of certificates (by sha256) or checkpoint keys (by vkey): readable, forwards, each listed once. */
function listingProblems(listings: (CertificateListing | CheckpointKeyListing)[], path: string): DirectoryProblem[] {
  const problems: DirectoryProblem[] = [];
  const seen = new Set<string>();
  listings.forEach((c, i) => {
    const from = timeOf(c.notBefore);
    const to = timeOf(c.notAfter);
    if (Number.isNaN(from) || Number.isNaN(to)) problems.push({ path: `${path}/${i}`, message: "not a readable time" });
    else if (to <= from) problems.push({ path: `${path}/${i}/notAfter`, message: "notAfter must be after notBefore" });
    const [field, id] = "sha256" in c ? ["sha256", c.sha256] : ["vkey", c.vkey];
    if (seen.has(id))
      problems.push({
        path: `${path}/${i}/${field}`,
        message: `${field === "sha256" ? "certificate" : "key"} ${id} is listed twice`,
      });
    seen.add(id);
  });
  return problems;
}

/** A C2SP key signs under its name: a checkpoint key must carry the origin it is listed for. */
function checkpointKeyProblems(origin: string, keys: CheckpointKeyListing[], path: string): DirectoryProblem[] {
  const misnamed = keys.flatMap((k, i) =>
    k.vkey.slice(0, k.vkey.indexOf("+")) === origin
      ? []
      : [{ path: `${path}/${i}/vkey`, message: `the key is not named after the origin ${origin}` }],
  );
  return [...misnamed, ...listingProblems(keys, path)];
}

/**
 * One origin is one gateway's log: agencies naming the same origin must share the gateway URL and list
 * the same keys, or one gateway could claim (and co-sign as) another's log.
 */
function originProblems(agencies: AgencyListing[]): DirectoryProblem[] {
  const first = new Map<string, AgencyListing>();
  const problems: DirectoryProblem[] = [];
  for (const [i, a] of agencies.entries()) {
    if (!a.checkpoint) continue;
    const earlier = first.get(a.checkpoint.origin);
    if (!earlier) {
      first.set(a.checkpoint.origin, a);
      continue;
    }
    if (earlier.gatewayUrl !== a.gatewayUrl || canonicalize(earlier.checkpoint) !== canonicalize(a.checkpoint)) {
      problems.push({
        path: `/agencies/${i}/checkpoint`,
        message: `origin ${a.checkpoint.origin} is listed for agency ${earlier.id} with another gateway or other keys`,
      });
    }
  }
  return problems;
}
