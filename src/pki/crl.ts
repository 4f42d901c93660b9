import { createHash, verify as cryptoVerify } from "node:crypto";
import { sameBytes, toHex } from "../domain/bytes.ts";
import {
  DerError,
  Tag,
  bytesOf,
  childrenOf,
  contextTag,
  decodeOid,
  decodeTime,
  expectTlv,
  integerHex,
  readTlv,
  valueOf,
  type Tlv,
} from "./der.ts";
import type { CertInfo } from "./certificate.ts";
import { OID, hashOfSignatureAlgorithm, schemeOfSignatureAlgorithm } from "./oids.ts";
import { isSm2SignedBy, readSignatureAlgorithm } from "./sm2.ts";

/**
 * CRLs (RFC 5280 §5), parsed by hand rather than with @peculiar/x509 because the library is wrong and
 * slow here (docs/references.md "Library pitfalls"): a CRL without nextUpdate parses with no entries (a
 * silent "not revoked"), large CRLs exceed asn1js's node limit, and findRevoked is a linear scan.
 * Entries go into a Map.
 * test/pki/crl.test.ts checks this parser against @peculiar/x509 and openssl on the same CRLs.
 */

export const REASONS = [
  "unspecified",
  "keyCompromise",
  "cACompromise",
  "affiliationChanged",
  "superseded",
  "cessationOfOperation",
  "certificateHold",
  "unused",
  "removeFromCRL",
  "privilegeWithdrawn",
  "aACompromise",
] as const;

export interface RevokedCert {
  revokedAt: Date;
  reason?: string;
}

export interface ParsedCrl {
  der: Uint8Array;
  sha256: string;
  issuerDer: string;
  thisUpdate: Date;
  nextUpdate?: Date;
  crlNumber?: string;
  revoked: Map<string, RevokedCert>;
  /** Critical CRL extensions we do not implement (delta CRLs, partitioned CRLs): such a CRL is unusable. */
  unsupportedCritical: string[];
  tbs: Uint8Array;
  signatureAlgorithm: string;
  signature: Uint8Array;
}

const CRL_NUMBER = "2.5.29.20";
const REASON_CODE = "2.5.29.21";
const KNOWN_CRL_EXTENSIONS = new Set([CRL_NUMBER, "2.5.29.35"]);

export function parseCrl(der: Uint8Array): ParsedCrl {
  const outer = expectTlv(der, 0, Tag.SEQUENCE, "CertificateList");
  if (outer.end !== der.length) throw new DerError("trailing bytes after CertificateList");
  const [tbsTlv, sigAlgTlv, sigTlv] = childrenOf(der, outer);
  if (!tbsTlv || sigAlgTlv?.tag !== Tag.SEQUENCE || sigTlv?.tag !== Tag.BIT_STRING)
    throw new DerError("CertificateList is incomplete");
  const f = childrenOf(der, tbsTlv);
  let i = f[0]?.tag === Tag.INTEGER ? 1 : 0;
  // RFC 5280 §5.1.1.2: the unsigned outer algorithm must repeat the signed one byte for byte, so the checks made
  // on the outer one (SM3withSM2 parameters absent or NULL) hold for the signed one too.
  const innerAlg = f[i++];
  if (innerAlg?.tag !== Tag.SEQUENCE || !sameBytes(bytesOf(der, innerAlg), bytesOf(der, sigAlgTlv)))
    throw new DerError("CertificateList signatureAlgorithm differs from tbsCertList.signature");
  const issuer = f[i++];
  const thisUpdate = f[i++];
  if (issuer?.tag !== Tag.SEQUENCE || !thisUpdate) throw new DerError("TBSCertList is malformed");
  let nextUpdate: Date | undefined;
  if (f[i]?.tag === Tag.UTC_TIME || f[i]?.tag === Tag.GENERALIZED_TIME) nextUpdate = decodeTime(der, f[i++]!);
  const revoked = new Map<string, RevokedCert>();
  if (f[i]?.tag === Tag.SEQUENCE) for (const e of childrenOf(der, f[i++]!)) readEntry(der, e, revoked);
  let crlNumber: string | undefined;
  const unsupportedCritical: string[] = [];
  if (f[i]?.tag === contextTag(0)) {
    for (const x of extensionsOf(der, readTlv(der, f[i]!.valueStart, f[i]!.end))) {
      if (x.oid === CRL_NUMBER) crlNumber = integerHex(der, readTlv(der, x.value.valueStart, x.value.end));
      else if (x.critical && !KNOWN_CRL_EXTENSIONS.has(x.oid)) unsupportedCritical.push(x.oid);
    }
  }
  return {
    der,
    sha256: createHash("sha256").update(der).digest("hex"),
    issuerDer: toHex(bytesOf(der, issuer)),
    thisUpdate: decodeTime(der, thisUpdate),
    ...(nextUpdate ? { nextUpdate } : {}),
    ...(crlNumber ? { crlNumber } : {}),
    revoked,
    unsupportedCritical,
    tbs: bytesOf(der, tbsTlv),
    signatureAlgorithm: readSignatureAlgorithm(der, sigAlgTlv),
    signature: valueOf(der, sigTlv).subarray(1), // BIT STRING: skip the unused-bits octet
  };
}

function readEntry(der: Uint8Array, e: Tlv, into: Map<string, RevokedCert>): void {
  const [serial, date, exts] = childrenOf(der, e);
  if (serial?.tag !== Tag.INTEGER || !date) throw new DerError("malformed revoked certificate entry");
  let reason: string | undefined;
  if (exts?.tag === Tag.SEQUENCE) {
    for (const x of extensionsOf(der, exts)) {
      if (x.oid !== REASON_CODE) continue;
      const code = valueOf(der, readTlv(der, x.value.valueStart, x.value.end))[0] ?? 0;
      reason = REASONS[code] ?? `reason-${code}`;
    }
  }
  into.set(integerHex(der, serial), { revokedAt: decodeTime(der, date), ...(reason ? { reason } : {}) });
}

function extensionsOf(der: Uint8Array, seq: Tlv): { oid: string; critical: boolean; value: Tlv }[] {
  return childrenOf(der, seq).map((x) => {
    const parts = childrenOf(der, x);
    const critical = parts[1]?.tag === Tag.BOOLEAN && valueOf(der, parts[1])[0] !== 0;
    const value = parts[critical || parts[1]?.tag === Tag.BOOLEAN ? 2 : 1];
    if (!parts[0] || value?.tag !== Tag.OCTET_STRING) throw new DerError("malformed extension");
    return { oid: decodeOid(der, parts[0]), critical, value };
  });
}

/** Whether `issuer` signed this CRL (the CRL's own signature, RFC 5280 §6.3.3 (f)). */
export function isCrlSignedBy(crl: ParsedCrl, issuer: CertInfo): boolean {
  // Issue 16: SM3withSM2 only with an SM2 issuer key and only through sm2.ts (standard signer ID); an SM2 key under
  // any other algorithm would be tried by Node with an empty ID.
  const sm2 = crl.signatureAlgorithm === OID.sm3WithSm2;
  if (sm2 !== (issuer.keyType === "sm2")) return false;
  if (sm2) return !!issuer.sm2Key && isSm2SignedBy(crl.der, issuer.sm2Key);
  const scheme = schemeOfSignatureAlgorithm(crl.signatureAlgorithm);
  const hash = hashOfSignatureAlgorithm(crl.signatureAlgorithm);
  if (!hash || (scheme !== "ecdsa" && scheme !== "rsa-pkcs1")) return false;
  try {
    return cryptoVerify(hash, crl.tbs, issuer.publicKey, crl.signature);
  } catch {
    return false;
  }
}
