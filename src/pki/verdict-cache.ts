import { sameBytes } from "../domain/bytes.ts";
import type { CertInfo } from "./certificate.ts";
import type { ChainVerdict } from "./chain.ts";
import type { ValidationPolicy } from "./policy.ts";
import { policyReference, signerSummary, type SignerSummary, type VerificationReport } from "./report.ts";
import type { RevocationStore, TrustStore } from "./trust.ts";

/**
 * Everything a chain verdict depends on: the inputs of chain validation, and so the key of a cached
 * verdict. A cached passing verdict answers for a later validation only when all of these match
 * (`sameInputs` and `answers` below are the one place that says how):
 * - `signer`: the same certificate object (certInfo returns one object per distinct DER);
 * - `trust`: the same trust store (its `id`: anchors and known intermediates never change under one id);
 * - `crls`: the same CRL set (its `generation`: a new set, even of the same CRLs, is a new generation);
 * - `policy`: the same policy object (an equal-looking copy is another policy: policies are built once);
 * - `at`: inside the verdict's validity window (certificate validity, the CRLs' nextUpdate either way,
 *   later revocation), so every check but the validity ones (remade at `at` by chain.ts) reads the same;
 * - `embedded`: the same certificates in the same order (byte for byte), since path building tries the
 *   seal's certificates in their order: a verdict never rests on a certificate only an earlier seal
 *   carried, nor hides a path another seal's certificates would give first.
 * So a cached answer is what validating afresh gives (test/pki/verify-seal-cached.test.ts compares them).
 */
export interface VerdictKey {
  signer: CertInfo;
  trust: TrustStore;
  crls: RevocationStore;
  policy: ValidationPolicy;
  at: Date;
  /** DER of the certificates the seal carries. */
  embedded: readonly Uint8Array[];
}

type PolicyRef = VerificationReport["policy"];

interface Entry {
  verdict: ChainVerdict;
  trustId: number;
  generation: number;
  policy: ValidationPolicy;
  embedded: readonly Uint8Array[];
}

/** Passing verdicts kept per signer: enough for the policies and CRL generations of one gateway. */
const ENTRIES_PER_SIGNER = 8;

/**
 * The verifier's memory: passing chain verdicts, and the report parts built from immutable inputs
 * (policy references, signer summaries). One instance per verifier (createSealVerifier), so what one
 * verifier learnt never answers for another; weakly keyed, so certificates and policies that leave
 * use take their entries with them. Only passing verdicts of the first candidate path are kept: a
 * failure is recomputed, since its cause (a missing CRL, a clock outside the window) may be gone by the
 * next verification, and so is a later path (an earlier one may pass at another time).
 */
export class VerdictCache {
  readonly #chains = new WeakMap<CertInfo, Entry[]>();
  readonly #policyRefs = new WeakMap<ValidationPolicy, PolicyRef>();
  readonly #summaries = new WeakMap<CertInfo, SignerSummary>();

  /** The cached verdict that answers for `key`, if any. */
  lookup(key: VerdictKey): ChainVerdict | undefined {
    const entries = this.#chains.get(key.signer);
    if (!entries) return undefined;
    for (const e of entries) if (sameInputs(e, key)) return answers(e, key) ? e.verdict : undefined;
    return undefined;
  }

  /** Keep `verdict`, computed for `key`, when it may answer later (passing, on the first candidate path). */
  keep(key: VerdictKey, verdict: ChainVerdict): void {
    if (!verdict.passed || !verdict.firstPath) return;
    const entries = this.#chains.get(key.signer) ?? [];
    const kept = entries.filter((e) => !sameInputs(e, key)).slice(-(ENTRIES_PER_SIGNER - 1));
    const { trust, crls, policy, embedded } = key;
    const entry = { verdict, trustId: trust.id, generation: crls.generation, policy, embedded };
    this.#chains.set(key.signer, [...kept, entry]);
  }

  /** The report's reference to `policy`, built once per policy object. */
  policyRef(policy: ValidationPolicy): PolicyRef {
    let ref = this.#policyRefs.get(policy);
    if (!ref) this.#policyRefs.set(policy, (ref = policyReference(policy)));
    return ref;
  }

  /** The report's summary of a signer certificate, built once per certificate. */
  signerSummary(cert: CertInfo): SignerSummary {
    let summary = this.#summaries.get(cert);
    if (!summary) this.#summaries.set(cert, (summary = signerSummary(cert)));
    return summary;
  }
}

function sameInputs(e: Entry, key: VerdictKey): boolean {
  return e.trustId === key.trust.id && e.generation === key.crls.generation && e.policy === key.policy;
}

/** The rest of the key: the validation time inside the window, and the same certificates in the seal. */
function answers(e: Entry, key: VerdictKey): boolean {
  const t = key.at.getTime();
  const inWindow = t >= e.verdict.validFrom && t <= e.verdict.validUntil;
  return inWindow && sameCertificates(e.embedded, key.embedded);
}

function sameCertificates(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameBytes(a[i]!, b[i]!)) return false;
  return true;
}
