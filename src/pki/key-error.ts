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

/**
 * True when the certificate certifies the public half of `privateKey` (SPKI bytes compared). False, never an
 * exception, when either side is a key the platform cannot export (Node reading an SM2 certificate's key for an
 * ECDSA private key, workerd's certificate publicKey getter for SM2): a key and a certificate of different types
 * are a mismatch (KEY_CERT_MISMATCH), not a crash. An unreadable certificate stays KEY_CERT_UNREADABLE.
 */
export function keyMatchesCertificate(privateKey: KeyObject, certificateDer: Uint8Array): boolean {
  const certificate = parseCertificate(certificateDer);
  try {
    const mine = createPublicKey(privateKey).export({ type: "spki", format: "der" });
    return mine.equals(certificate.publicKey.export({ type: "spki", format: "der" }));
  } catch {
    return false;
  }
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
