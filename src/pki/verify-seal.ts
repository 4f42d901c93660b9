import { createHash } from "node:crypto";
import { certInfo, type CertInfo } from "./certificate.ts";
import { validateChain } from "./chain.ts";
import { parseSignedData, type ParsedSignedData, type ParsedSignerInfo } from "./cms-parse.ts";
import { bytesEqual, sameBytes } from "../domain/bytes.ts";
import { DerError, Tag, decodeOid, decodeTime, readTlv, valueOf } from "./der.ts";
import { checkSigningCertificateV2 } from "./ess.ts";
import { OID, hashFromOid, type HashAlgorithm } from "./oids.ts";
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
import { verifySignatureValue } from "./signature.ts";
import { EMPTY_REVOCATION, type RevocationStore, type TrustStore } from "./trust.ts";
import type { VerdictCache, VerdictKey } from "./verdict-cache.ts";

export interface VerifyOptions {
  trust: TrustStore;
  crls?: RevocationStore;
  /** Validation time: every date check is made against it (no hidden clock). */
  at: Date;
  policy?: ValidationPolicy;
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
 * deciding failure in the same order.
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

  const hash = hashFromOid(si.digestAlgorithm);
  if (hash) cryptographicChecks(content, sd, si, signer, hash, checks);
  checks.push(digestAlgorithmCheck("SAV.digest-algorithm", si.digestAlgorithm, hash, policy));
  if (ess.hash) checks.push(digestAlgorithmCheck("SAV.signing-certificate-digest", ess.hash, ess.hash, policy));
  checks.push(contentTypeCheck(si, sd.eContentType));
  const signingTime = signingTimeCheck(si, signer, options.at, policy, checks);
  if (!si.attributesSorted)
    checks.push(warning("FC.der-sorted-attributes", "signed attributes are not in DER SET OF order (X.690 §11.6)"));
  checks.push(...unusedCertificates(embedded, signer, chain.path));
  return { signer, ...(signingTime ? { signingTime } : {}), chain: chain.path };
}

/**
 * FC: one SignedData with one SignerInfo carrying signed attributes, and every embedded certificate a
 * strict-DER X.509 certificate (issue 9 item 6). The gateway archives a seal exactly as received, so a
 * certificate that does not parse here would be stored and later fail the case's evidence pack: it is
 * refused at the door with FORMAT_FAILURE even when the path does not need it.
 */
function formatChecks(
  cms: Uint8Array,
  checks: Check[],
): { sd: ParsedSignedData; si: ParsedSignerInfo; embedded: CertInfo[] } | undefined {
  let sd: ParsedSignedData;
  try {
    sd = parseSignedData(cms);
  } catch (err) {
    checks.push(
      failed("FC.structure", "TOTAL_FAILED", "FORMAT_FAILURE", `not a CMS SignedData: ${(err as Error).message}`),
    );
    return undefined;
  }
  const si = sd.signers[0];
  if (sd.signers.length !== 1 || !si) {
    checks.push(
      failed(
        "FC.structure",
        "TOTAL_FAILED",
        "FORMAT_FAILURE",
        `a seal has exactly one SignerInfo, found ${sd.signers.length}`,
      ),
    );
    return undefined;
  }
  if (!si.signedAttrsDer) {
    checks.push(failed("FC.signed-attributes", "TOTAL_FAILED", "FORMAT_FAILURE", "CAdES requires signed attributes"));
    return undefined;
  }
  const embedded: CertInfo[] = [];
  for (const [i, der] of sd.certificates.entries()) {
    try {
      embedded.push(certInfo(der));
    } catch (err) {
      checks.push(
        failed(
          "FC.certificates",
          "TOTAL_FAILED",
          "FORMAT_FAILURE",
          `embedded certificate ${i + 1} of ${sd.certificates.length} is not a DER X.509 certificate: ${(err as Error).message}`,
        ),
      );
      return undefined;
    }
  }
  checks.push(
    passed(
      "FC.structure",
      `CMS SignedData, ${sd.eContent ? "attached" : "detached"} content, one signer, ${embedded.length} certificate(s)`,
    ),
  );
  return { sd, si, embedded };
}

/** CV: the content is at hand and matches the message-digest, and the signature value verifies. */
function cryptographicChecks(
  content: Uint8Array | undefined,
  sd: ParsedSignedData,
  si: ParsedSignerInfo,
  signer: CertInfo,
  hash: HashAlgorithm,
  checks: Check[],
): void {
  if (sd.eContent && content && !sameBytes(sd.eContent, content)) {
    checks.push(
      failed(
        "CV.content",
        "TOTAL_FAILED",
        "HASH_FAILURE",
        "the supplied content differs from the encapsulated content",
      ),
    );
  } else if (!sd.eContent && !content) {
    checks.push(
      failed("CV.content", "INDETERMINATE", "SIGNED_DATA_NOT_FOUND", "detached seal and no content supplied"),
    );
  } else checks.push(messageDigestCheck(si, (sd.eContent ?? content)!, hash));
  checks.push(signatureCheck(si, signer, hash));
}

/** SAV: a digest algorithm the policy accepts (DSS checks these among the signature's cryptographic constraints). */
function digestAlgorithmCheck(
  id: string,
  oid: string,
  hash: HashAlgorithm | undefined,
  policy: ValidationPolicy,
): Check {
  if (!hash || !policy.acceptedDigests.includes(hash))
    return failed(id, "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE", `digest algorithm ${hash ?? oid} is not accepted`);
  return passed(id, hash);
}

/**
 * Embedded certificates that are not on the validation path (byte for byte) are reported, not refused:
 * DSS ignores them too, and a seal made during a CA rollover legitimately carries the old and the new
 * issuing certificate. They parse strictly (formatChecks), so the archive can always reproduce them.
 */
function unusedCertificates(embedded: CertInfo[], signer: CertInfo, path: CertInfo[]): Check[] {
  const out: Check[] = [];
  for (const c of embedded) {
    if (c === signer || path.some((p) => p === c || sameBytes(p.der, c.der))) continue;
    out.push(
      warning(
        "FC.unused-certificate",
        `embedded certificate '${c.subject}' (sha256 ${c.sha256}) is not on the validation path; kept as received, not relied on`,
      ),
    );
  }
  return out;
}

/** The certificate the sid names: among the seal's own certificates, else the trust store's known ones. */
function findSigner(si: ParsedSignerInfo, embedded: CertInfo[], trust: TrustStore): CertInfo | undefined {
  const sid = si.sid;
  const named = (c: CertInfo) =>
    sid.kind === "ski"
      ? c.skiHex === sid.skiHex
      : c.serialHex === sid.serialHex && sameBytes(c.issuerBytes, sid.issuer);
  return embedded.find(named) ?? [...trust.bySubject.values()].flat().find(named);
}

/**
 * ISC: signing-certificate-v2 binds the signer's certificate by hash; a seal with only the v1 attribute
 * (SHA-1, as OpenSSL writes for -md sha1) is identified too, as EN 319 122-1 and DSS allow, and its
 * SHA-1 is then judged by the policy in SAV (CRYPTO_CONSTRAINTS_FAILURE), not reported as no signer.
 */
function essCheck(si: ParsedSignerInfo, signer: CertInfo): { check: Check; hash?: HashAlgorithm } {
  const id = "ISC.signing-certificate-v2";
  const once = (oid: string) =>
    si.attributes.get(oid)?.length === 1 && !si.repeatedAttributes.includes(oid)
      ? si.attributes.get(oid)![0]
      : undefined;
  const v2 = once(OID.signingCertificateV2);
  const value = v2 ?? (si.attributes.has(OID.signingCertificateV2) ? undefined : once(OID.signingCertificate));
  if (!value)
    return {
      check: failed(
        id,
        "INDETERMINATE",
        "NO_SIGNING_CERTIFICATE_FOUND",
        "ESS signing-certificate-v2 (or v1) attribute missing or repeated",
      ),
    };
  try {
    const b = checkSigningCertificateV2(value, signer, v2 ? 2 : 1);
    return b.matches
      ? { check: passed(id, `${v2 ? "" : "signing-certificate v1: "}${b.detail}`), hash: b.hash }
      : { check: failed(id, "INDETERMINATE", "NO_SIGNING_CERTIFICATE_FOUND", b.detail) };
  } catch (err) {
    return {
      check: failed(
        id,
        "INDETERMINATE",
        "NO_SIGNING_CERTIFICATE_FOUND",
        `malformed signing-certificate attribute: ${(err as Error).message}`,
      ),
    };
  }
}

function messageDigestCheck(si: ParsedSignerInfo, data: Uint8Array, hash: HashAlgorithm): Check {
  const id = "CV.message-digest";
  const values = si.attributes.get(OID.messageDigest);
  if (values?.length !== 1 || si.repeatedAttributes.includes(OID.messageDigest)) {
    return failed(id, "TOTAL_FAILED", "FORMAT_FAILURE", "message-digest attribute missing or repeated");
  }
  const v = values[0]!;
  const t = readTlv(v, 0);
  const claimed = t.tag === Tag.OCTET_STRING ? valueOf(v, t) : new Uint8Array();
  const actual = createHash(hash).update(data).digest();
  if (!bytesEqual(claimed, actual)) {
    return failed(
      id,
      "TOTAL_FAILED",
      "HASH_FAILURE",
      `${hash} of the content does not match the signed message-digest`,
    );
  }
  return passed(id, `${hash} of the content matches`);
}

function signatureCheck(si: ParsedSignerInfo, signer: CertInfo, hash: HashAlgorithm): Check {
  const r = verifySignatureValue(si, signer, hash);
  return r.ok
    ? passed("CV.signature", r.detail)
    : failed("CV.signature", "TOTAL_FAILED", "SIG_CRYPTO_FAILURE", r.detail);
}

function contentTypeCheck(si: ParsedSignerInfo, eContentType: string): Check {
  const id = "SAV.content-type";
  const values = si.attributes.get(OID.contentType);
  if (values?.length !== 1)
    return failed(id, "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", "content-type attribute missing");
  try {
    const oid = decodeOid(values[0]!, readTlv(values[0]!, 0));
    if (oid !== eContentType)
      return failed(
        id,
        "INDETERMINATE",
        "SIG_CONSTRAINTS_FAILURE",
        `content-type ${oid} differs from eContentType ${eContentType} (RFC 5652 §11.1)`,
      );
    return passed(id, `content-type ${oid}`);
  } catch (err) {
    return failed(id, "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", `malformed content-type: ${(err as Error).message}`);
  }
}

function signingTimeCheck(
  si: ParsedSignerInfo,
  signer: CertInfo,
  at: Date,
  policy: ValidationPolicy,
  checks: Check[],
): Date | undefined {
  const id = "SAV.signing-time";
  const values = si.attributes.get(OID.signingTime);
  let time: Date;
  try {
    if (values?.length !== 1) throw new DerError("signing-time attribute missing");
    time = decodeTime(values[0]!, readTlv(values[0]!, 0));
  } catch (err) {
    checks.push(failed(id, "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", (err as Error).message));
    return undefined;
  }
  const t = time.getTime();
  if (t < signer.notBefore.getTime() || t > signer.notAfter.getTime()) {
    checks.push(
      failed(
        id,
        "INDETERMINATE",
        "SIG_CONSTRAINTS_FAILURE",
        `signing-time ${time.toISOString()} is outside the signer certificate's validity`,
      ),
    );
  } else if (t > at.getTime() + policy.maxClockSkewSeconds * 1000) {
    checks.push(
      failed(
        id,
        "INDETERMINATE",
        "SIG_CONSTRAINTS_FAILURE",
        `signing-time ${time.toISOString()} is after the validation time`,
      ),
    );
  } else checks.push(passed(id, `${time.toISOString()}, inside the signer certificate's validity`));
  return time;
}
