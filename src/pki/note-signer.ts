import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { concatBytes } from "../domain/bytes.ts";
import {
  ED25519_KEY_TYPE,
  computeKeyId,
  formatVerifierKey as formatVkey,
  parseVerifierKey as parseVkey,
  type VerifierKey,
} from "../domain/archive/note-key.ts";
import {
  openNote,
  signNoteText,
  type NoteSigner,
  type NoteVerifier,
  type OpenedNote,
} from "../domain/archive/signed-note.ts";
import { KeyError } from "./key-error.ts";
import { sha256 } from "./merkle-hasher.ts";

/**
 * Ed25519 (RFC 8032) keys for C2SP signed notes (c2sp.org/signed-note, signature type 0x01): the
 * gateway signs its tlog-checkpoints with one, peers verify with its `<name>+<key ID>+<key>` vkey.
 */

/** A named note-signing key: the key name goes into every signature line and into the key ID. */
export interface NoteKey {
  readonly name: string;
  readonly privateKey: KeyObject;
}

// RFC 8410 §7 and §4: the fixed DER prefixes of an Ed25519 PKCS#8 private key and SPKI public key.
const PKCS8_PREFIX = Uint8Array.of(
  0x30,
  0x2e,
  0x02,
  0x01,
  0x00,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x04,
  0x22,
  0x04,
  0x20,
);
const SPKI_PREFIX = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00);

/** A fresh Ed25519 private key. */
export function generateNoteKey(): KeyObject {
  return generateKeyPairSync("ed25519").privateKey;
}

/** The private key as PKCS#8 PEM (RFC 8410 §7), for the gateway's key file. */
export function exportNoteKeyPem(privateKey: KeyObject): string {
  return privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

/** Loads an Ed25519 PKCS#8 PEM private key; KEY_UNREADABLE if it does not parse, KEY_UNSUPPORTED if not Ed25519. */
export function loadNoteKeyPem(pem: string | Uint8Array): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: typeof pem === "string" ? pem : new TextDecoder().decode(pem), format: "pem" });
  } catch (cause) {
    throw new KeyError("KEY_UNREADABLE", "not a PKCS#8 PEM private key", { cause });
  }
  return assertEd25519(key);
}

/** The Ed25519 private key of a 32-byte RFC 8032 seed (the form golang.org/x/mod/sumdb/note stores). */
export function noteKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new KeyError("KEY_UNREADABLE", "an Ed25519 seed has 32 bytes");
  return createPrivateKey({ key: Buffer.from(concatBytes([PKCS8_PREFIX, seed])), format: "der", type: "pkcs8" });
}

/** The raw 32-byte Ed25519 public key of a private or public KeyObject. */
export function publicKeyBytes(key: KeyObject): Uint8Array {
  const spki = createPublicKey(assertEd25519(key)).export({ type: "spki", format: "der" });
  return new Uint8Array(spki.subarray(SPKI_PREFIX.length));
}

/** c2sp.org/signed-note verifier key `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`. */
export function formatVerifierKey(name: string, publicKey: Uint8Array | KeyObject): string {
  const raw = publicKey instanceof Uint8Array ? publicKey : publicKeyBytes(publicKey);
  return formatVkey(sha256, name, ED25519_KEY_TYPE, raw);
}

/** Parses and checks a verifier key (ARCHIVE_KEY_MALFORMED / ARCHIVE_KEY_UNSUPPORTED). */
export function parseVerifierKey(vkey: string): VerifierKey {
  return parseVkey(sha256, vkey);
}

/** A signer for `signNoteText`, with the key ID derived from the key's public half. */
export function createNoteSigner(key: NoteKey): NoteSigner {
  const privateKey = assertEd25519(key.privateKey);
  const keyId = computeKeyId(sha256, key.name, ED25519_KEY_TYPE, publicKeyBytes(privateKey));
  return { name: key.name, keyId, sign: (message) => new Uint8Array(sign(null, message, privateKey)) };
}

/** A verifier for `openNote`; build once per vkey and reuse, key import is the slow part. */
export function createNoteVerifier(vkey: string): NoteVerifier {
  const { name, keyId, publicKey } = parseVerifierKey(vkey);
  const key = createPublicKey({ key: Buffer.from(concatBytes([SPKI_PREFIX, publicKey])), format: "der", type: "spki" });
  return {
    name,
    keyId,
    verify: (message, signature) => signature.length === 64 && verify(null, message, key, signature),
  };
}

/** c2sp.org/signed-note: signs `text` (ending in a newline) and returns the note. */
export function signNote(text: string, key: NoteKey): string {
  return signNoteText(text, [createNoteSigner(key)]);
}

/**
 * c2sp.org/signed-note: opens a note against verifier keys. Unknown keys are ignored; a known key's bad
 * signature throws ARCHIVE_SIGNATURE_INVALID; no verified signature throws ARCHIVE_NOTE_UNVERIFIED.
 */
export function verifyNote(note: string | Uint8Array, vkeys: readonly string[]): OpenedNote {
  return openNote(note, vkeys.map(createNoteVerifier));
}

function assertEd25519(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== "ed25519")
    throw new KeyError("KEY_UNSUPPORTED", `note keys are Ed25519, not ${key.asymmetricKeyType ?? key.type}`);
  return key;
}
