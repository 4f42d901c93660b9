import { readFileSync } from "node:fs";
import {
  DEFAULT_POLICY,
  OFFLINE_DEV_POLICY,
  createRevocationStore,
  createTrustStore,
  decodeCrlFile,
  loadCertificates,
  type RevocationStore,
  type TrustStore,
  type ValidationPolicy,
} from "../../pki/index.ts";
import { UsageError } from "../io.ts";

/** What `verify` and `ses verify-seal` read from --trust, --maker-trust, --chain, --crl, --at and --revocation. */
export interface VerifyInputs {
  trust: TrustStore;
  /**
   * Seal-maker (制章者) anchors for GB/T 38540 seals (--maker-trust). Absent when not given: the verifier then
   * takes a maker under --trust only with SAN urn:jiexu:seal-maker (a plain --trust certificate is no maker).
   */
  makerTrust?: TrustStore;
  crls: RevocationStore;
  at: Date;
  policy: ValidationPolicy;
}

export interface VerifyValues {
  trust?: string[];
  "maker-trust"?: string[];
  chain?: string[];
  crl?: string[];
  at?: string;
  revocation?: string;
}

/**
 * Trust stores, CRLs, validation time and policy from the command line. --chain certificates are
 * intermediates, not anchors: an SES signature carries the signer's certificate alone, so the issuing CA
 * between it and the root comes from here.
 */
export function verifyInputs(values: VerifyValues): VerifyInputs {
  if (values.revocation && values.revocation !== "required" && values.revocation !== "optional")
    throw new UsageError("--revocation is required or optional");
  const at = values.at ? new Date(values.at) : new Date();
  if (Number.isNaN(at.getTime())) throw new UsageError(`--at is not an ISO date: ${values.at}`);
  const certs = (files: string[] | undefined) => (files ?? []).flatMap((f) => loadCertificates(readFileSync(f)));
  const intermediates = certs(values.chain);
  const trust = createTrustStore(certs(values.trust), intermediates);
  const makerAnchors = certs(values["maker-trust"]);
  return {
    trust,
    ...(makerAnchors.length ? { makerTrust: createTrustStore(makerAnchors, intermediates) } : {}),
    crls: createRevocationStore((values.crl ?? []).flatMap((f) => decodeCrlFile(readFileSync(f)))),
    at,
    policy: values.revocation === "optional" ? OFFLINE_DEV_POLICY : DEFAULT_POLICY,
  };
}
