/** PEM labels a seal may come under: CMS (RFC 7468) and its older names; GB/T 38540 seals and signatures have none
 * standardised, so the names people use for them (SES_Signature, SESeal, "ESEAL"). */
const SEAL_PEM =
  /-----BEGIN (CMS|PKCS7|PKCS #7 SIGNED DATA|SES SIGNATURE|SES SEAL|SESEAL|ESEAL)-----([\s\S]*?)-----END \1-----/;

/**
 * Seal files arrive as DER, PEM (`CMS`, `PKCS7`; `SES SIGNATURE`, `SES SEAL` for GB/T 38540) or bare base64
 * (as in a sealed document's `seal`). Returns the DER, or undefined when the bytes are none of these. Which
 * kind of seal the DER holds is the verifier's business (detectSealFormat).
 */
export function decodeSealFile(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes[0] === 0x30) return bytes;
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes).trim();
  const pem = SEAL_PEM.exec(text)?.[2];
  const b64 = (pem ?? text).replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) return undefined;
  const der = base64ToBytes(b64);
  return der[0] === 0x30 ? der : undefined;
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Node's Buffer where there is one (also workerd with nodejs_compat): ~50× faster than btoa over a binary string. */
const NodeBuffer = (
  globalThis as {
    Buffer?: { from(b: ArrayBufferLike, offset: number, length: number): { toString(encoding: "base64"): string } };
  }
).Buffer;

export function bytesToBase64(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** CRLs from DER or PEM (`X509 CRL`), several per PEM file. */
export function decodeCrlFile(bytes: Uint8Array): Uint8Array[] {
  if (bytes[0] === 0x30) return [bytes];
  const text = new TextDecoder().decode(bytes);
  return [...text.matchAll(/-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/g)].map((m) =>
    base64ToBytes(m[1]!.replace(/\s+/g, "")),
  );
}
