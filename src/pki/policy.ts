import canonicalize from "canonicalize";
import { createHash } from "node:crypto";
import type { HashAlgorithm } from "./oids.ts";

/**
 * A validation policy as data (the JSON twin of DSS's constraint.xml, reduced to what we enforce).
 * Its digest goes into every report so a verdict can be replayed under the same rules years later.
 */
export interface ValidationPolicy {
  name: string;
  /** "required": no usable revocation data → INDETERMINATE/TRY_LATER. "optional" is for offline development only. */
  revocation: "required" | "optional";
  acceptedDigests: HashAlgorithm[];
  minRsaBits: number;
  acceptedCurves: string[];
  /** End-entity keyUsage bits that a seal certificate must carry (x509 KeyUsageFlags). */
  requiredSignerKeyUsage: ("digitalSignature" | "nonRepudiation")[];
  /** Tolerated clock difference between a signing-time claim and the validation time. */
  maxClockSkewSeconds: number;
  /** Limits on hostile input: chain depth and candidate paths explored while building. */
  maxChainLength: number;
  maxCandidatePaths: number;
}

export const DEFAULT_POLICY: ValidationPolicy = Object.freeze({
  name: "jiexu-seal-2026",
  revocation: "required",
  // SM3 and the SM2 curve for GB/T 38540 seals (issue 16); the CAdES path takes SM3 with no key (verify-seal.ts).
  acceptedDigests: ["sha256", "sha384", "sha512", "sm3"],
  minRsaBits: 2048,
  acceptedCurves: ["prime256v1", "secp384r1", "secp521r1", "SM2"],
  requiredSignerKeyUsage: ["digitalSignature", "nonRepudiation"],
  maxClockSkewSeconds: 300,
  maxChainLength: 6,
  maxCandidatePaths: 32,
}) as ValidationPolicy;

/** Same rules, but missing revocation data is a warning: for offline development, never production. */
export const OFFLINE_DEV_POLICY: ValidationPolicy = Object.freeze({
  ...DEFAULT_POLICY,
  name: "jiexu-seal-2026-offline-dev",
  revocation: "optional",
}) as ValidationPolicy;

export function policyWith(overrides: Partial<ValidationPolicy>): ValidationPolicy {
  return { ...DEFAULT_POLICY, ...overrides };
}

const digests = new WeakMap<ValidationPolicy, string>();

/** SHA-256 of the policy's RFC 8785 canonical JSON. */
export function policyDigest(policy: ValidationPolicy): string {
  let d = digests.get(policy);
  if (!d) {
    d = createHash("sha256")
      .update(canonicalize(policy) ?? "")
      .digest("hex");
    digests.set(policy, d);
  }
  return d;
}
