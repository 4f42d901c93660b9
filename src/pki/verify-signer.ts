import type { CertInfo } from "./certificate.ts";
import type { ParsedSignerInfo } from "./cms-parse.ts";
import { sameBytes } from "../domain/bytes.ts";
import { checkSigningCertificateV2 } from "./ess.ts";
import { OID, type HashAlgorithm } from "./oids.ts";
import { failed, passed, type Check } from "./report.ts";
import type { TrustStore } from "./trust.ts";

/** The certificate the sid names: among the seal's own certificates, else the trust store's known ones. */
export function findSigner(si: ParsedSignerInfo, embedded: CertInfo[], trust: TrustStore): CertInfo | undefined {
  // Loops rather than find() with a closure: this runs for every document received.
  for (const c of embedded) if (isNamed(c, si.sid)) return c;
  for (const list of trust.bySubject.values()) for (const c of list) if (isNamed(c, si.sid)) return c;
  return undefined;
}

function isNamed(c: CertInfo, sid: ParsedSignerInfo["sid"]): boolean {
  return sid.kind === "ski"
    ? c.skiHex === sid.skiHex
    : c.serialHex === sid.serialHex && sameBytes(c.issuerBytes, sid.issuer);
}

/**
 * ISC: signing-certificate-v2 binds the signer's certificate by hash; a seal with only the v1 attribute
 * (SHA-1, as OpenSSL writes for -md sha1) is identified too, as EN 319 122-1 and DSS allow, and its
 * SHA-1 is then judged by the policy in SAV (CRYPTO_CONSTRAINTS_FAILURE), not reported as no signer.
 */
export function essCheck(si: ParsedSignerInfo, signer: CertInfo): { check: Check; hash?: HashAlgorithm } {
  const id = "ISC.signing-certificate-v2";
  const v2 = attributeOnce(si, OID.signingCertificateV2);
  const value =
    v2 ?? (si.attributes.has(OID.signingCertificateV2) ? undefined : attributeOnce(si, OID.signingCertificate));
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

/** The value of an attribute present once with one value, else undefined. */
function attributeOnce(si: ParsedSignerInfo, oid: string): Uint8Array | undefined {
  const values = si.attributes.get(oid);
  return values?.length === 1 && !si.repeatedAttributes.includes(oid) ? values[0] : undefined;
}
