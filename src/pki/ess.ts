import { createHash } from "node:crypto";
import type { CertInfo } from "./certificate.ts";
import { bytesEqual, sameBytes, toHex } from "../domain/bytes.ts";
import {
  DerError,
  Tag,
  bytesOf,
  childrenOf,
  contextTag,
  decodeOid,
  expectTlv,
  integerHex,
  readTlv,
  valueOf,
} from "./der.ts";
import { explicit, octetString, seq } from "./der-write.ts";
import { hashFromOid, type HashAlgorithm } from "./oids.ts";

/**
 * ESS signing-certificate-v2 (RFC 5035 §3): binds the signature to one certificate by hash, so a
 * signer cannot be swapped for another certificate with the same key. pkijs neither writes nor checks it.
 *
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies … OPTIONAL }
 * ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT sha256,
 *                            certHash OCTET STRING, issuerSerial IssuerSerial OPTIONAL }
 * IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber INTEGER }
 */

/** Encode the attribute value for `cert` with SHA-256 (the DEFAULT, so hashAlgorithm is omitted). */
export function encodeSigningCertificateV2(
  certDer: Uint8Array,
  issuerNameDer: Uint8Array,
  serialDer: Uint8Array,
): Uint8Array {
  const certHash = createHash("sha256").update(certDer).digest();
  // GeneralNames with one directoryName [4]: explicit tagging because Name is a CHOICE (RFC 5280 App. A.2).
  const issuerSerial = seq(seq(explicit(4, issuerNameDer)), serialDer);
  return seq(seq(seq(octetString(certHash), issuerSerial)));
}

export interface EssBinding {
  hash: HashAlgorithm;
  matches: boolean;
  detail: string;
}

/**
 * Check the first ESSCertIDv2 (the signing certificate's, §3) against the signer's certificate; with
 * `version` 1, the first ESSCertID of RFC 2634's SigningCertificate, whose certHash is always SHA-1
 * and which has no hashAlgorithm (EN 319 122-1 allows it in place of v2; the policy then judges SHA-1).
 */
export function checkSigningCertificateV2(value: Uint8Array, signer: CertInfo, version: 1 | 2 = 2): EssBinding {
  const outer = expectTlv(value, 0, Tag.SEQUENCE, "SigningCertificateV2");
  const certs = childrenOf(value, outer)[0];
  if (certs?.tag !== Tag.SEQUENCE) throw new DerError("SigningCertificateV2 has no certs");
  const first = childrenOf(value, certs)[0];
  if (!first) throw new DerError("SigningCertificateV2 certs is empty");
  const parts = childrenOf(value, first);
  let i = 0;
  let hash: HashAlgorithm | undefined = version === 1 ? "sha1" : "sha256";
  if (version === 2 && parts[0]?.tag === Tag.SEQUENCE) {
    const oid = childrenOf(value, parts[i++]!)[0];
    hash = oid ? hashFromOid(decodeOid(value, oid)) : undefined;
  }
  const certHashTlv = parts[i++];
  if (certHashTlv?.tag !== Tag.OCTET_STRING) throw new DerError("ESSCertIDv2 certHash missing");
  if (!hash) return { hash: "sha256", matches: false, detail: "unknown hash algorithm in ESSCertIDv2" };
  const expected = hash === "sha256" ? signer.sha256Bytes : createHash(hash).update(signer.der).digest();
  const actual = valueOf(value, certHashTlv);
  if (!bytesEqual(expected, actual)) {
    return {
      hash,
      matches: false,
      detail: `certHash ${toHex(actual).slice(0, 16)}… does not match the signer certificate`,
    };
  }
  const issuerSerial = parts[i];
  if (issuerSerial?.tag === Tag.SEQUENCE) {
    const problem = checkIssuerSerial(bytesOf(value, issuerSerial), signer);
    if (problem) return { hash, matches: false, detail: problem };
  }
  return { hash, matches: true, detail: `certHash (${hash}) matches the signer certificate` };
}

function checkIssuerSerial(bytes: Uint8Array, signer: CertInfo): string | undefined {
  const seqTlv = readTlv(bytes, 0);
  const [names, serial] = childrenOf(bytes, seqTlv);
  if (names?.tag !== Tag.SEQUENCE || serial?.tag !== Tag.INTEGER) return "malformed issuerSerial";
  if (integerHex(bytes, serial) !== signer.serialHex)
    return "issuerSerial serial number does not match the signer certificate";
  const dirName = childrenOf(bytes, names).find((n) => n.tag === contextTag(4));
  if (dirName) {
    const name = readTlv(bytes, dirName.valueStart, dirName.end);
    const nameBytes = bytesOf(bytes, name);
    if (!sameBytes(nameBytes, signer.issuerBytes)) return "issuerSerial issuer does not match the signer certificate";
  }
  return undefined;
}
