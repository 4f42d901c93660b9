import { Tag, contextTag } from "./der.ts";
import { explicit, octetString, oid, seq, setOf, tlv } from "./der-write.ts";
import { OID } from "./oids.ts";

/**
 * The CMS SignedData of a seal, encoded once per key up to what changes per seal (issue 12 item 1):
 * the gateway seals a receipt for every document it receives, and around each one only the signed
 * attributes (signing time, message digest) and the signature value differ. The certificates, signer
 * identifier, algorithm identifiers and the content-type and signing-certificate-v2 attributes are
 * kept as encoded bytes; a seal then writes its few headers and copies each constant part once into
 * one buffer, instead of re-encoding them nested level by level (each level copying everything below).
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
  const signedDataType = oid(OID.signedData);
  const dataType = oid(OID.data);
  const detachedEncap = seq(dataType);
  const digestAlgorithms = tlv(Tag.SET, parts.digestAlgorithm);
  // SignedData up to the encapsulated content, and SignerInfo up to the signed attributes.
  const signedDataHead = [VERSION_1, digestAlgorithms];
  const signerInfoHead = [VERSION_1, parts.sid, parts.digestAlgorithm];

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
      const w = new Writer();
      // SignerInfo: its signed attributes are [0] IMPLICIT, so their SET tag is replaced.
      const signerInfo = w.constructed(Tag.SEQUENCE, [
        ...signerInfoHead.map((b) => w.raw(b)),
        w.raw(signedAttrs, contextTag(0)),
        w.raw(parts.signatureAlgorithm),
        w.primitive(Tag.OCTET_STRING, signature),
      ]);
      const signedData = w.constructed(Tag.SEQUENCE, [
        ...signedDataHead.map((b) => w.raw(b)),
        w.raw(encap),
        w.raw(parts.certificates),
        w.constructed(Tag.SET, [signerInfo]),
      ]);
      return w.write(w.constructed(Tag.SEQUENCE, [w.raw(signedDataType), w.constructed(contextTag(0), [signedData])]));
    },
  };
}

/** A node of the tree to write: a byte string as is (optionally re-tagged), or a TLV around nodes. */
type Node =
  | { kind: "raw"; bytes: Uint8Array; retag?: number; length: number }
  | { kind: "tlv"; tag: number; children: Node[]; bodyLength: number; length: number };

/** Sizes the tree bottom-up, then writes it into one buffer of exactly the right length. */
class Writer {
  raw(bytes: Uint8Array, retag?: number): Node {
    return retag === undefined
      ? { kind: "raw", bytes, length: bytes.length }
      : { kind: "raw", bytes, retag, length: bytes.length };
  }

  primitive(tag: number, value: Uint8Array): Node {
    return this.constructed(tag, [this.raw(value)]);
  }

  constructed(tag: number, children: Node[]): Node {
    let bodyLength = 0;
    for (const c of children) bodyLength += c.length;
    return { kind: "tlv", tag, children, bodyLength, length: 1 + lengthSize(bodyLength) + bodyLength };
  }

  write(root: Node): Uint8Array {
    const out = new Uint8Array(root.length);
    writeNode(out, 0, root);
    return out;
  }
}

function writeNode(out: Uint8Array, at: number, node: Node): number {
  if (node.kind === "raw") {
    out.set(node.bytes, at);
    if (node.retag !== undefined) out[at] = node.retag;
    return at + node.length;
  }
  out[at++] = node.tag;
  at = writeLength(out, at, node.bodyLength);
  for (const c of node.children) at = writeNode(out, at, c);
  return at;
}

/** Bytes of a DER definite length (X.690 §8.1.3): short form below 128, else 0x80|n then n bytes. */
function lengthSize(n: number): number {
  if (n < 0x80) return 1;
  let size = 1;
  for (let v = n; v > 0; v = Math.floor(v / 256)) size++;
  return size;
}

function writeLength(out: Uint8Array, at: number, n: number): number {
  const size = lengthSize(n);
  if (size === 1) {
    out[at] = n;
    return at + 1;
  }
  out[at] = 0x80 | (size - 1);
  for (let i = size - 1, v = n; i >= 1; i--, v = Math.floor(v / 256)) out[at + i] = v & 0xff;
  return at + size;
}
