import { certInfo } from "./certificate.ts";
import { DEFAULT_POLICY, policyWith, type ValidationPolicy } from "./policy.ts";
import type { VerificationReport } from "./report.ts";
import { createTrustStore, type RevocationStore, type TrustStore } from "./trust.ts";
import { isSesShaped } from "./ses/detect.ts";
import { parseSesSignature } from "./ses/parse.ts";
import { VerdictCache } from "./verdict-cache.ts";
import { verifySeal } from "./verify-seal.ts";

export type SealPurpose = "seal" | "receipt";

export interface SealVerifierOptions {
  trust: TrustStore;
  crls: () => RevocationStore;
  policy?: ValidationPolicy;
  /** GB/T 38540 seal-maker (制章者) anchors for SES signatures; absent: `trust` with SAN urn:jiexu:seal-maker. */
  makerTrust?: TrustStore;
  /**
   * The seal-maker anchors listed for the agencies an SES signer certificate binds (its urn:jiexu:agency: SANs),
   * used when the caller passes no `makers`: every path that verifies an agency's seal (exchange, /v1/verify,
   * print, audit, evidence) then applies the same listing, and none can forget it. Undefined: the rule above.
   */
  makersFor?: (agencyIds: readonly string[]) => readonly Uint8Array[] | undefined;
}

/**
 * The gateway's verifier: agency seals under the configured policy; gateway receipts under the same
 * policy except for keyUsage, since receipt certificates carry digitalSignature only (they attest
 * arrival, not a commitment). The verifier owns its verdict cache; the two policies are built once,
 * since cached verdicts are keyed on the policy object.
 */
export function createSealVerifier(options: SealVerifierOptions) {
  const sealPolicy = options.policy ?? DEFAULT_POLICY;
  const receiptPolicy = policyWith({
    ...sealPolicy,
    name: `${sealPolicy.name}-receipt`,
    requiredSignerKeyUsage: ["digitalSignature"],
  });
  const cache = new VerdictCache();
  // One trust store per list of seal-maker anchors (the directory's, decoded once per directory).
  const makerStores = new WeakMap<readonly Uint8Array[], TrustStore>();
  const makerTrustOf = (makers: readonly Uint8Array[]): TrustStore => {
    let store = makerStores.get(makers);
    if (!store) makerStores.set(makers, (store = createTrustStore([...makers], [])));
    return store;
  };
  return {
    /**
     * `makers`: the trust anchors of an SES seal's maker (制章者) as the directory lists them for the
     * sender (GB/T 38540-2020 §8.2 checks the seal maker's certificate); absent, the configured anchors.
     */
    verify(
      content: Uint8Array,
      sealDer: Uint8Array,
      at: Date,
      purpose: SealPurpose,
      makers?: readonly Uint8Array[],
    ): VerificationReport {
      const policy = purpose === "receipt" ? receiptPolicy : sealPolicy;
      // The sender's listed seal makers (directory), else the verifier's own maker anchors, else `trust` with
      // the seal-maker URI required of the maker (ses/maker-checks.ts).
      const listed = makers ?? (options.makersFor ? listedMakers(sealDer, options.makersFor) : undefined);
      const makerTrust = listed ? makerTrustOf(listed) : options.makerTrust;
      return verifySeal(content, sealDer, {
        trust: options.trust,
        crls: options.crls(),
        at,
        policy,
        cache,
        ...(makerTrust ? { makerTrust } : {}),
      });
    },
  };
}

/**
 * The makers listed for the agencies the SES signer certificate binds. The certificate is not trusted yet: it
 * only chooses which listing applies, and the verification that follows checks its chain and binding. Bytes that
 * are not a readable SES signature choose none (the verifier reports them).
 */
function listedMakers(
  sealDer: Uint8Array,
  makersFor: NonNullable<SealVerifierOptions["makersFor"]>,
): readonly Uint8Array[] | undefined {
  if (!isSesShaped(sealDer)) return undefined;
  let agencyIds: string[];
  try {
    agencyIds = certInfo(parseSesSignature(sealDer).signerCertificate).agencyIds;
  } catch {
    return undefined;
  }
  return agencyIds.length ? makersFor(agencyIds) : undefined;
}
