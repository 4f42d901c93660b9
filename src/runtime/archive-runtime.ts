import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import type { KeyObject } from "node:crypto";
import { exportNoteKeyPem, formatVerifierKey, generateNoteKey, loadNoteKeyPem } from "../pki/index.ts";

/**
 * The gateway's checkpoint key: the configured PKCS#8 PEM file, or one created on first start
 * (Ed25519, mode 0600) next to the database so a restarted gateway keeps signing as the same log.
 */
export function loadOrCreateArchiveKey(keyPath: string): KeyObject {
  if (existsSync(keyPath)) return loadNoteKeyPem(readFileSync(keyPath));
  const key = generateNoteKey();
  writeFileSync(keyPath, exportNoteKeyPem(key));
  chmodSync(keyPath, 0o600);
  return key;
}

/**
 * The C2SP vkey of a gateway's checkpoint key, creating the key if need be: what a gateway operator
 * hands the directory operator (`jiexu directory build --checkpoint-key ID=FILE`).
 */
export function checkpointVerifierKey(keyPath: string, origin: string): string {
  return formatVerifierKey(origin, loadOrCreateArchiveKey(keyPath));
}
