import { DEFAULT_POLICY, policyWith, type ValidationPolicy } from "./policy.ts";
import type { VerificationReport } from "./report.ts";
import type { RevocationStore, TrustStore } from "./trust.ts";
import { VerdictCache } from "./verdict-cache.ts";
import { verifySeal } from "./verify-seal.ts";

export type SealPurpose = "seal" | "receipt";

export interface SealVerifierOptions {
  trust: TrustStore;
  crls: () => RevocationStore;
  policy?: ValidationPolicy;
  /** GB/T 38540 seal-maker (制章者) anchors for SES signatures; default: `trust`. */
  makerTrust?: TrustStore;
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
  return {
    verify(content: Uint8Array, sealDer: Uint8Array, at: Date, purpose: SealPurpose): VerificationReport {
      const policy = purpose === "receipt" ? receiptPolicy : sealPolicy;
      const makerTrust = options.makerTrust ? { makerTrust: options.makerTrust } : {};
      return verifySeal(content, sealDer, {
        trust: options.trust,
        crls: options.crls(),
        at,
        policy,
        cache,
        ...makerTrust,
      });
    },
  };
}
