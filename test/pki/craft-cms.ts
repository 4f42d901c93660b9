import { constants, createHash, sign } from "node:crypto";
import { Tag, bytesOf, childrenOf, contextTag, expectTlv } from "../../src/pki/der.ts";
import { compareBytes } from "../../src/domain/bytes.ts";
import { explicit, nullValue, octetString, oid, seq, setOf, smallInteger, time, tlv } from "../../src/pki/der-write.ts";
import { encodeSigningCertificateV2 } from "../../src/pki/ess.ts";
import { OID, oidByHash } from "../../src/pki/oids.ts";
import type { TestCert } from "../fixtures/seal-pki.ts";

/**
 * Hand-built CMS SignedData for the cases our sealer refuses to produce (SHA-1 digests, a missing or
 * wrong signing-certificate-v2, a content-type attribute that contradicts eContentType). Built with
 * der-write, signed with node:crypto: everything except the deliberate defect is a valid CAdES-B-B.
 */
export interface CraftOptions {
  cert: TestCert;
  chain: Uint8Array[];
  content: Uint8Array;
  signingTime: Date;
  /** "sm3": ECDSA over SM3 (no CAdES profile pairs them; the policy admits SM3 for GB/T 38540 seals only). */
  hash?: "sha1" | "sha256" | "sm3";
  /** Leave the message-digest attribute out (RFC 5652 §5.3 requires it with signed attributes). */
  omitMessageDigest?: boolean;
  /** Leave the ESS signing-certificate-v2 attribute out. */
  omitEss?: boolean;
  /** Write the RFC 2634 signing-certificate (v1, SHA-1 certHash) instead of v2, as OpenSSL does with -md sha1. */
  essV1?: boolean;
  /** Put this certificate's hash (instead of the signer's) into signing-certificate-v2. */
  essCert?: Uint8Array;
  /** Value of the content-type attribute (defaults to id-data, the eContentType). */
  contentTypeAttr?: string;
  rsaPadding?: "pkcs1" | "pss";
}

const SIG_OIDS = {
  ec: { sha1: OID.ecdsaWithSha1, sha256: OID.ecdsaWithSha256, sm3: OID.ecPublicKey },
  rsa: { sha1: OID.sha1WithRsa, sha256: OID.sha256WithRsa, sm3: OID.rsaEncryption },
} as const;

export function craftSeal(o: CraftOptions): Uint8Array {
  const hash = o.hash ?? "sha256";
  const [issuerName, serial] = issuerAndSerial(o.cert.der);
  const attr = (type: string, value: Uint8Array) => seq(oid(type), tlv(Tag.SET, value));
  const attrs = [attr(OID.contentType, oid(o.contentTypeAttr ?? OID.data)), attr(OID.signingTime, time(o.signingTime))];
  if (!o.omitMessageDigest)
    attrs.push(attr(OID.messageDigest, octetString(createHash(hash).update(o.content).digest())));
  if (!o.omitEss) {
    const essFor = o.essCert ?? o.cert.der;
    const [essIssuer, essSerial] = issuerAndSerial(essFor);
    if (o.essV1) {
      const issuerSerial = seq(seq(explicit(4, essIssuer)), essSerial);
      attrs.push(
        attr(
          OID.signingCertificate,
          seq(seq(seq(octetString(createHash("sha1").update(essFor).digest()), issuerSerial))),
        ),
      );
    } else attrs.push(attr(OID.signingCertificateV2, encodeSigningCertificateV2(essFor, essIssuer, essSerial)));
  }
  const signedAttrs = setOf(...attrs);
  const keyType = o.cert.key.asymmetricKeyType === "ec" ? "ec" : "rsa";
  const pss = keyType === "rsa" && o.rsaPadding === "pss";
  const signature = sign(
    hash,
    signedAttrs,
    pss ? { key: o.cert.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : o.cert.key,
  );
  const sigAlg = pss
    ? seq(
        oid(OID.rsaPss),
        seq(
          explicit(0, seq(oid(oidByHash[hash]))),
          explicit(1, seq(oid(OID.mgf1), seq(oid(oidByHash[hash])))),
          explicit(2, smallInteger(32)),
        ),
      )
    : keyType === "ec"
      ? seq(oid(SIG_OIDS.ec[hash]))
      : seq(oid(SIG_OIDS.rsa[hash]), nullValue());
  const implicitAttrs = signedAttrs.slice();
  implicitAttrs[0] = contextTag(0);
  const digestAlg = seq(oid(oidByHash[hash]));
  const signerInfo = seq(
    smallInteger(1),
    seq(issuerName, serial),
    digestAlg,
    implicitAttrs,
    sigAlg,
    octetString(signature),
  );
  const certs = tlv(contextTag(0), ...[o.cert.der, ...o.chain].sort(compareBytes));
  const signedData = seq(smallInteger(1), tlv(Tag.SET, digestAlg), seq(oid(OID.data)), certs, tlv(Tag.SET, signerInfo));
  return seq(oid(OID.signedData), explicit(0, signedData));
}

function issuerAndSerial(certDer: Uint8Array): [Uint8Array, Uint8Array] {
  const tbs = childrenOf(certDer, expectTlv(certDer, 0, Tag.SEQUENCE, "Certificate"))[0]!;
  const f = childrenOf(certDer, tbs);
  const o = f[0]?.tag === contextTag(0) ? 1 : 0;
  return [bytesOf(certDer, f[o + 2]!), bytesOf(certDer, f[o]!)];
}
