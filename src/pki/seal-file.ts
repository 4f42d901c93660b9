/**
 * Seal files arrive as DER, PEM (`CMS`, `PKCS7`) or bare base64 (as in a sealed document's `seal`).
 * Returns the DER, or undefined when the bytes are none of these.
 */
export function decodeSealFile(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes[0] === 0x30) return bytes;
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes).trim();
  const pem =
    /-----BEGIN (?:CMS|PKCS7|PKCS #7 SIGNED DATA)-----([\s\S]*?)-----END (?:CMS|PKCS7|PKCS #7 SIGNED DATA)-----/.exec(
      text,
    );
  const b64 = (pem ? pem[1]! : text).replace(/\s+/g, "");
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
