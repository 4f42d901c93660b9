/**
 * The one home of byte helpers, for every layer (the archive core, pki, the adapters), without `node:*`:
 * strict RFC 4648 §4 base64, lowercase hex, UTF-8, concatenation, and two equalities — `bytesEqual`
 * in constant time for digests and MACs, `sameBytes` with a native fast path for public bytes.
 */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Whether `text` has the shape of RFC 4648 §4 base64 with padding (sealed-document.schema.json's `seal` pattern). */
export function isBase64(text: string): boolean {
  return BASE64.test(text);
}

/** RFC 4648 §4 standard base64 with padding. */
export function toBase64(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : "=";
    out += i + 2 < bytes.length ? ALPHABET[n & 63]! : "=";
  }
  return out;
}

/**
 * Strict RFC 4648 §4 decoding: padding required, no whitespace, and canonical (zero) trailing bits, so
 * every byte string has exactly one accepted encoding. Returns undefined for anything else.
 */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  for (let i = 0, o = 0; i < text.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) n = (n << 6) | Math.max(0, DECODE[text.charCodeAt(i + k)]!); // '=' counts as 0
    for (const shift of [16, 8, 0]) if (o < out.length) out[o++] = (n >> shift) & 255;
  }
  return toBase64(out) === text ? out : undefined;
}

/** Lowercase hex. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/** Hex (either case, even length) to bytes; undefined for anything else. */
export function fromHex(text: string): Uint8Array | undefined {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Equality of two byte strings in time independent of where they differ. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Equality of public bytes (names, certificates, content): nothing secret, so no constant-time need.
 * Certificates are compared on every verification (cache look-ups, unused-certificate check): Node's
 * native Buffer.compare takes ~0.1 µs for 1 KB where the loop takes ~1 µs; the loop stays for short
 * inputs and for runtimes without a global Buffer.
 */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  if (nativeCompare && a.length > 48) return nativeCompare(a, b) === 0;
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return false;
  return true;
}

// Probed, never required: the domain runs where no Buffer exists (workerd without nodejs_compat).
const NodeBuffer = (globalThis as { Buffer?: { compare(a: Uint8Array, b: Uint8Array): number } }).Buffer;
const nativeCompare = NodeBuffer ? NodeBuffer.compare.bind(NodeBuffer) : undefined;

/** Lexicographic order of byte strings (a shorter prefix first): DER's SET OF order (X.690 §11.6). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Concatenation of byte strings; an array, not rest parameters, so a list of any length fits (no spread limit). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const encoder = new TextEncoder();
/** UTF-8 encoding of a string. */
export const utf8 = (text: string): Uint8Array => encoder.encode(text);
