import { bytesEqual, concatBytes, fromBase64, fromHex, toBase64, toHex, utf8 } from "../bytes.ts";
import { ArchiveError } from "./errors.ts";
import type { Digest } from "./hasher.ts";

/**
 * C2SP signed-note keys (c2sp.org/signed-note "Signatures", "Verifier keys"): key names, key IDs and
 * the `<name>+<hex key ID>+<base64(type ‖ public key)>` verifier key encoding. SHA-256 is injected.
 */

/** c2sp.org/signed-note signature type of Ed25519 (RFC 8032) keys. */
export const ED25519_KEY_TYPE = 0x01;

/** A parsed verifier key. */
export interface VerifierKey {
  readonly name: string;
  /** First four bytes of SHA-256(name ‖ 0x0A ‖ type ‖ public key). */
  readonly keyId: Uint8Array;
  readonly type: number;
  /** The raw public key, without the type byte (32 bytes for Ed25519). */
  readonly publicKey: Uint8Array;
}

/** c2sp.org/signed-note: a key name is non-empty, has no Unicode whitespace and no `+`. */
export function isValidKeyName(name: string): boolean {
  return typeof name === "string" && name !== "" && !/[\s+]/u.test(name) && !/[\u0000-\u001f]/.test(name);
}

/** c2sp.org/signed-note: key ID = SHA-256(key name ‖ 0x0A ‖ signature type ‖ public key)[:4]. */
export function computeKeyId(sha256: Digest, name: string, type: number, publicKey: Uint8Array): Uint8Array {
  return sha256(concatBytes([utf8(name), Uint8Array.of(0x0a, type), publicKey])).slice(0, 4);
}

/** c2sp.org/signed-note verifier key: `<name>+<hex key ID>+<base64(type ‖ public key)>`. */
export function formatVerifierKey(sha256: Digest, name: string, type: number, publicKey: Uint8Array): string {
  if (!isValidKeyName(name))
    throw new ArchiveError("ARCHIVE_KEY_MALFORMED", "key names must be non-empty, without spaces or '+'");
  assertKeyLength(type, publicKey);
  const keyId = computeKeyId(sha256, name, type, publicKey);
  return `${name}+${toHex(keyId)}+${toBase64(concatBytes([Uint8Array.of(type), publicKey]))}`;
}

/** Parses a verifier key, checking the key ID against the name and key; only Ed25519 (0x01) is supported. */
export function parseVerifierKey(sha256: Digest, vkey: string): VerifierKey {
  const [name, idHex, keyB64] = chop(typeof vkey === "string" ? vkey : "");
  const keyId = idHex?.length === 8 ? fromHex(idHex) : undefined;
  const typed = keyB64 === undefined ? undefined : fromBase64(keyB64);
  if (name === undefined || !isValidKeyName(name) || keyId === undefined || typed === undefined || typed.length < 2) {
    throw new ArchiveError("ARCHIVE_KEY_MALFORMED", "not a verifier key of the form <name>+<hex key ID>+<base64 key>");
  }
  const [type, publicKey] = [typed[0]!, typed.subarray(1)];
  assertKeyLength(type, publicKey);
  if (!bytesEqual(keyId, computeKeyId(sha256, name, type, publicKey))) {
    throw new ArchiveError("ARCHIVE_KEY_MALFORMED", `key ID ${idHex} does not match the key name and public key`);
  }
  return { name, keyId, type, publicKey: publicKey.slice() };
}

/** Splits at the first two `+` (the base64 key may itself contain `+`). */
function chop(vkey: string): [string?, string?, string?] {
  const a = vkey.indexOf("+");
  const b = a < 0 ? -1 : vkey.indexOf("+", a + 1);
  return b < 0 ? [] : [vkey.slice(0, a), vkey.slice(a + 1, b), vkey.slice(b + 1)];
}

function assertKeyLength(type: number, publicKey: Uint8Array): void {
  if (type !== ED25519_KEY_TYPE)
    throw new ArchiveError("ARCHIVE_KEY_UNSUPPORTED", `signature type 0x${type.toString(16)} is not supported`);
  if (publicKey.length !== 32) throw new ArchiveError("ARCHIVE_KEY_MALFORMED", "an Ed25519 public key has 32 bytes");
}
