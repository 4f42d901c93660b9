import type { CertInfo } from "./certificate.ts";
import { validateChain } from "./chain.ts";
import { hashFromOid, type HashAlgorithm } from "./oids.ts";
import { DEFAULT_POLICY, type ValidationPolicy } from "./policy.ts";
import {
  conclude,
  failed,
  passed,
  policyReference,
  signerSummary,
  warning,
  type Check,
  type VerificationReport,
} from "./report.ts";
import { EMPTY_REVOCATION, type RevocationStore, type TrustStore } from "./trust.ts";
import { isSesShaped } from "./ses/detect.ts";
import { verifySes } from "./ses/verify.ts";
import type { VerdictCache, VerdictKey } from "./verdict-cache.ts";
import { contentTypeCheck, digestAlgorithmCheck, signingTimeCheck } from "./verify-acceptance.ts";
import { cryptographicChecks } from "./verify-crypto.ts";
import { formatChecks, unusedCertificates } from "./verify-format.ts";
import { essCheck, findSigner } from "./verify-signer.ts";

export interface VerifyOptions {
  trust: TrustStore;
  crls?: RevocationStore;
  /** Validation time: every date check is made against it (no hidden clock). */
  at: Date;
  policy?: ValidationPolicy;
  /**
   * Trust anchors for GB/T 38540 seal makers (制章者). Absent: a maker must chain to `trust` and carry SAN
   * urn:jiexu:seal-maker (SEAL_MAKER_URI), since any certificate under `trust` is not a seal maker.
   */
  makerTrust?: TrustStore;
  /** The verifier's memory of passing chain verdicts (verdict-cache.ts); without one, each chain is built afresh. */
  cache?: VerdictCache;
}

/**
 * Verify a CAdES-B-B seal over `content` (detached) or its encapsulated content, returning a DSS-style
 * report. Never throws on hostile input: every failure is a check with an indication.
 * The hot path walks the DER once, hashes twice and makes one public-key operation; certificates and
 * keys come from caches keyed by certificate SHA-256 (anchors §8.1), chain verdicts from `options.cache`.
 */
export function verifySeal(
  content: Uint8Array | undefined,
  cms: Uint8Array,
  options: VerifyOptions,
): VerificationReport {
  // Issue 16: a GB/T 38540 SES_Signature (or GM/T 0010 PKCS#7, refused there with its reason) is verified as SES.
  if (isSesShaped(cms)) return verifySes(content, cms, options);
  const policy = options.policy ?? DEFAULT_POLICY;
  const checks: Check[] = [];
  const found = runChecks(content, cms, options, policy, checks);
  const verdict = conclude(checks);
  const policyRef = options.cache?.policyRef(policy) ?? policyReference(policy);
  const report: VerificationReport = {
    indication: verdict.indication,
    validationTime: options.at.toISOString(),
    checks,
    policy: policyRef,
  };
  if (verdict.subIndication) report.subIndication = verdict.subIndication;
  if (found.signer) report.signer = options.cache?.signerSummary(found.signer) ?? signerSummary(found.signer);
  if (found.signingTime) report.signingTime = found.signingTime.toISOString();
  if (found.chain?.length) report.chain = found.chain.map((c) => c.sha256);
  return report;
}

interface Found {
  signer?: CertInfo;
  signingTime?: Date;
  chain?: CertInfo[];
}

/**
 * Run the building blocks in EN 319 102-1 §5.3.4 order: FC, ISC, XCV, CV, SAV. FC and ISC failures end
 * the run (nothing later can be examined); the others all run, and report.ts's conclude() picks the
 * deciding failure in the same order. The blocks live in verify-format.ts (FC), verify-signer.ts (ISC),
 * chain.ts (XCV), verify-crypto.ts (CV) and verify-acceptance.ts (SAV).
 */
function runChecks(
  content: Uint8Array | undefined,
  cms: Uint8Array,
  options: VerifyOptions,
  policy: ValidationPolicy,
  checks: Check[],
): Found {
  const parsed = formatChecks(cms, checks);
  if (!parsed) return {};
  const { sd, si, embedded } = parsed;
  const signer = findSigner(si, embedded, options.trust);
  if (!signer) {
    checks.push(
      failed(
        "ISC.signer-certificate",
        "INDETERMINATE",
        "NO_SIGNING_CERTIFICATE_FOUND",
        "the certificate named by the SignerInfo is not in the seal or the trust store",
      ),
    );
    return {};
  }
  checks.push(passed("ISC.signer-certificate", `${signer.subject} (serial ${signer.serialHex})`));
  const ess = essCheck(si, signer);
  checks.push(ess.check);

  const crls = options.crls ?? EMPTY_REVOCATION;
  const key: VerdictKey = { signer, trust: options.trust, crls, policy, at: options.at, embedded: sd.certificates };
  const chain = validateChain(key, () => embedded, options.cache);
  checks.push(...chain.checks);

  const hash = cadesHash(hashFromOid(si.digestAlgorithm));
  if (hash) cryptographicChecks(content, sd, si, signer, hash, checks);
  checks.push(digestAlgorithmCheck("SAV.digest-algorithm", si.digestAlgorithm, hash, policy));
  if (ess.hash)
    checks.push(digestAlgorithmCheck("SAV.signing-certificate-digest", ess.hash, cadesHash(ess.hash), policy));
  checks.push(contentTypeCheck(si, sd.eContentType));
  const signingTime = signingTimeCheck(si, signer, options.at, policy, checks);
  if (!si.attributesSorted)
    checks.push(warning("FC.der-sorted-attributes", "signed attributes are not in DER SET OF order (X.690 §11.6)"));
  checks.push(...unusedCertificates(embedded, signer, chain.path));
  return { signer, ...(signingTime ? { signingTime } : {}), chain: chain.path };
}

/**
 * The policy accepts SM3 for GB/T 38540 seals (issue 16); no CAdES profile we verify pairs it with ECDSA or RSA,
 * so in CMS it stays an unaccepted digest, as it was before SM3 had a name here.
 */
function cadesHash(hash: HashAlgorithm | undefined): HashAlgorithm | undefined {
  return hash === "sm3" ? undefined : hash;
}
