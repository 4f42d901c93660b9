import { createPrivateKey, type KeyObject } from "node:crypto";
import { KeyError } from "./key-error.ts";
import { encodeSm2Pkcs8, readSm2PrivateKey, sm2KeyOfCertificate, type Sm2PrivateKey } from "./sm2.ts";

/**
 * SM2 private keys in keys.ts's containers (issue 16). They are read with our DER reader first, so `sm2` is there
 * on every runtime: workerd cannot hold an SM2 key as a KeyObject at all (its node:crypto refuses the curve), and
 * Node can but cannot sign SM2 with the standard signer ID. The KeyObject is therefore made on first use only.
 */

export interface Sm2Loaded {
  privateKey: KeyObject;
  sm2: Sm2PrivateKey;
  certificate?: Uint8Array;
  chain: Uint8Array[];
}

/**
 * The SM2 key in an unencrypted PKCS#8 or SEC1 DER, or undefined when it is not SM2 (the platform's reader then
 * decides and reports). A key that is SM2 but broken (a stated public key not its own, d out of range) is
 * refused with its code here, not handed on to a reader that would not look.
 */
export function readSm2KeyDer(der: Uint8Array): Sm2PrivateKey | undefined {
  try {
    return readSm2PrivateKey(der);
  } catch (err) {
    if (err instanceof KeyError && err.code === "KEY_UNSUPPORTED") return undefined;
    throw err;
  }
}

/** A loaded SM2 key whose `privateKey` KeyObject is built when first read (KEY_UNSUPPORTED where impossible). */
export function sm2Loaded(sm2: Sm2PrivateKey, chain: Uint8Array[] = []): Sm2Loaded {
  let keyObject: KeyObject | undefined;
  const loaded = { sm2, chain } as Sm2Loaded;
  Object.defineProperty(loaded, "privateKey", {
    enumerable: true,
    get: () => (keyObject ??= sm2KeyObject(sm2)),
  });
  return loaded;
}

function sm2KeyObject(sm2: Sm2PrivateKey): KeyObject {
  try {
    return createPrivateKey({ key: Buffer.from(encodeSm2Pkcs8(sm2)), format: "der", type: "pkcs8" });
  } catch (cause) {
    throw new KeyError("KEY_UNSUPPORTED", "this runtime holds SM2 keys only as `sm2`, not as a KeyObject", { cause });
  }
}

/**
 * The SM2 key behind a KeyObject the platform decoded (encrypted PKCS#8, PKCS#12), decided by the AlgorithmIdentifier
 * of its PKCS#8 export, not by the type Node reports: OpenSSL 3 gives SM2 keys none (asymmetricKeyType undefined),
 * and another Node may call them "ec" or "sm2". A key of no type Node knows that is not SM2 either is refused.
 */
export function sm2OfKeyObject(privateKey: KeyObject): Sm2PrivateKey | undefined {
  const unknownType = privateKey.asymmetricKeyType === undefined;
  let pkcs8: Uint8Array;
  try {
    pkcs8 = new Uint8Array(privateKey.export({ type: "pkcs8", format: "der" }));
  } catch (cause) {
    if (!unknownType) return undefined;
    throw new KeyError("KEY_UNSUPPORTED", "a private key of a type this gateway does not use", { cause });
  }
  const sm2 = readSm2KeyDer(pkcs8);
  if (!sm2 && unknownType) throw new KeyError("KEY_UNSUPPORTED", "a private key of a type this gateway does not use");
  return sm2;
}

/** Same point (GB/T 32918.1) in the key and in the certificate's SubjectPublicKeyInfo, read from the DER. */
export function sm2KeyMatches(key: Sm2PrivateKey, certificateDer: Uint8Array): boolean {
  try {
    return sm2KeyOfCertificate(certificateDer).publicKeyHex.toLowerCase() === key.publicKeyHex.toLowerCase();
  } catch {
    return false; // not an SM2 certificate, or not readable
  }
}

export function assertSm2KeyMatches(key: Sm2PrivateKey, certificateDer: Uint8Array): void {
  if (!sm2KeyMatches(key, certificateDer))
    throw new KeyError("KEY_CERT_MISMATCH", "the certificate does not certify this SM2 private key");
}
