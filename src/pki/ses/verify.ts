import { sameBytes } from "../../domain/bytes.ts";
import type { CertInfo } from "../certificate.ts";
import { validateChain } from "../chain.ts";
import { DEFAULT_POLICY, type ValidationPolicy } from "../policy.ts";
import {
  conclude,
  failed,
  passed,
  policyReference,
  signerSummary,
  warning,
  type Check,
  type VerificationReport,
} from "../report.ts";
import { sm3 } from "../sm2-verify.ts";
import { EMPTY_REVOCATION } from "../trust.ts";
import type { VerifyOptions } from "../verify-seal.ts";
import { SesError } from "./errors.ts";
import { isSm3WithSm2, parseSesSignature, type ParsedSeal, type ParsedSesSignature } from "./parse.ts";
import { isHolder } from "./holders.ts";
import { makerChecks } from "./maker-checks.ts";
import {
  certificateOf,
  extensionsCheck,
  sealFacts,
  sealValidityCheck,
  verifierOf,
  type SealFacts,
} from "./seal-checks.ts";

/**
 * Verify a GB/T 38540-2020 v4 SES_Signature over `content` (the data whose SM3 is dataHash), returning the
 * same report as a CAdES seal, with `format: "ses"` and the seal's summary. Checks follow the standard's
 * verification steps (§9; research note §3 Step C): signature value, signer in the seal, the seal (maker
 * signature, maker chain, validity at the signing time), the signer's chain (validated at `at`, revocation
 * fail closed, as for CAdES), the signing time, the data hash. Never throws on hostile input.
 * Hot path for a known seal and signer: one parse, two SM3 (TBS_Sign and content), one SM2 verification.
 */
export function verifySes(
  content: Uint8Array | undefined,
  signatureDer: Uint8Array,
  options: VerifyOptions,
): VerificationReport {
  const policy = options.policy ?? DEFAULT_POLICY;
  const checks: Check[] = [];
  const found = runChecks(content, signatureDer, options, policy, checks);
  return report(checks, options, policy, found);
}

/** Verify an SESeal alone (`jiexu ses verify-seal`): structure, maker signature and chain, validity at `at`. */
export function verifySesSeal(sealDer: Uint8Array, options: VerifyOptions): VerificationReport {
  const policy = options.policy ?? DEFAULT_POLICY;
  const checks: Check[] = [];
  const facts = structure(checks, () => sealFacts(sealDer));
  if (!facts) return report(checks, options, policy, {});
  checks.push(passed("FC.ses-structure", `GB/T 38540 v4 SESeal '${facts.parsed.esId}' (${facts.parsed.vid})`));
  const ext = extensionsCheck(facts.parsed.extensions, "SES_SealInfo");
  if (ext) checks.push(ext);
  const chain = makerChecks(facts, options, policy, checks);
  checks.push(sealValidityCheck(facts.parsed, options.at, "validation time"));
  return report(checks, options, policy, { seal: facts, chain: chain.path });
}

interface Found {
  seal?: SealFacts;
  signer?: CertInfo;
  signingTime?: Date;
  chain?: CertInfo[];
}

function runChecks(
  content: Uint8Array | undefined,
  der: Uint8Array,
  options: VerifyOptions,
  policy: ValidationPolicy,
  checks: Check[],
): Found {
  const parsed = structure(checks, () => readSignature(der));
  if (!parsed) return {};
  const { sig, seal, signer } = parsed;
  checks.push(
    passed("FC.ses-structure", `GB/T 38540 v4 SES_Signature with seal '${seal.parsed.esId}' (${seal.parsed.vid})`),
  );
  for (const ext of [
    extensionsCheck(seal.parsed.extensions, "SES_SealInfo"),
    extensionsCheck(sig.extensions, "TBS_Sign"),
  ])
    if (ext) checks.push(ext);
  checks.push(
    verifierOf(signer).verify(sig.tbsBytes, sig.signature)
      ? passed("CV.ses-signature", `'${signer.subject}' signed TBS_Sign (SM3withSM2)`)
      : failed("CV.ses-signature", "TOTAL_FAILED", "SIG_CRYPTO_FAILURE", "the signature over TBS_Sign does not verify"),
  );
  if (sig.timeStamp) checks.push(timeStampCheck());
  checks.push(holderCheck(seal.parsed, signer));
  makerChecks(seal, options, policy, checks, signer);
  checks.push(sealValidityCheck(seal.parsed, sig.signingTime, "signing time"));
  // timeInfo is the signer's claim: a seal expired (or not yet valid) now must not pass on a backdated one.
  checks.push(sealValidityCheck(seal.parsed, options.at, "validation time", "SAV.ses-seal-validity-at-validation"));
  // SES_Signature carries the signer certificate only: intermediates come from the trust store.
  const key = {
    signer,
    trust: options.trust,
    crls: options.crls ?? EMPTY_REVOCATION,
    policy,
    at: options.at,
    embedded: [],
  };
  const chain = validateChain(key, () => [], options.cache);
  checks.push(...chain.checks);
  checks.push(signingTimeCheck(sig, signer, options.at, policy));
  checks.push(dataHashCheck(content, sig));
  checks.push(digestCheck(policy));
  return { seal, signer, signingTime: sig.signingTime, chain: chain.path };
}

/** The signature, its seal's facts and the signer certificate; SesError SES_FORMAT when any is unusable. */
function readSignature(der: Uint8Array): { sig: ParsedSesSignature; seal: SealFacts; signer: CertInfo } {
  const sig = parseSesSignature(der);
  if (!isSm3WithSm2(sig.signatureAlgorithm))
    throw new SesError("SES_FORMAT", `signatureAlgID ${sig.signatureAlgorithm} is not SM3withSM2`, {
      reason: "SES_UNSUPPORTED_ALGORITHM",
    });
  const seal = sealFacts(sig.sealBytes);
  return { sig, seal, signer: certificateOf(sig.signerCertificate, "signer certificate") };
}

/** FC.ses-structure: run `read`, turning a SesError into the failed check. */
function structure<T>(checks: Check[], read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    // The detail starts with the closed reason code (SesFormatReason), then says why.
    const why =
      err instanceof SesError
        ? `${err.reason ?? "SES_MALFORMED"}: ${err.message}`
        : `SES_MALFORMED: unreadable: ${(err as Error).message}`;
    checks.push(failed("FC.ses-structure", "TOTAL_FAILED", "FORMAT_FAILURE", why));
    return undefined;
  }
}

/** ISC.ses-signer-in-seal (签章者证书与印章匹配): the signer certificate is one the seal lists, by bytes or digest. */
function holderCheck(seal: ParsedSeal, signer: CertInfo): Check {
  const id = "ISC.ses-signer-in-seal";
  const listed = isHolder(seal, signer);
  return listed
    ? passed(id, `the signer certificate is a holder of seal '${seal.esId}'`)
    : failed(
        id,
        "INDETERMINATE",
        "NO_SIGNING_CERTIFICATE_FOUND",
        `the signer certificate is not a holder of seal '${seal.esId}'`,
      );
}

/**
 * SAV.ses-timestamp: SES_Signature's optional timeStamp [0] is an RFC 3161 token over the signature value,
 * outside what is signed. This engine does not evaluate it (no TSA trust is configured), so the report says
 * it is there instead of passing over it silently; the signing time stays the unproven timeInfo claim.
 */
function timeStampCheck(): Check {
  return warning("SAV.ses-timestamp", "present, not evaluated (RFC 3161 token over the signature value)");
}

/** SAV.ses-signing-time: timeInfo (a claim, no proof of existence) not after `at` + skew, inside the signer's validity. */
function signingTimeCheck(sig: ParsedSesSignature, signer: CertInfo, at: Date, policy: ValidationPolicy): Check {
  const id = "SAV.ses-signing-time";
  const t = sig.signingTime.getTime();
  const when = sig.signingTime.toISOString();
  if (t > at.getTime() + policy.maxClockSkewSeconds * 1000)
    return failed(id, "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", `timeInfo ${when} is after the validation time`);
  if (t < signer.notBefore.getTime() || t > signer.notAfter.getTime())
    return failed(
      id,
      "INDETERMINATE",
      "SIG_CONSTRAINTS_FAILURE",
      `timeInfo ${when} is outside the signer certificate's validity`,
    );
  return passed(id, `timeInfo ${when}`);
}

/** CV.ses-data-hash (原文杂凑): SM3 of the content equals dataHash. */
function dataHashCheck(content: Uint8Array | undefined, sig: ParsedSesSignature): Check {
  const id = "CV.ses-data-hash";
  if (!content)
    return failed(id, "INDETERMINATE", "SIGNED_DATA_NOT_FOUND", "no content supplied (SES signatures are detached)");
  return sameBytes(sm3(content), sig.dataHash)
    ? passed(id, "SM3 of the content matches dataHash")
    : failed(id, "TOTAL_FAILED", "HASH_FAILURE", "SM3 of the content does not match dataHash");
}

function digestCheck(policy: ValidationPolicy): Check {
  const id = "SAV.digest-algorithm";
  return (policy.acceptedDigests as string[]).includes("sm3")
    ? passed(id, "sm3 accepted by the policy")
    : failed(id, "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE", `sm3 not accepted by policy '${policy.name}'`);
}

function report(checks: Check[], options: VerifyOptions, policy: ValidationPolicy, found: Found): VerificationReport {
  const verdict = conclude(checks);
  const out: VerificationReport = {
    indication: verdict.indication,
    validationTime: options.at.toISOString(),
    checks,
    policy: options.cache?.policyRef(policy) ?? policyReference(policy),
    format: "ses",
  };
  if (verdict.subIndication) out.subIndication = verdict.subIndication;
  if (found.signer) out.signer = options.cache?.signerSummary(found.signer) ?? signerSummary(found.signer);
  if (found.signingTime) out.signingTime = found.signingTime.toISOString();
  if (found.chain?.length) out.chain = found.chain.map((c) => c.sha256);
  if (found.seal) out.seal = found.seal.summary;
  return out;
}
