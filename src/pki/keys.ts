import { createPrivateKey, type KeyObject } from "node:crypto";
import { KeyError, assertKeyMatchesCertificate, keyMatchesCertificate, parseCertificate } from "./key-error.ts";
import { importPkcs12 } from "./pkcs12.ts";
import { assertSm2KeyMatches, readSm2KeyDer, sm2KeyMatches, sm2Loaded, sm2OfKeyObject } from "./keys-sm2.ts";
import type { Sm2PrivateKey } from "./sm2.ts";

/**
 * Loading seal keys and certificates from the files people actually have: PKCS#8 PEM (plain or
 * encrypted), SEC1 "EC PRIVATE KEY" and PKCS#1 "RSA PRIVATE KEY" PEM, PKCS#8 DER, and PKCS#12.
 * Keys end up as node:crypto KeyObjects (what nodejs_compat offers in workerd too). SM2 keys (issue 16) come
 * in the same containers, plus OpenSSL's "SM2 PRIVATE KEY" label; they are read a second time into `sm2`, since
 * Node cannot sign SM2 with the standard signer ID (sm2.ts).
 */

export { KeyError, assertKeyMatchesCertificate, keyMatchesCertificate, type KeyErrorCode } from "./key-error.ts";

export interface LoadedKey {
  /** For an SM2 key, a KeyObject Node can hold but not sign SES with: use `sm2`. */
  privateKey: KeyObject;
  /** Set iff the key is SM2 (id-ecPublicKey on the SM2 curve, GB/T 32918). */
  sm2?: Sm2PrivateKey;
  /** DER of the key's own certificate, when the file (or the caller) supplied one. */
  certificate?: Uint8Array;
  /** Further certificates (DER) that came with the key, e.g. the issuing chain in a .p12. */
  chain: Uint8Array[];
}

export interface LoadKeyOptions {
  password?: string;
  /** A certificate the key must match (KEY_CERT_MISMATCH otherwise); it becomes `certificate`. */
  certificate?: Uint8Array;
}

interface PemBlock {
  label: string;
  text: string;
  der: Uint8Array;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
const KEY_LABELS = new Set([
  "PRIVATE KEY",
  "ENCRYPTED PRIVATE KEY",
  "EC PRIVATE KEY",
  "RSA PRIVATE KEY",
  "SM2 PRIVATE KEY", // `openssl ec` writes SEC1 SM2 keys under this label
]);

export async function loadPrivateKey(bytes: Uint8Array, options: LoadKeyOptions = {}): Promise<LoadedKey> {
  const loaded = looksLikePem(bytes) ? loadPem(bytes, options.password) : await loadDer(bytes, options.password);
  if (options.certificate) {
    if (loaded.certificate) loaded.chain.unshift(loaded.certificate);
    loaded.certificate = options.certificate;
  }
  if (loaded.certificate) {
    if (loaded.sm2) assertSm2KeyMatches(loaded.sm2, loaded.certificate);
    else assertKeyMatchesCertificate(loaded.privateKey, loaded.certificate);
  }
  return loaded;
}

/** A key with its SM2 reading when the platform decoded an SM2 key (encrypted PKCS#8, PKCS#12). */
function withSm2(privateKey: KeyObject, chain: Uint8Array[] = []): LoadedKey {
  const sm2 = sm2OfKeyObject(privateKey);
  return sm2 ? { privateKey, sm2, chain } : { privateKey, chain };
}

/** Certificates from PEM (any number of CERTIFICATE blocks, other blocks ignored) or one DER certificate. */
export function loadCertificates(bytes: Uint8Array): Uint8Array[] {
  const ders = looksLikePem(bytes)
    ? pemBlocks(bytes)
        .filter((b) => b.label === "CERTIFICATE")
        .map((b) => b.der)
    : [bytes];
  if (ders.length === 0) throw new KeyError("KEY_CERT_UNREADABLE", "no CERTIFICATE block in the PEM file");
  for (const der of ders) parseCertificate(der);
  return ders;
}

function loadPem(bytes: Uint8Array, password: string | undefined): LoadedKey {
  const blocks = pemBlocks(bytes);
  const keyBlock = blocks.find((b) => KEY_LABELS.has(b.label));
  if (!keyBlock) throw new KeyError("KEY_UNREADABLE", "no private key block in the PEM file");
  const encrypted = keyBlock.label === "ENCRYPTED PRIVATE KEY";
  // A combined PEM may carry the key's certificate and its chain after the key.
  const certs = blocks.filter((b) => b.label === "CERTIFICATE").map((b) => b.der);
  const sm2 = encrypted ? undefined : readSm2KeyDer(keyBlock.der);
  if (sm2) return splitCertificates(sm2Loaded(sm2), certs);
  const privateKey = decodeKey(
    () => createPrivateKey({ key: keyBlock.text, format: "pem", passphrase: password }),
    password,
    encrypted,
  );
  return splitCertificates(withSm2(privateKey), certs);
}

async function loadDer(bytes: Uint8Array, password: string | undefined): Promise<LoadedKey> {
  if (looksLikePfx(bytes)) return loadPkcs12(bytes, password);
  const key = Buffer.from(bytes);
  const encrypted = looksLikeEncryptedPkcs8(bytes);
  const sm2 = encrypted ? undefined : readSm2KeyDer(bytes);
  if (sm2) return sm2Loaded(sm2);
  const privateKey = decodeKey(
    () =>
      createPrivateKey({ key, format: "der", type: encrypted ? "pkcs8" : guessDerType(bytes), passphrase: password }),
    password,
    encrypted,
  );
  return withSm2(privateKey);
}

async function loadPkcs12(bytes: Uint8Array, password: string | undefined): Promise<LoadedKey> {
  if (password === undefined) throw new KeyError("KEY_PASSWORD_REQUIRED", "a PKCS#12 file needs --pass");
  const bundle = await importPkcs12(bytes, password);
  const privateKey = decodeKey(
    () => createPrivateKey({ key: Buffer.from(bundle.privateKeyPkcs8), format: "der", type: "pkcs8" }),
    password,
  );
  const loaded = withSm2(privateKey, bundle.chain);
  if (bundle.certificate) loaded.certificate = bundle.certificate;
  return loaded;
}

/** Not a copy: an SM2 LoadedKey's `privateKey` is made on first read (keys-sm2.ts) and must stay so. */
function splitCertificates(key: LoadedKey, certs: Uint8Array[]): LoadedKey {
  const own = certs.find((c) => (key.sm2 ? sm2KeyMatches(key.sm2, c) : keyMatchesCertificate(key.privateKey, c)));
  key.chain = certs.filter((c) => c !== own);
  if (own) key.certificate = own;
  return key;
}

/**
 * Map OpenSSL's decoder errors onto codes: missing or wrong passphrase versus plain garbage. PBES2 has no
 * integrity check: a wrong password leaves valid CBC padding about one time in 256 and then fails as
 * unparsable key bytes, not as a bad decrypt — so any failure of an encrypted PKCS#8 key given a password
 * is a wrong password (or a damaged file, which the message says).
 */
function decodeKey(decode: () => KeyObject, password: string | undefined, encrypted = false): KeyObject {
  try {
    return decode();
  } catch (cause) {
    const code = (cause as { code?: string }).code ?? "";
    const message = cause instanceof Error ? cause.message : "";
    // OpenSSL 3 reports a missing passphrase as an interrupted password callback.
    if (code === "ERR_MISSING_PASSPHRASE" || (password === undefined && /INTERRUPTED_OR_CANCELLED/.test(code)))
      throw new KeyError("KEY_PASSWORD_REQUIRED", "the key is encrypted: give its password", { cause });
    if (
      password !== undefined &&
      (encrypted || /bad decrypt|BAD_DECRYPT|wrong password|unable to decrypt/i.test(`${code} ${message}`))
    ) {
      throw new KeyError("KEY_PASSWORD_WRONG", "wrong password for the encrypted key (or a damaged file)", { cause });
    }
    throw new KeyError("KEY_UNREADABLE", "not a readable private key", { cause });
  }
}

function looksLikePem(bytes: Uint8Array): boolean {
  return new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 4096))).includes("-----BEGIN ");
}

function pemBlocks(bytes: Uint8Array): PemBlock[] {
  const text = new TextDecoder().decode(bytes);
  return [...text.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1]!, text: m[0], der: base64Body(m[0]) }));
}

function base64Body(block: string): Uint8Array {
  // Skip RFC 1421 headers (Proc-Type, DEK-Info) of traditional encrypted PEM: the body follows a blank line.
  const inner = block.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, "");
  const body = inner.includes(":") ? inner.slice(inner.search(/\r?\n\r?\n/) + 1) : inner;
  return Uint8Array.from(atob(body.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
}

/** Offset just past the outer SEQUENCE header of a DER blob (definite lengths only). */
function innerStart(bytes: Uint8Array): number {
  if (bytes[0] !== 0x30 || bytes.length < 4) return -1;
  const first = bytes[1]!;
  return first < 0x80 ? 2 : 2 + (first & 0x7f);
}

/** RFC 7292 §4: a PFX starts SEQUENCE { INTEGER 3, … }. */
function looksLikePfx(bytes: Uint8Array): boolean {
  const i = innerStart(bytes);
  return i > 0 && bytes[i] === 0x02 && bytes[i + 1] === 0x01 && bytes[i + 2] === 0x03;
}

/** RFC 5958 §3: EncryptedPrivateKeyInfo starts with the algorithm SEQUENCE, PrivateKeyInfo with INTEGER version. */
function looksLikeEncryptedPkcs8(bytes: Uint8Array): boolean {
  const i = innerStart(bytes);
  return i > 0 && bytes[i] === 0x30;
}

/** PKCS#8 has version then an AlgorithmIdentifier SEQUENCE; SEC1 has version then an OCTET STRING. */
function guessDerType(bytes: Uint8Array): "pkcs8" | "sec1" | "pkcs1" {
  const i = innerStart(bytes);
  const afterVersion = i + 3;
  if (bytes[afterVersion] === 0x30) return "pkcs8";
  if (bytes[afterVersion] === 0x04) return "sec1";
  return "pkcs1";
}
