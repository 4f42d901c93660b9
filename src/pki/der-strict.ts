import { sameBytes } from "../domain/bytes.ts";
import { DerError, Tag, bytesOf, childrenOf, decodeOid, decodeTime, readTlv, valueOf, type Tlv } from "./der.ts";

/**
 * Strict DER (X.690 §10) for certificates, as the seal engine requires of every certificate a seal
 * carries (issue 9 item 6). @peculiar/x509 (asn1js) and OpenSSL accept some BER, so a certificate that
 * "parses" there may still be bytes no strict reader (the evidence pack's verifier, years later) takes.
 * Checked once per distinct certificate (certInfo caches by the exact bytes), never on the cached path.
 */
const MAX_DEPTH = 24;

/** Throws DerError unless `der` is one X.509 Certificate in DER with consistent signature algorithms. */
export function assertStrictCertificate(der: Uint8Array): void {
  const outer = readTlv(der, 0);
  if (outer.end !== der.length) throw new DerError("trailing bytes after Certificate");
  walk(der, outer, 0);
  const parts = childrenOf(der, outer);
  const [tbs, sigAlg, sig] = parts;
  if (parts.length !== 3 || tbs?.tag !== Tag.SEQUENCE || sigAlg?.tag !== Tag.SEQUENCE || sig?.tag !== Tag.BIT_STRING) {
    throw new DerError("Certificate is not SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }");
  }
  const fields = childrenOf(der, tbs);
  const versioned = fields[0]?.tag === 0xa0;
  if (versioned) assertVersion(der, fields[0]!);
  const inner = fields[versioned ? 2 : 1];
  // RFC 5280 §4.1.1.2: the unsigned outer algorithm must repeat the signed one, byte for byte.
  if (!inner || !sameBytes(bytesOf(der, inner), bytesOf(der, sigAlg)))
    throw new DerError("signatureAlgorithm differs from tbsCertificate.signature");
  const extensions = fields.find((f) => f.tag === 0xa3);
  if (extensions) assertExtensions(der, extensions);
}

/** Version is [0] EXPLICIT INTEGER DEFAULT v1: DER omits v1, so only v2 (1) or v3 (2) may appear. */
function assertVersion(der: Uint8Array, t: Tlv): void {
  const [v, extra] = childrenOf(der, t);
  const value = v?.tag === Tag.INTEGER ? valueOf(der, v) : undefined;
  if (extra || value?.length !== 1 || (value[0] !== 1 && value[0] !== 2))
    throw new DerError("certificate version is not an explicit v2 or v3");
}

/** Each extnValue is itself DER; `critical` DEFAULT FALSE is present only when TRUE. */
function assertExtensions(der: Uint8Array, wrapper: Tlv): void {
  const [list, extra] = childrenOf(der, wrapper);
  if (list?.tag !== Tag.SEQUENCE || extra) throw new DerError("extensions are not one SEQUENCE");
  for (const ext of childrenOf(der, list)) {
    const f = childrenOf(der, ext);
    const value = f[f.length - 1];
    if (f.length < 2 || f.length > 3 || f[0]?.tag !== Tag.OID || value?.tag !== Tag.OCTET_STRING)
      throw new DerError("malformed Extension");
    if (f.length === 3 && (f[1]!.tag !== Tag.BOOLEAN || der[f[1]!.valueStart] !== 0xff))
      throw new DerError("Extension critical flag encodes the default FALSE");
    const octets = valueOf(der, value);
    const t = readTlv(octets, 0);
    if (t.end !== octets.length) throw new DerError("extnValue has trailing bytes");
    walk(octets, t, 0);
  }
}

/** Throws DerError unless the TLV `t` and everything below it is DER (GB/T 38540 structures, issue 16). */
export function assertStrictDer(b: Uint8Array, t: Tlv): void {
  walk(b, t, 0);
}

/** Every TLV below `t`: definite minimal lengths, DER primitive/constructed forms, canonical values. */
function walk(b: Uint8Array, t: Tlv, depth: number): void {
  if (depth > MAX_DEPTH) throw new DerError("nesting too deep");
  assertMinimalLength(b, t);
  const constructed = (t.tag & 0x20) !== 0;
  const universal = (t.tag & 0xc0) === 0;
  if (universal) {
    const n = t.tag & 0x1f;
    if (n === 0) throw new DerError(`end-of-contents outside an indefinite length at ${t.start}`);
    if ((n === 0x10 || n === 0x11) !== constructed)
      throw new DerError(`tag 0x${t.tag.toString(16)} in the wrong form at ${t.start}`);
    if (!constructed) {
      assertPrimitive(b, t);
      return;
    }
  }
  if (constructed) for (const c of childrenOf(b, t)) walk(b, c, depth + 1);
}

function assertMinimalLength(b: Uint8Array, t: Tlv): void {
  if (b[t.start + 1] === 0x80) throw new DerError(`indefinite length at ${t.start}`);
  if (!isDerLength(b, t)) throw new DerError(`length not in minimal form at ${t.start}`);
}

/** Whether the TLV `t` has a DER length: definite, short form below 0x80, else minimal long form. */
export function isDerLength(b: Uint8Array, t: Tlv): boolean {
  const first = b[t.start + 1]!;
  if (first === 0x80) return false;
  if (first < 0x80) return true;
  return b[t.start + 2] !== 0 && t.end - t.valueStart >= 0x80;
}

function assertPrimitive(b: Uint8Array, t: Tlv): void {
  const v = valueOf(b, t);
  const bad = (why: string) => new DerError(`${why} at ${t.start}`);
  switch (t.tag) {
    case Tag.BOOLEAN:
      if (v.length !== 1 || (v[0] !== 0 && v[0] !== 0xff)) throw bad("BOOLEAN is not 00 or FF");
      return;
    case Tag.INTEGER:
    case Tag.ENUMERATED:
      if (v.length === 0 || (v.length > 1 && ((v[0] === 0 && v[1]! < 0x80) || (v[0] === 0xff && v[1]! >= 0x80))))
        throw bad("INTEGER not in minimal form");
      return;
    case Tag.BIT_STRING:
      if (v.length === 0 || v[0]! > 7 || (v.length === 1 && v[0] !== 0)) throw bad("malformed BIT STRING");
      if (v.length > 1 && (v[v.length - 1]! & ((1 << v[0]!) - 1)) !== 0)
        throw bad("BIT STRING unused bits are not zero");
      return;
    case Tag.NULL:
      if (v.length !== 0) throw bad("NULL with contents");
      return;
    case Tag.OID:
      decodeOid(b, t);
      return;
    case Tag.UTC_TIME:
    case Tag.GENERALIZED_TIME:
      decodeTime(b, t);
      return;
    case Tag.UTF8_STRING:
      try {
        utf8.decode(v);
      } catch {
        throw bad("UTF8String is not UTF-8");
      }
      return;
    case Tag.IA5_STRING:
      if (!v.every((c) => c < 0x80)) throw bad("IA5String with a non-ASCII byte");
      return;
  }
}

// Character repertoires (PrintableString's set, say) are left to the X.509 parsers: some issuing CAs
// stretch them, and refusing their certificates would buy nothing for the archive.
const utf8 = new TextDecoder("utf-8", { fatal: true });
