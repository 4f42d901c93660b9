import { Tag, contextTag } from "./der.ts";
import { concatBytes } from "../domain/bytes.ts";
import { explicit, octetString, oid, seq, setOf, tlv } from "./der-write.ts";
import { OID } from "./oids.ts";

/**
 * The CMS SignedData of a seal, encoded once per key up to what changes per seal (issue 12 item 1):
 * the gateway seals a receipt for every document it receives, and around each one only the signed
 * attributes (signing time, message digest) and the signature value differ. The certificates, signer
 * identifier, algorithm identifiers and the content-type and signing-certificate-v2 attributes are
 * kept as encoded bytes; a seal sizes its few headers, then writes them and copies each constant part
 * once into one buffer, instead of re-encoding them nested level by level (each level copying all below).
 * The output is byte for byte what nesting der-write.ts's tlv() calls gives (test/pki/seal-template.test.ts).
 */
export interface SealTemplateParts {
  digestAlgorithm: Uint8Array;
  signatureAlgorithm: Uint8Array;
  /** SignerIdentifier: IssuerAndSerialNumber. */
  sid: Uint8Array;
  /** [0] IMPLICIT CertificateSet, encoded. */
  certificates: Uint8Array;
  /** Attributes that are the same in every seal of this key (content-type, signing-certificate-v2). */
  constantAttributes: Uint8Array[];
}

export interface SealTemplate {
  /** The DER SET OF signed attributes for this seal: the bytes the signature is computed over (RFC 5652 §5.4). */
  signedAttributes(digest: Uint8Array, signingTime: Uint8Array): Uint8Array;
  /** The ContentInfo around `signedAttrs` and `signature`; `content` given for an attached seal. */
  contentInfo(signedAttrs: Uint8Array, signature: Uint8Array, content?: Uint8Array): Uint8Array;
}

const VERSION_1 = Uint8Array.of(Tag.INTEGER, 1, 1);

export function createSealTemplate(parts: SealTemplateParts): SealTemplate {
  const signingTimeType = oid(OID.signingTime);
  const messageDigestType = oid(OID.messageDigest);
  const dataType = oid(OID.data);
  // ContentInfo's contentType, and SignedData up to the encapsulated content; then after it.
  const contentType = oid(OID.signedData);
  const signedDataHead = concatBytes([VERSION_1, tlv(Tag.SET, parts.digestAlgorithm)]);
  const detachedEncap = seq(dataType);
  // SignerInfo up to its signed attributes, and between them and the signature value.
  const signerInfoHead = concatBytes([VERSION_1, parts.sid, parts.digestAlgorithm]);

  return {
    signedAttributes(digest, signingTime) {
      const attrs = [
        ...parts.constantAttributes,
        seq(signingTimeType, tlv(Tag.SET, signingTime)),
        seq(messageDigestType, tlv(Tag.SET, octetString(digest))),
      ];
      return setOf(...attrs);
    },
    contentInfo(signedAttrs, signature, content) {
      const encap = content ? seq(dataType, explicit(0, octetString(content))) : detachedEncap;
      const sigValue = headerSize(signature.length) + signature.length;
      const signerInfo = signerInfoHead.length + signedAttrs.length + parts.signatureAlgorithm.length + sigValue;
      const signerInfos = headerSize(signerInfo) + signerInfo;
      const signedData =
        signedDataHead.length + encap.length + parts.certificates.length + headerSize(signerInfos) + signerInfos;
      const explicitContent = headerSize(signedData) + signedData;
      const contentInfo = contentType.length + headerSize(explicitContent) + explicitContent;
      const out = new Uint8Array(headerSize(contentInfo) + contentInfo);
      const w = { out, at: 0 };
      header(w, Tag.SEQUENCE, contentInfo);
      put(w, contentType);
      header(w, contextTag(0), explicitContent);
      header(w, Tag.SEQUENCE, signedData);
      put(w, signedDataHead);
      put(w, encap);
      put(w, parts.certificates);
      header(w, Tag.SET, signerInfos);
      header(w, Tag.SEQUENCE, signerInfo);
      put(w, signerInfoHead);
      const attrsAt = w.at;
      put(w, signedAttrs);
      out[attrsAt] = contextTag(0); // [0] IMPLICIT in SignerInfo (RFC 5652 §5.3), a SET when signed
      put(w, parts.signatureAlgorithm);
      header(w, Tag.OCTET_STRING, signature.length);
      put(w, signature);
      return out;
    },
  };
}

/** Where the next bytes go. */
interface Cursor {
  out: Uint8Array;
  at: number;
}

function put(w: Cursor, bytes: Uint8Array): void {
  w.out.set(bytes, w.at);
  w.at += bytes.length;
}

/** Tag and DER definite length (X.690 §8.1.3): short form below 128, else 0x80|n then n big-endian bytes. */
function header(w: Cursor, tag: number, length: number): void {
  const size = headerSize(length) - 1;
  w.out[w.at] = tag;
  if (size === 1) w.out[w.at + 1] = length;
  else {
    w.out[w.at + 1] = 0x80 | (size - 1);
    for (let i = size, v = length; i >= 2; i--, v = Math.floor(v / 256)) w.out[w.at + i] = v & 0xff;
  }
  w.at += 1 + size;
}

/** Bytes of a tag and the DER length of `length` content bytes. */
function headerSize(length: number): number {
  if (length < 0x80) return 2;
  let size = 2;
  for (let v = length; v > 0; v = Math.floor(v / 256)) size++;
  return size;
}
