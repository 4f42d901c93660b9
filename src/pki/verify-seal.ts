import { createHash, timingSafeEqual } from "node:crypto";
import { certIdentity, certInfo, type CertInfo } from "./certificate.ts";
import { validateChain } from "./chain.ts";
import { parseSignedData, type ParsedSignedData, type ParsedSignerInfo } from "./cms-parse.ts";
import { DerError, Tag, decodeOid, decodeTime, readTlv, sameBytes, toHex, valueOf } from "./der.ts";
import { checkSigningCertificateV2 } from "./ess.ts";
import { OID, hashFromOid, type HashAlgorithm } from "./oids.ts";
import { DEFAULT_POLICY, policyDigest, type ValidationPolicy } from "./policy.ts";
import { conclude, failed, passed, warning, type Check, type SignerSummary, type VerificationReport } from "./report.ts";
import { verifySignatureValue } from "./signature.ts";
import { EMPTY_REVOCATION, type RevocationStore, type TrustStore } from "./trust.ts";

export interface VerifyOptions {
  trust: TrustStore;
  crls?: RevocationStore;
  /** Validation time: every date check is made against it (no hidden clock). */
  at: Date;
  policy?: ValidationPolicy;
}

/**
 * Verify a CAdES-B-B seal over `content` (detached) or its encapsulated content, returning a DSS-style
 * report. Never throws on hostile input: every failure is a check with an indication.
 * The hot path walks the DER once, hashes twice and makes one public-key operation; certificates,
 * keys and chain verdicts come from caches keyed by certificate SHA-256 (anchors §8.1).
 */
export function verifySeal(content: Uint8Array | undefined, cms: Uint8Array, options: VerifyOptions): VerificationReport {
  const policy = options.policy ?? DEFAULT_POLICY;
  const checks: Check[] = [];
  const found = runChecks(content, cms, options, policy, checks);
  const verdict = conclude(checks);
  const report: VerificationReport = { indication: verdict.indication, validationTime: options.at.toISOString(), checks, policy: policyRef(policy) };
  if (verdict.subIndication) report.subIndication = verdict.subIndication;
  if (found.signer) report.signer = summarize(found.signer);
  if (found.signingTime) report.signingTime = found.signingTime.toISOString();
  if (found.chain?.length) report.chain = found.chain.map((c) => c.sha256);
  return report;
}

interface Found {
  signer?: CertInfo;
  signingTime?: Date;
  chain?: CertInfo[];
}

/** Run the checks in EN 319 102-1 order, stopping where a later check has nothing left to examine. */
function runChecks(content: Uint8Array | undefined, cms: Uint8Array, options: VerifyOptions, policy: ValidationPolicy, checks: Check[]): Found {
  let sd: ParsedSignedData;
  try {
    sd = parseSignedData(cms);
  } catch (err) {
    checks.push(failed("FC.structure", "TOTAL_FAILED", "FORMAT_FAILURE", `not a CMS SignedData: ${(err as Error).message}`));
    return {};
  }
  const si = sd.signers[0];
  if (sd.signers.length !== 1 || !si) {
    checks.push(failed("FC.structure", "TOTAL_FAILED", "FORMAT_FAILURE", `a seal has exactly one SignerInfo, found ${sd.signers.length}`));
    return {};
  }
  const data = pickContent(content, sd, checks);
  if (!data) return {};
  if (!si.signedAttrsDer) {
    checks.push(failed("FC.signed-attributes", "TOTAL_FAILED", "FORMAT_FAILURE", "CAdES requires signed attributes"));
    return {};
  }
  const hash = hashFromOid(si.digestAlgorithm);
  if (!hash || !policy.acceptedDigests.includes(hash)) {
    checks.push(failed("CV.digest-algorithm", "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE", `digest algorithm ${hash ?? si.digestAlgorithm} is not accepted`));
    if (!hash) return {};
  } else checks.push(passed("CV.digest-algorithm", hash));

  const signer = findSigner(si, sd.certificates, options.trust, checks);
  if (!signer) {
    checks.push(failed("ISC.signer-certificate", "INDETERMINATE", "NO_SIGNING_CERTIFICATE_FOUND", "the certificate named by the SignerInfo is not in the seal or the trust store"));
    return {};
  }
  checks.push(passed("ISC.signer-certificate", `${signer.subject} (serial ${signer.serialHex})`));
  checks.push(essCheck(si, signer));
  checks.push(messageDigestCheck(si, data, hash));
  checks.push(signatureCheck(si, signer, hash));
  checks.push(contentTypeCheck(si, sd.eContentType));
  const signingTime = signingTimeCheck(si, signer, options.at, policy, checks);
  if (!si.attributesSorted) checks.push(warning("FC.der-sorted-attributes", "signed attributes are not in DER SET OF order (X.690 §11.6)"));

  // The other embedded certificates are parsed only when the chain verdict is not already cached.
  const pool = () => sd.certificates.flatMap((der) => tryCertInfo(der, checks));
  const chain = validateChain(signer, pool, options.trust, options.crls ?? EMPTY_REVOCATION, options.at, policy, sd.certificates);
  checks.push(...chain.checks);
  return { signer, ...(signingTime ? { signingTime } : {}), chain: chain.path };
}

const policyRefs = new WeakMap<ValidationPolicy, VerificationReport["policy"]>();
function policyRef(policy: ValidationPolicy): VerificationReport["policy"] {
  let ref = policyRefs.get(policy);
  if (!ref) policyRefs.set(policy, (ref = { name: policy.name, digest: policyDigest(policy), revocation: policy.revocation }));
  return ref;
}

function pickContent(content: Uint8Array | undefined, sd: ParsedSignedData, checks: Check[]): Uint8Array | undefined {
  if (sd.eContent && content && !sameBytes(sd.eContent, content)) {
    checks.push(failed("FC.content", "TOTAL_FAILED", "HASH_FAILURE", "the supplied content differs from the encapsulated content"));
    return undefined;
  }
  const data = sd.eContent ?? content;
  if (!data) {
    checks.push(failed("FC.content", "INDETERMINATE", "SIGNED_DATA_NOT_FOUND", "detached seal and no content supplied"));
    return undefined;
  }
  checks.push(passed("FC.structure", `CMS SignedData, ${sd.eContent ? "attached" : "detached"} content of ${data.length} bytes, one signer`));
  return data;
}

function tryCertInfo(der: Uint8Array, checks: Check[]): CertInfo[] {
  try {
    return [certInfo(der)];
  } catch (err) {
    checks.push(warning("FC.certificates", `an embedded certificate does not parse: ${(err as Error).message}`));
    return [];
  }
}

/**
 * The certificate the sid names: looked for in the seal by walking each embedded certificate's DER
 * (no hashing), else among the trust store's known certificates.
 */
function findSigner(si: ParsedSignerInfo, embedded: Uint8Array[], trust: TrustStore, checks: Check[]): CertInfo | undefined {
  const sid = si.sid;
  for (const der of embedded) {
    let id: ReturnType<typeof certIdentity>;
    try {
      id = certIdentity(der);
    } catch {
      continue;
    }
    const hit = sid.kind === "issuerSerial" ? sameBytes(id.issuer, sid.issuer) && id.serialHex === sid.serialHex : undefined;
    if (hit) return tryCertInfo(der, checks)[0];
    if (sid.kind === "ski") {
      const info = tryCertInfo(der, checks)[0];
      if (info?.skiHex === sid.skiHex) return info;
    }
  }
  const known = [...trust.bySubject.values()].flat();
  return sid.kind === "ski"
    ? known.find((c) => c.skiHex === sid.skiHex)
    : known.find((c) => c.serialHex === sid.serialHex && c.issuerDer === toHex(sid.issuer));
}

function essCheck(si: ParsedSignerInfo, signer: CertInfo): Check {
  const id = "ISC.signing-certificate-v2";
  const values = si.attributes.get(OID.signingCertificateV2);
  if (!values || values.length !== 1 || si.repeatedAttributes.includes(OID.signingCertificateV2)) {
    const v1 = si.attributes.has(OID.signingCertificate) ? " (only the SHA-1 signing-certificate v1 is present)" : "";
    return failed(id, "INDETERMINATE", "NO_SIGNING_CERTIFICATE_FOUND", `ESS signing-certificate-v2 attribute missing or repeated${v1}`);
  }
  try {
    const b = checkSigningCertificateV2(values[0]!, signer);
    return b.matches ? passed(id, b.detail) : failed(id, "INDETERMINATE", "NO_SIGNING_CERTIFICATE_FOUND", b.detail);
  } catch (err) {
    return failed(id, "INDETERMINATE", "NO_SIGNING_CERTIFICATE_FOUND", `malformed signing-certificate-v2: ${(err as Error).message}`);
  }
}

function messageDigestCheck(si: ParsedSignerInfo, data: Uint8Array, hash: HashAlgorithm): Check {
  const id = "CV.message-digest";
  const values = si.attributes.get(OID.messageDigest);
  if (!values || values.length !== 1 || si.repeatedAttributes.includes(OID.messageDigest)) {
    return failed(id, "TOTAL_FAILED", "FORMAT_FAILURE", "message-digest attribute missing or repeated");
  }
  const v = values[0]!;
  const t = readTlv(v, 0);
  const claimed = t.tag === Tag.OCTET_STRING ? valueOf(v, t) : new Uint8Array();
  const actual = createHash(hash).update(data).digest();
  if (claimed.length !== actual.length || !timingSafeEqual(claimed, actual)) {
    return failed(id, "TOTAL_FAILED", "HASH_FAILURE", `${hash} of the content does not match the signed message-digest`);
  }
  return passed(id, `${hash} of the content matches`);
}

function signatureCheck(si: ParsedSignerInfo, signer: CertInfo, hash: HashAlgorithm): Check {
  const r = verifySignatureValue(si, signer, hash);
  return r.ok ? passed("CV.signature", r.detail) : failed("CV.signature", "TOTAL_FAILED", "SIG_CRYPTO_FAILURE", r.detail);
}

function contentTypeCheck(si: ParsedSignerInfo, eContentType: string): Check {
  const id = "SAV.content-type";
  const values = si.attributes.get(OID.contentType);
  if (!values || values.length !== 1) return failed(id, "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", "content-type attribute missing");
  try {
    const oid = decodeOid(values[0]!, readTlv(values[0]!, 0));
    if (oid !== eContentType) return failed(id, "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", `content-type ${oid} differs from eContentType ${eContentType} (RFC 5652 §11.1)`);
    return passed(id, `content-type ${oid}`);
  } catch (err) {
    return failed(id, "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", `malformed content-type: ${(err as Error).message}`);
  }
}

function signingTimeCheck(si: ParsedSignerInfo, signer: CertInfo, at: Date, policy: ValidationPolicy, checks: Check[]): Date | undefined {
  const id = "SAV.signing-time";
  const values = si.attributes.get(OID.signingTime);
  let time: Date;
  try {
    if (!values || values.length !== 1) throw new DerError("signing-time attribute missing");
    time = decodeTime(values[0]!, readTlv(values[0]!, 0));
  } catch (err) {
    checks.push(failed(id, "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", (err as Error).message));
    return undefined;
  }
  const t = time.getTime();
  if (t < signer.notBefore.getTime() || t > signer.notAfter.getTime()) {
    checks.push(failed(id, "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", `signing-time ${time.toISOString()} is outside the signer certificate's validity`));
  } else if (t > at.getTime() + policy.maxClockSkewSeconds * 1000) {
    checks.push(failed(id, "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", `signing-time ${time.toISOString()} is after the validation time`));
  } else checks.push(passed(id, `${time.toISOString()}, inside the signer certificate's validity`));
  return time;
}

const summaries = new WeakMap<CertInfo, SignerSummary>();
function summarize(c: CertInfo): SignerSummary {
  let s = summaries.get(c);
  if (!s) {
    s = {
      subject: c.subject, issuer: c.issuer, serialNumber: c.serialHex, certificateSha256: c.sha256,
      agencyIds: c.agencyIds, notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(),
    };
    summaries.set(c, s);
  }
  return s;
}

