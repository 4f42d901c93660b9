import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import common from "../../../schemas/common.schema.json" with { type: "json" };
import directorySchema from "../../../schemas/directory.schema.json" with { type: "json" };
import type { AgencyListing, CertificateListing, Directory, DirectoryProblem } from "./types.ts";

/**
 * Validation of a directory: schemas/directory.schema.json (statically imported, no fs), then what a
 * schema cannot say — expiresAt after issuedAt, unique agency ids, certificate periods that make sense.
 */
export const DIRECTORY_SCHEMA = directorySchema;

let validator: ValidateFunction | undefined;

function validate(): ValidateFunction {
  if (validator) return validator;
  // An instance of its own: the directory is no transfer document and must not join the document registry.
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv, ["date-time"]);
  ajv.addSchema(common);
  validator = ajv.compile(directorySchema);
  return validator;
}

export type DirectoryValidation = { ok: true; directory: Directory } | { ok: false; problems: DirectoryProblem[] };

export function validateDirectory(value: unknown): DirectoryValidation {
  const check = validate();
  if (!check(value)) {
    const problems = (check.errors ?? []).map((e) => ({ path: e.instancePath, message: `${e.message ?? "invalid"} [${e.keyword}]` }));
    return { ok: false, problems };
  }
  const directory = value as Directory;
  const problems = [...periodProblems(directory), ...agencyProblems(directory.agencies)];
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
  });
  return problems;
}

function listingProblems(listings: CertificateListing[], path: string): DirectoryProblem[] {
  const problems: DirectoryProblem[] = [];
  const seen = new Set<string>();
  listings.forEach((c, i) => {
    const from = timeOf(c.notBefore);
    const to = timeOf(c.notAfter);
    if (Number.isNaN(from) || Number.isNaN(to)) problems.push({ path: `${path}/${i}`, message: "not a readable time" });
    else if (to <= from) problems.push({ path: `${path}/${i}/notAfter`, message: "notAfter must be after notBefore" });
    if (seen.has(c.sha256)) problems.push({ path: `${path}/${i}/sha256`, message: `certificate ${c.sha256} is listed twice` });
    seen.add(c.sha256);
  });
  return problems;
}
