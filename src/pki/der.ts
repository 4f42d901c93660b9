/**
 * A minimal ASN.1 DER reader and writer (X.690). The verification hot path walks CMS bytes with this
 * instead of asn1js/pkijs: parsing through asn1js costs ~1 ms per 1.7 KB SignedData and dominates
 * verification (docs/references.md "Library pitfalls": 34–45 % of CPU), while a TLV walk costs microseconds
 * and keeps the original signedAttrs bytes that the signature covers. test/pki/der.test.ts cross-checks it
 * with asn1js.
 */
import { toHex } from "../domain/bytes.ts";

export class DerError extends Error {
  override name = "DerError";
}

/** One tag-length-value: `start` is the tag byte, `valueStart`..`end` the contents. */
export interface Tlv {
  tag: number;
  start: number;
  valueStart: number;
  end: number;
}

export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tag number n, constructed or primitive ([n] in ASN.1 notation). */
export function contextTag(n: number, constructed = true): number {
  return (constructed ? 0xa0 : 0x80) | n;
}

/**
 * Read the TLV at `pos`. Indefinite lengths (BER, as some signers emit for the outer CMS layers) are
 * accepted for constructed values; signed attributes and certificates must be DER anyway because
 * signatures are checked over their exact bytes.
 */
export function readTlv(b: Uint8Array, pos: number, limit: number = b.length): Tlv {
  if (pos + 2 > limit) throw new DerError(`truncated header at ${pos}`);
  const tag = b[pos]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError(`high tag numbers are not supported (at ${pos})`);
  let len = b[pos + 1]!;
  let p = pos + 2;
  if (len === 0x80) {
    if ((tag & 0x20) === 0) throw new DerError(`indefinite length on a primitive value at ${pos}`);
    return readIndefinite(b, tag, pos, p, limit);
  }
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n > 4) throw new DerError(`length of ${n} bytes at ${pos}`);
    if (p + n > limit) throw new DerError(`truncated length at ${pos}`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p++]!;
  }
  const end = p + len;
  if (end > limit) throw new DerError(`value overruns its container at ${pos}`);
  return { tag, start: pos, valueStart: p, end };
}

function readIndefinite(b: Uint8Array, tag: number, start: number, valueStart: number, limit: number): Tlv {
  let p = valueStart;
  for (let guard = 0; guard < 100_000; guard++) {
    if (p + 2 > limit) throw new DerError(`unterminated indefinite length at ${start}`);
    if (b[p] === 0 && b[p + 1] === 0) return { tag, start, valueStart, end: p + 2 };
    p = readTlv(b, p, limit).end;
  }
  throw new DerError(`too many elements at ${start}`);
}

/** Value bytes of a TLV; for indefinite lengths the end-of-contents octets are excluded. */
export function valueOf(b: Uint8Array, t: Tlv): Uint8Array {
  const end = b[t.start + 1] === 0x80 ? t.end - 2 : t.end;
  return b.subarray(t.valueStart, end);
}

/** The whole encoding (tag, length and value) of a TLV. */
export function bytesOf(b: Uint8Array, t: Tlv): Uint8Array {
  return b.subarray(t.start, t.end);
}

/** Children of a constructed TLV. */
export function childrenOf(b: Uint8Array, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  const end = b[t.start + 1] === 0x80 ? t.end - 2 : t.end;
  for (let p = t.valueStart; p < end; ) {
    const c = readTlv(b, p, end);
    out.push(c);
    p = c.end;
  }
  return out;
}

/** Read a TLV and insist on its tag. */
export function expectTlv(b: Uint8Array, pos: number, tag: number, what: string, limit?: number): Tlv {
  const t = readTlv(b, pos, limit);
  if (t.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, found 0x${t.tag.toString(16)}`);
  return t;
}

const oidMemo = new Map<string, string>();

/** Dotted form of an OID. Memoised: the same dozen OIDs recur in every seal on the hot path. */
export function decodeOid(b: Uint8Array, t: Tlv): string {
  if (t.tag !== Tag.OID) throw new DerError(`expected an OID at ${t.start}`);
  const v = valueOf(b, t);
  if (v.length === 0) throw new DerError(`empty OID at ${t.start}`);
  if (v.length > 64) return decodeOidBytes(v);
  const key = String.fromCharCode.apply(null, v as unknown as number[]);
  let dotted = oidMemo.get(key);
  if (dotted === undefined) {
    dotted = decodeOidBytes(v);
    if (oidMemo.size < 4096) oidMemo.set(key, dotted);
  }
  return dotted;
}

function decodeOidBytes(v: Uint8Array): string {
  // X.690 §8.19.2: each arc ends on a byte without the high bit and has no leading 0x80 padding.
  if ((v[v.length - 1]! & 0x80) !== 0) throw new DerError("OID ends inside an arc");
  const parts: number[] = [];
  let acc = 0;
  for (let i = 0; i < v.length; i++) {
    const byte = v[i]!;
    if (byte === 0x80 && (i === 0 || (v[i - 1]! & 0x80) === 0))
      throw new DerError("OID arc with a leading 0x80 (not minimal)");
    acc = acc * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      parts.push(acc);
      acc = 0;
    }
  }
  const first = parts.shift()!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...parts].join(".");
}

/** UTCTime (RFC 5280: YY < 50 → 20YY) or GeneralizedTime, in the Z form DER requires. */
// decode() without { stream } keeps no state between calls, so one decoder serves every call.
const timeDecoder = new TextDecoder();

export function decodeTime(b: Uint8Array, t: Tlv): Date {
  const s = timeDecoder.decode(valueOf(b, t));
  const m =
    t.tag === Tag.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
      : t.tag === Tag.GENERALIZED_TIME
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(s)
        : null;
  if (!m) throw new DerError(`unsupported time value '${s}'`);
  let year = Number(m[1]);
  if (t.tag === Tag.UTC_TIME) year += year < 50 ? 2000 : 1900;
  const d = new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  // Date.UTC rolls over out-of-range fields (month 13 → January next year): refuse instead.
  const roundTrips =
    d.getUTCFullYear() === year &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3]) &&
    d.getUTCHours() === Number(m[4]) &&
    d.getUTCMinutes() === Number(m[5]) &&
    d.getUTCSeconds() === Number(m[6]);
  if (Number.isNaN(d.getTime()) || !roundTrips) throw new DerError(`invalid time value '${s}'`);
  return d;
}

/** Big-endian unsigned integer contents without the sign-padding zero, as lowercase hex. */
export function integerHex(b: Uint8Array, t: Tlv): string {
  let v = valueOf(b, t);
  while (v.length > 1 && v[0] === 0) v = v.subarray(1);
  return toHex(v);
}
