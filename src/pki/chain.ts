import { KeyUsageBits, isSignedBy, type CertInfo } from "./certificate.ts";
import type { ValidationPolicy } from "./policy.ts";
import { conclude, failed, passed, warning, type Check } from "./report.ts";
import { revocationStatus, type RevocationStore, type TrustStore } from "./trust.ts";
import type { VerdictCache, VerdictKey } from "./verdict-cache.ts";

/**
 * Certification path building and validation (RFC 5280 §6, reduced to what a seal PKI uses) with
 * revocation from CRLs. Building backtracks: every candidate issuer is tried and each complete path
 * to an anchor is validated until one passes, instead of x509's first-match (anchors §2).
 */
export interface ChainVerdict {
  checks: Check[];
  /** Path used, signer first, anchor last (empty when none was found). */
  path: CertInfo[];
  passed: boolean;
  /** Validation-time window (ms, inclusive) over which a passing verdict stays true (for caching). */
  validFrom: number;
  validUntil: number;
  /** The checks that do not name the validation time (all but the validity ones), and the revocation ones among them. */
  timeless: Check[];
  revocation: Check[];
  /**
   * The path is the first candidate found, so no other path could be chosen at another time inside the
   * window: only such a verdict may be cached (a rollover's second path is rebuilt each time).
   */
  firstPath: boolean;
}

/**
 * Validate the signer's chain at `at`. With a cache, a passing verdict computed earlier answers while
 * every part of the key still matches (verdict-cache.ts), so a verdict depends on the inputs alone and
 * never on what an earlier verification happened to see; `pool` (the seal's parsed certificates) is
 * only asked for when the chain is built. A cached verdict's validity checks are made again at `at`,
 * since their text names the validation time: the checks are those an uncached validation gives.
 */
export function validateChain(key: VerdictKey, pool: () => CertInfo[], cache?: VerdictCache): ChainVerdict {
  const hit = cache?.lookup(key);
  if (!hit) {
    const verdict = buildAndValidate(key.signer, pool(), key.trust, key.crls, key.at, key.policy);
    cache?.keep(key, verdict);
    return verdict;
  }
  // Object.assign, not `{ ...hit, checks }` (a hidden class per literal in Node 20: docs/ingest-performance.md).
  return Object.assign({}, hit, { checks: [...hit.timeless, ...validityChecks(hit.path, key.at, hit.revocation)] });
}

function buildAndValidate(
  signer: CertInfo,
  pool: CertInfo[],
  trust: TrustStore,
  crls: RevocationStore,
  at: Date,
  policy: ValidationPolicy,
): ChainVerdict {
  const paths = findPaths(signer, pool, trust, policy);
  if (paths.length === 0) {
    const checks = [
      failed(
        "XCV.chain",
        "INDETERMINATE",
        "NO_CERTIFICATE_CHAIN_FOUND",
        `no path from '${signer.subject}' to a configured trust anchor`,
      ),
    ];
    return {
      checks,
      timeless: checks,
      revocation: [],
      path: [],
      passed: false,
      validFrom: 0,
      validUntil: 0,
      firstPath: false,
    };
  }
  let first: ChainVerdict | undefined;
  for (const [i, path] of paths.entries()) {
    const verdict = validatePath(path, crls, at, policy, i === 0);
    if (verdict.passed) return verdict;
    first ??= verdict;
  }
  return first!;
}

/** All paths signer → … → anchor, depth-first, each link's signature checked. */
function findPaths(signer: CertInfo, pool: CertInfo[], trust: TrustStore, policy: ValidationPolicy): CertInfo[][] {
  const found: CertInfo[][] = [];
  const walk = (path: CertInfo[]) => {
    if (found.length >= policy.maxCandidatePaths) return;
    const cert = path[path.length - 1]!;
    if (trust.anchors.has(cert.sha256)) {
      found.push(path);
      return;
    }
    if (path.length >= policy.maxChainLength) return;
    for (const issuer of issuersOf(cert, pool, trust)) {
      if (path.some((c) => c.sha256 === issuer.sha256)) continue; // cycle
      if (isSignedBy(cert, issuer)) walk([...path, issuer]);
    }
  };
  walk([signer]);
  return found;
}

function issuersOf(cert: CertInfo, pool: CertInfo[], trust: TrustStore): CertInfo[] {
  const fromTrust = trust.bySubject.get(cert.issuerDer) ?? [];
  const fromPool = pool.filter((c) => c.subjectDer === cert.issuerDer && !fromTrust.some((t) => t.sha256 === c.sha256));
  return [...fromTrust, ...fromPool].filter((c) => !cert.akiHex || !c.skiHex || c.skiHex === cert.akiHex);
}

function validatePath(
  path: CertInfo[],
  crls: RevocationStore,
  at: Date,
  policy: ValidationPolicy,
  firstPath: boolean,
): ChainVerdict {
  const anchor = path[path.length - 1]!;
  const timeless: Check[] = [
    passed("XCV.chain", `path of ${path.length} certificate(s) to trust anchor '${anchor.subject}'`),
  ];
  let validFrom = -Infinity;
  let validUntil = Infinity;
  path.forEach((cert, i) => {
    timeless.push(...cryptoChecks(cert, i === path.length - 1, policy));
    timeless.push(...constraintChecks(cert, i, path.length, policy));
    validFrom = Math.max(validFrom, cert.notBefore.getTime());
    validUntil = Math.min(validUntil, cert.notAfter.getTime());
  });
  const revocation = path.slice(0, -1).map((cert, i) => revocationCheck(cert, path[i + 1]!, i === 0, crls, at, policy));
  for (const r of revocation) {
    validFrom = Math.max(validFrom, r.from);
    validUntil = Math.min(validUntil, r.until);
  }
  // Listed in the order DSS's sub-XCV runs them; which failure decides is report.ts's conclude().
  const revocationChecks = revocation.map((r) => r.check);
  timeless.push(...revocationChecks);
  const checks = [...timeless, ...validityChecks(path, at, revocationChecks)];
  const ok = conclude(checks).indication === "TOTAL_PASSED";
  return { checks, timeless, revocation: revocationChecks, path, passed: ok, validFrom, validUntil, firstPath };
}

function cryptoChecks(cert: CertInfo, isAnchor: boolean, policy: ValidationPolicy): Check[] {
  const out: Check[] = [];
  const id = `XCV.crypto[${cert.subject}]`;
  if (cert.keyType === "rsa" || cert.keyType === "rsa-pss") {
    if ((cert.keyBits ?? 0) < policy.minRsaBits)
      out.push(
        failed(
          id,
          "INDETERMINATE",
          "CRYPTO_CONSTRAINTS_FAILURE",
          `RSA key of ${cert.keyBits} bits (< ${policy.minRsaBits})`,
        ),
      );
  } else if (cert.keyType === "ec" || cert.keyType === "sm2") {
    // SM2 (GB/T 32918) is its own key type but a curve for the policy: "SM2" in acceptedCurves admits it.
    if (!policy.acceptedCurves.includes(cert.curve ?? ""))
      out.push(failed(id, "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE", `curve ${cert.curve} not accepted`));
  } else if (cert.keyType !== "ed25519") {
    out.push(failed(id, "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE", `key type ${cert.keyType} not accepted`));
  }
  // A trust anchor's self-signature is not relied on (RFC 5280 §6.1.1 (d)); every other one is.
  if (!isAnchor && cert.signatureHash && !policy.acceptedDigests.includes(cert.signatureHash)) {
    out.push(
      failed(id, "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE", `certificate signed with ${cert.signatureHash}`),
    );
  }
  return out.length
    ? out
    : [
        passed(
          id,
          `${cert.keyType}${cert.keyBits ? ` ${cert.keyBits}` : ""}${cert.curve ? ` ${cert.curve}` : ""}, signed with ${cert.signatureHash ?? cert.signatureAlgorithm}`,
        ),
      ];
}

function constraintChecks(cert: CertInfo, index: number, length: number, policy: ValidationPolicy): Check[] {
  const out: Check[] = [];
  if (cert.unknownCriticalExtensions.length) {
    out.push(
      failed(
        `XCV.critical-extensions[${cert.subject}]`,
        "INDETERMINATE",
        "CERTIFICATE_CHAIN_GENERAL_FAILURE",
        `unprocessed critical extension(s) ${cert.unknownCriticalExtensions.join(", ")}`,
      ),
    );
  }
  if (index === 0) return [...out, signerKeyUsage(cert, policy)];
  const id = `XCV.basic-constraints[${cert.subject}]`;
  // RFC 5280 §4.2.1.9: pathLenConstraint counts the non-self-issued intermediates below this CA.
  const below = index - 1;
  if (!cert.isCa)
    out.push(
      failed(
        id,
        "INDETERMINATE",
        "CHAIN_CONSTRAINTS_FAILURE",
        "issuer is not a CA (basicConstraints cA is false or absent)",
      ),
    );
  else if (cert.keyUsage !== undefined && (cert.keyUsage & KeyUsageBits.keyCertSign) === 0)
    out.push(failed(id, "INDETERMINATE", "CHAIN_CONSTRAINTS_FAILURE", "issuer keyUsage lacks keyCertSign"));
  else if (cert.pathLength !== undefined && below > cert.pathLength)
    out.push(
      failed(
        id,
        "INDETERMINATE",
        "CHAIN_CONSTRAINTS_FAILURE",
        `pathLenConstraint ${cert.pathLength} exceeded by ${below} CA certificate(s) below`,
      ),
    );
  else
    out.push(
      passed(
        id,
        `CA${cert.pathLength !== undefined ? `, pathLen ${cert.pathLength}` : ""}${index === length - 1 ? ", trust anchor" : ""}`,
      ),
    );
  return out;
}

function signerKeyUsage(cert: CertInfo, policy: ValidationPolicy): Check {
  const id = "XCV.signer-key-usage";
  const missing = policy.requiredSignerKeyUsage.filter(
    (u) => cert.keyUsage === undefined || (cert.keyUsage & KeyUsageBits[u]) === 0,
  );
  if (missing.length)
    return failed(
      id,
      "INDETERMINATE",
      "CHAIN_CONSTRAINTS_FAILURE",
      `seal certificate keyUsage lacks ${missing.join(", ")}`,
    );
  return passed(id, `keyUsage has ${policy.requiredSignerKeyUsage.join(", ")}`);
}

/** A revocation check, and the validation times over which it stays the same (RevocationStatus from/until). */
interface RevocationFinding {
  check: Check;
  from: number;
  until: number;
}

function revocationCheck(
  cert: CertInfo,
  issuer: CertInfo,
  isSigner: boolean,
  crls: RevocationStore,
  at: Date,
  policy: ValidationPolicy,
): RevocationFinding {
  const id = `RFC.revocation[${cert.subject}]`;
  const s = revocationStatus(cert, issuer, crls, at);
  const window = { from: s.from, until: s.until };
  if (s.status === "good") {
    const later = s.revokedLater ? `; revoked later, at ${s.revokedLater.toISOString()}` : "";
    return {
      check: passed(
        id,
        `not revoked per CRL of ${s.crl.thisUpdate.toISOString()} (next update ${s.crl.nextUpdate!.toISOString()})${later}`,
      ),
      ...window,
    };
  }
  if (s.status === "revoked") {
    const sub = isSigner ? "REVOKED_NO_POE" : "REVOKED_CA_NO_POE";
    return {
      check: failed(
        id,
        "INDETERMINATE",
        sub,
        `revoked at ${s.revokedAt.toISOString()}${s.reason ? ` (${s.reason})` : ""}`,
      ),
      ...window,
    };
  }
  if (policy.revocation === "optional")
    return {
      check: warning(id, `no usable revocation data (${s.why}); accepted by policy '${policy.name}'`),
      ...window,
    };
  return { check: failed(id, "INDETERMINATE", "TRY_LATER", `no usable revocation data: ${s.why}`), ...window };
}

/**
 * EN 319 102-1 §5.2.6: a certificate outside its validity at the validation time is INDETERMINATE/
 * OUT_OF_BOUNDS_NO_POE, expired or not yet valid alike (NOT_YET_VALID is a TOTAL_FAILED that needs a
 * proof of existence before notBefore, which a B-B seal never has); an expired signer whose status is
 * known good is OUT_OF_BOUNDS_NOT_REVOKED. These outrank the claimed signing-time (SAV).
 */
function validityChecks(path: CertInfo[], at: Date, revocation: Check[]): Check[] {
  const t = at.getTime();
  const when = at.toISOString();
  return path.map((cert, i) => {
    const id = `XCV.validity[${cert.subject}]`;
    const span = validitySpan(cert);
    if (t < cert.notBefore.getTime())
      return failed(id, "INDETERMINATE", "OUT_OF_BOUNDS_NO_POE", `not yet valid at ${when} (${span})`);
    if (t > cert.notAfter.getTime()) {
      const revOk = revocation[i]?.status === "PASSED";
      return failed(
        id,
        "INDETERMINATE",
        i === 0 && revOk ? "OUT_OF_BOUNDS_NOT_REVOKED" : "OUT_OF_BOUNDS_NO_POE",
        `expired at ${when} (${span})`,
      );
    }
    return passed(id, `valid at ${when} (${span})`);
  });
}

/** A certificate's validity as the report writes it; kept per certificate, since every verification names it. */
const spans = new WeakMap<CertInfo, string>();
function validitySpan(cert: CertInfo): string {
  let span = spans.get(cert);
  if (span === undefined) spans.set(cert, (span = `${cert.notBefore.toISOString()} – ${cert.notAfter.toISOString()}`));
  return span;
}
