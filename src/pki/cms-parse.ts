import { compareBytes, concatBytes, toHex } from "../domain/bytes.ts";
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
  type Tlv,
} from "./der.ts";
import { OID } from "./oids.ts";

/** A SignerInfo as it stands on the wire (RFC 5652 §5.3), with the exact bytes signatures cover. */
export interface ParsedSignerInfo {
  version: number;
  sid: { kind: "issuerSerial"; issuer: Uint8Array; serialHex: string } | { kind: "ski"; skiHex: string };
  digestAlgorithm: string;
  /** Signed attributes re-tagged as SET (0x31): the bytes the signature value is computed over (§5.4). */
  signedAttrsDer?: Uint8Array;
  /** Attribute values by type; each value is its full DER encoding. */
  attributes: Map<string, Uint8Array[]>;
  /** Attribute types that occur more than once (RFC 5652 §5.3 forbids it for the ones we read). */
  repeatedAttributes: string[];
  /** Whether the attributes are in DER SET OF order (X.690 §11.6); pkijs-made seals often are not. */
  attributesSorted: boolean;
  signatureAlgorithm: string;
  signatureParams?: Uint8Array;
  signature: Uint8Array;
}

export interface ParsedSignedData {
  eContentType: string;
  /** Present for attached (encapsulated) content. */
  eContent?: Uint8Array;
  certificates: Uint8Array[];
  crls: Uint8Array[];
  signers: ParsedSignerInfo[];
}

/** Parse ContentInfo → SignedData. Throws DerError on anything malformed. */
export function parseSignedData(der: Uint8Array): ParsedSignedData {
  const ci = expectTlv(der, 0, Tag.SEQUENCE, "ContentInfo");
  if (ci.end !== der.length) throw new DerError("trailing bytes after ContentInfo");
  const ciParts = childrenOf(der, ci);
  const [typeTlv, wrapped] = ciParts;
  if (!typeTlv || decodeOid(der, typeTlv) !== OID.signedData) throw new DerError("ContentInfo is not signed-data");
  if (!wrapped || wrapped.tag !== contextTag(0) || ciParts.length !== 2)
    throw new DerError("ContentInfo content missing");
  const sd = expectTlv(der, wrapped.valueStart, Tag.SEQUENCE, "SignedData");
  if (sd.end !== contentEnd(der, wrapped)) throw new DerError("SignedData does not fill its [0] wrapper");
  const parts = childrenOf(der, sd);
  let i = 1; // version
  if (parts[0]?.tag !== Tag.INTEGER || !smallVersion(der, parts[0], [1, 3, 4, 5]))
    throw new DerError("SignedData version missing or not 1, 3, 4 or 5");
  const digestSet = parts[i++];
  if (digestSet?.tag !== Tag.SET) throw new DerError("SignedData digestAlgorithms missing");
  const encap = parts[i++];
  if (!encap || encap.tag !== Tag.SEQUENCE) throw new DerError("EncapsulatedContentInfo missing");
  const { eContentType, eContent } = parseEncap(der, encap);
  let certificates: Uint8Array[] = [];
  let crls: Uint8Array[] = [];
  if (parts[i]?.tag === contextTag(0))
    certificates = childrenOf(der, parts[i++]!)
      .filter((c) => c.tag === Tag.SEQUENCE)
      .map((c) => bytesOf(der, c));
  if (parts[i]?.tag === contextTag(1))
    crls = childrenOf(der, parts[i++]!)
      .filter((c) => c.tag === Tag.SEQUENCE)
      .map((c) => bytesOf(der, c));
  const signerSet = parts[i++];
  if (!signerSet || signerSet.tag !== Tag.SET) throw new DerError("SignedData signerInfos missing");
  if (i !== parts.length) throw new DerError("unexpected elements after signerInfos");
  const signers = childrenOf(der, signerSet).map((s) => parseSignerInfo(der, s));
  // RFC 5652 §5.1: digestAlgorithms lists the digest of every signer; these bytes are not signed,
  // so a seal whose list contradicts its SignerInfo has been altered or was built wrongly.
  const listed = childrenOf(der, digestSet).map((a) => {
    const oid = a.tag === Tag.SEQUENCE ? childrenOf(der, a)[0] : undefined;
    if (!oid) throw new DerError("malformed digestAlgorithms entry");
    return decodeOid(der, oid);
  });
  for (const si of signers)
    if (!listed.includes(si.digestAlgorithm))
      throw new DerError("SignerInfo digestAlgorithm is not listed in SignedData digestAlgorithms");
  return { eContentType, ...(eContent ? { eContent } : {}), certificates, crls, signers };
}

function parseEncap(der: Uint8Array, encap: Tlv): { eContentType: string; eContent?: Uint8Array } {
  const [typeTlv, contentTlv] = childrenOf(der, encap);
  if (!typeTlv) throw new DerError("eContentType missing");
  const eContentType = decodeOid(der, typeTlv);
  if (!contentTlv) return { eContentType };
  if (contentTlv.tag !== contextTag(0)) throw new DerError("eContent has the wrong tag");
  const octets = readTlv(der, contentTlv.valueStart, contentTlv.end);
  if (octets.end !== contentEnd(der, contentTlv) || childrenOf(der, encap).length !== 2)
    throw new DerError("eContent does not fill its [0] wrapper");
  if (octets.tag === Tag.OCTET_STRING) return { eContentType, eContent: valueOf(der, octets) };
  // BER constructed OCTET STRING (0x24): the content is the concatenation of its segments.
  if (octets.tag === (Tag.OCTET_STRING | 0x20)) {
    return { eContentType, eContent: concatBytes(childrenOf(der, octets).map((c) => valueOf(der, c))) };
  }
  throw new DerError("eContent is not an OCTET STRING");
}

/** End of a constructed TLV's contents (before the end-of-contents octets of an indefinite length). */
function contentEnd(der: Uint8Array, t: Tlv): number {
  return der[t.start + 1] === 0x80 ? t.end - 2 : t.end;
}

/** A version INTEGER of one content octet among `allowed`. */
function smallVersion(der: Uint8Array, t: Tlv, allowed: number[]): boolean {
  const v = valueOf(der, t);
  return v.length === 1 && allowed.includes(v[0]!);
}

function parseSignerInfo(der: Uint8Array, s: Tlv): ParsedSignerInfo {
  if (s.tag !== Tag.SEQUENCE) throw new DerError("SignerInfo is not a SEQUENCE");
  const f = childrenOf(der, s);
  let i = 0;
  const versionTlv = f[i++];
  if (versionTlv?.tag !== Tag.INTEGER) throw new DerError("SignerInfo version missing");
  const sidTlv = f[i++];
  if (!sidTlv) throw new DerError("SignerInfo sid missing");
  const sid = parseSid(der, sidTlv);
  // RFC 5652 §5.3: version 1 with issuerAndSerialNumber, 3 with subjectKeyIdentifier.
  if (!smallVersion(der, versionTlv, [sid.kind === "ski" ? 3 : 1]))
    throw new DerError("SignerInfo version does not match its sid");
  const digestTlv = f[i++];
  if (digestTlv?.tag !== Tag.SEQUENCE) throw new DerError("SignerInfo digestAlgorithm missing");
  const digestAlgorithm = decodeOid(der, childrenOf(der, digestTlv)[0] ?? digestTlv);
  let signedAttrsDer: Uint8Array | undefined;
  const attributes = new Map<string, Uint8Array[]>();
  const repeatedAttributes: string[] = [];
  let attributesSorted = true;
  if (f[i]?.tag === contextTag(0)) {
    const attrsTlv = f[i++]!;
    signedAttrsDer = bytesOf(der, attrsTlv).slice();
    signedAttrsDer[0] = Tag.SET;
    let previous: Uint8Array | undefined;
    for (const a of childrenOf(der, attrsTlv)) {
      const encoded = bytesOf(der, a);
      if (previous && compareBytes(previous, encoded) > 0) attributesSorted = false;
      previous = encoded;
      const [typeTlv, valuesTlv] = childrenOf(der, a);
      if (!typeTlv || valuesTlv?.tag !== Tag.SET) throw new DerError("malformed signed attribute");
      const type = decodeOid(der, typeTlv);
      if (attributes.has(type)) repeatedAttributes.push(type);
      attributes.set(
        type,
        childrenOf(der, valuesTlv).map((v) => bytesOf(der, v)),
      );
    }
  }
  const sigAlgTlv = f[i++];
  if (sigAlgTlv?.tag !== Tag.SEQUENCE) throw new DerError("SignerInfo signatureAlgorithm missing");
  const [sigOid, sigParams] = childrenOf(der, sigAlgTlv);
  if (!sigOid) throw new DerError("signatureAlgorithm OID missing");
  const sigTlv = f[i++];
  if (sigTlv?.tag !== Tag.OCTET_STRING) throw new DerError("SignerInfo signature missing");
  return {
    version: valueOf(der, versionTlv)[0] ?? 0,
    sid,
    digestAlgorithm,
    ...(signedAttrsDer ? { signedAttrsDer } : {}),
    attributes,
    repeatedAttributes,
    attributesSorted,
    signatureAlgorithm: decodeOid(der, sigOid),
    ...(sigParams && sigParams.tag !== Tag.NULL ? { signatureParams: bytesOf(der, sigParams) } : {}),
    signature: valueOf(der, sigTlv),
  };
}

function parseSid(der: Uint8Array, t: Tlv): ParsedSignerInfo["sid"] {
  if (t.tag === Tag.SEQUENCE) {
    const [issuer, serial] = childrenOf(der, t);
    if (issuer?.tag !== Tag.SEQUENCE || serial?.tag !== Tag.INTEGER)
      throw new DerError("malformed IssuerAndSerialNumber");
    return { kind: "issuerSerial", issuer: bytesOf(der, issuer), serialHex: integerHex(der, serial) };
  }
  if (t.tag === contextTag(0, false)) return { kind: "ski", skiHex: toHex(valueOf(der, t)) };
  throw new DerError("unknown SignerIdentifier");
}
