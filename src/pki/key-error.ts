import { X509Certificate, createPublicKey, type KeyObject } from "node:crypto";
import { CodedError } from "../domain/errors.ts";

/** Why a key, certificate or PKCS#12 file could not be used. Tests assert these codes, never messages. */
export type KeyErrorCode =
  | "KEY_UNREADABLE"
  | "KEY_PASSWORD_REQUIRED"
  | "KEY_PASSWORD_WRONG"
  | "KEY_CERT_MISMATCH"
  | "KEY_CERT_UNREADABLE"
  | "KEY_UNSUPPORTED";

export class KeyError extends CodedError<KeyErrorCode> {}

/** True when the certificate certifies the public half of `privateKey` (SPKI bytes compared). */
export function keyMatchesCertificate(privateKey: KeyObject, certificateDer: Uint8Array): boolean {
  const mine = createPublicKey(privateKey).export({ type: "spki", format: "der" });
  return mine.equals(parseCertificate(certificateDer).publicKey.export({ type: "spki", format: "der" }));
}

export function assertKeyMatchesCertificate(privateKey: KeyObject, certificateDer: Uint8Array): void {
  if (!keyMatchesCertificate(privateKey, certificateDer)) {
    throw new KeyError("KEY_CERT_MISMATCH", "the certificate does not certify this private key");
  }
}

export function parseCertificate(der: Uint8Array): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (cause) {
    throw new KeyError("KEY_CERT_UNREADABLE", "not an X.509 certificate", { cause });
  }
}
