import { compareBytes, concatBytes } from "../domain/bytes.ts";
import { Tag } from "./der.ts";

/**
 * DER encoding helpers for building CMS (X.690 §10). Hand-written because the sealing path runs for
 * every document and receipt the gateway issues: pkijs re-parses and re-encodes through asn1js and
 * does not sort SET OF signed attributes (pkijs #402), which DER and CAdES verifiers require.
 */

function lengthBytes(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = content.length === 1 ? content[0]! : concatBytes(content);
  return concatBytes([Uint8Array.of(tag), lengthBytes(body.length), body]);
}

export const seq = (...items: Uint8Array[]) => tlv(Tag.SEQUENCE, ...items);

/** SET OF with its elements sorted by encoding, as DER requires (X.690 §11.6). */
export function setOf(...items: Uint8Array[]): Uint8Array {
  return tlv(Tag.SET, ...[...items].sort(compareBytes));
}

export function oid(dotted: string): Uint8Array {
  const parts = dotted.split(".").map(Number);
  const out: number[] = [];
  // The first two arcs share one subidentifier (X.690 §8.19.4), base-128 like the rest: 2.999 → 1079.
  for (const n of [parts[0]! * 40 + parts[1]!, ...parts.slice(2)]) {
    const chunk: number[] = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(Tag.OID, Uint8Array.from(out));
}

/** INTEGER from unsigned big-endian bytes (adds the sign-padding zero when needed). */
export function unsignedInteger(bytes: Uint8Array): Uint8Array {
  let v = bytes;
  while (v.length > 1 && v[0] === 0 && (v[1]! & 0x80) === 0) v = v.subarray(1);
  if ((v[0]! & 0x80) !== 0) v = concatBytes([Uint8Array.of(0), v]);
  return tlv(Tag.INTEGER, v);
}

export function smallInteger(n: number): Uint8Array {
  return tlv(Tag.INTEGER, Uint8Array.of(n));
}

export const octetString = (v: Uint8Array) => tlv(Tag.OCTET_STRING, v);
/** A BIT STRING of whole bytes (no unused bits): keys and signatures. */
export const bitString = (v: Uint8Array) => tlv(Tag.BIT_STRING, Uint8Array.of(0), v);
export const nullValue = () => Uint8Array.of(Tag.NULL, 0);
export const explicit = (n: number, ...content: Uint8Array[]) => tlv(0xa0 | n, ...content);
export const implicitConstructed = (n: number, ...content: Uint8Array[]) => tlv(0xa0 | n, ...content);

/** Signing time: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5652 §11.3). */
export function time(d: Date): Uint8Array {
  const year = d.getUTCFullYear();
  if (year >= 1950 && year < 2050) return utcTime(d, year);
  const iso = d.toISOString();
  const digits = iso.slice(0, 19).replace(/[-T:]/g, "");
  return tlv(Tag.GENERALIZED_TIME, new TextEncoder().encode(digits + "Z"));
}

/** YYMMDDHHMMSSZ written digit by digit: every seal and receipt encodes one (test/pki/der.test.ts pins the bytes). */
function utcTime(d: Date, year: number): Uint8Array {
  const out = new Uint8Array(15);
  out[0] = Tag.UTC_TIME;
  out[1] = 13;
  const fields = [
    year % 100,
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  ];
  for (let i = 0; i < 6; i++) {
    out[2 + 2 * i] = 0x30 + Math.floor(fields[i]! / 10);
    out[3 + 2 * i] = 0x30 + (fields[i]! % 10);
  }
  out[14] = 0x5a; // Z
  return out;
}
