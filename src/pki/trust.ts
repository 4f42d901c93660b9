import { certInfo, type CertInfo } from "./certificate.ts";
import { isCrlSignedBy, parseCrl, type ParsedCrl } from "./crl.ts";

/**
 * Trust material and revocation data, prepared once and shared by every verification. Both carry
 * an identity that cached chain verdicts are keyed on, so a new CRL set (a new "generation") can
 * never be answered from a verdict computed under the old one.
 */
let nextId = 1;

export interface TrustStore {
  readonly id: number;
  readonly anchors: ReadonlyMap<string, CertInfo>;
  /** Anchors and known intermediates by subject Name DER (hex), for issuer look-up. */
  readonly bySubject: ReadonlyMap<string, CertInfo[]>;
}

export function createTrustStore(anchors: Uint8Array[], intermediates: Uint8Array[] = []): TrustStore {
  const anchorMap = new Map<string, CertInfo>();
  const bySubject = new Map<string, CertInfo[]>();
  const add = (info: CertInfo) => {
    const list = bySubject.get(info.subjectDer) ?? [];
    if (!list.some((c) => c.sha256 === info.sha256)) list.push(info);
    bySubject.set(info.subjectDer, list);
  };
  for (const der of anchors) {
    const info = certInfo(der);
    anchorMap.set(info.sha256, info);
    add(info);
  }
  for (const der of intermediates) add(certInfo(der));
  return { id: nextId++, anchors: anchorMap, bySubject };
}

export interface RevocationStore {
  /** Changes whenever the set of CRLs changes. */
  readonly generation: number;
  readonly byIssuer: ReadonlyMap<string, ParsedCrl[]>;
  /** CRL inputs that did not parse, kept for the report. */
  readonly rejected: readonly string[];
}

export function createRevocationStore(crls: Uint8Array[]): RevocationStore {
  const byIssuer = new Map<string, ParsedCrl[]>();
  const rejected: string[] = [];
  crls.forEach((der, i) => {
    try {
      const crl = parseCrl(der);
      byIssuer.set(crl.issuerDer, [...(byIssuer.get(crl.issuerDer) ?? []), crl]);
    } catch (err) {
      rejected.push(`CRL #${i + 1}: ${(err as Error).message}`);
    }
  });
  return { generation: nextId++, byIssuer, rejected };
}

export const EMPTY_REVOCATION: RevocationStore = createRevocationStore([]);

export type RevocationStatus = (
  | { status: "good"; crl: ParsedCrl; revokedLater?: Date }
  | { status: "revoked"; crl: ParsedCrl; revokedAt: Date; reason?: string }
  | { status: "unknown"; why: string }
) & {
  /**
   * Validation times (ms, inclusive) over which the same status comes from the same CRL: a CRL past its
   * nextUpdate is usable again before it, and a later revocation takes effect at its date. A cached
   * verdict must not cross these bounds (verdict-cache.ts).
   */
  from: number;
  until: number;
};

/**
 * Status of `cert` at time `at` from CRLs its issuer signed (RFC 5280 §6.3). A CRL counts only if the
 * issuer's key verifies it, it has a nextUpdate (x509's parser and RFC 5280 both need it), it uses
 * no critical extension we do not implement, and `at` is not past its nextUpdate. Among usable CRLs
 * the newest wins.
 */
export function revocationStatus(cert: CertInfo, issuer: CertInfo, store: RevocationStore, at: Date): RevocationStatus {
  const candidates = store.byIssuer.get(cert.issuerDer) ?? [];
  if (candidates.length === 0)
    return { status: "unknown", why: "no CRL from this issuer", from: -Infinity, until: Infinity };
  const t = at.getTime();
  const reasons: string[] = [];
  let best: ParsedCrl | undefined;
  let from = -Infinity;
  let unverifiedUntil = Infinity; // an unverified CRL's reason changes to "expired" after its nextUpdate
  for (const crl of candidates) {
    if (!crl.nextUpdate) reasons.push("CRL without nextUpdate");
    else if (crl.unsupportedCritical.length)
      reasons.push(`CRL with unsupported critical extension ${crl.unsupportedCritical.join(", ")}`);
    else if (t > crl.nextUpdate.getTime()) {
      reasons.push(`CRL expired at ${crl.nextUpdate.toISOString()}`);
      from = Math.max(from, crl.nextUpdate.getTime() + 1);
    } else if (!crlVerified(crl, issuer)) {
      reasons.push("CRL signature does not verify with the issuer's key");
      unverifiedUntil = Math.min(unverifiedUntil, crl.nextUpdate.getTime());
    } else if (!best || crl.thisUpdate.getTime() > best.thisUpdate.getTime()) best = crl;
  }
  if (!best) return { status: "unknown", why: reasons.join("; "), from, until: unverifiedUntil };
  const until = best.nextUpdate!.getTime();
  const entry = best.revoked.get(cert.serialHex);
  if (!entry || entry.reason === "removeFromCRL") return { status: "good", crl: best, from, until };
  const revokedAt = entry.revokedAt.getTime();
  if (revokedAt > t)
    return { status: "good", crl: best, revokedLater: entry.revokedAt, from, until: Math.min(until, revokedAt - 1) };
  return {
    status: "revoked",
    crl: best,
    revokedAt: entry.revokedAt,
    ...(entry.reason ? { reason: entry.reason } : {}),
    from: Math.max(from, revokedAt),
    until,
  };
}

const crlSignatureCache = new Map<string, boolean>();
function crlVerified(crl: ParsedCrl, issuer: CertInfo): boolean {
  const key = crl.sha256 + issuer.sha256;
  let ok = crlSignatureCache.get(key);
  if (ok === undefined) {
    ok = isCrlSignedBy(crl, issuer);
    if (crlSignatureCache.size > 10_000) crlSignatureCache.clear();
    crlSignatureCache.set(key, ok);
  }
  return ok;
}
