import { describe, expect, it } from "vitest";
import { decodeSealFile } from "../../src/pki/index.ts";

/** Seal files as people hand them over: DER, PEM under the CMS and GB/T 38540 labels, bare base64. */
const der = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x04]);
const b64 = Buffer.from(der).toString("base64");
const pem = (label: string, end = label) => `-----BEGIN ${label}-----\n${b64}\n-----END ${end}-----\n`;
const bytes = (text: string) => new TextEncoder().encode(text);

describe("decodeSealFile", () => {
  it("passes DER through and reads PEM under CMS, PKCS7 and the SES labels, and bare base64", () => {
    expect(decodeSealFile(der)).toBe(der);
    for (const label of ["CMS", "PKCS7", "PKCS #7 SIGNED DATA", "SES SIGNATURE", "SES SEAL", "SESEAL", "ESEAL"])
      expect(decodeSealFile(bytes(pem(label))), label).toEqual(der);
    expect(decodeSealFile(bytes(` ${b64}\n`))).toEqual(der);
  });

  it("reads no seal from a certificate PEM, mismatched PEM labels or text that is not base64 DER", () => {
    expect(decodeSealFile(bytes(pem("CERTIFICATE")))).toBeUndefined();
    expect(decodeSealFile(bytes(pem("SES SIGNATURE", "CMS")))).toBeUndefined();
    expect(decodeSealFile(bytes("not a seal"))).toBeUndefined();
    expect(decodeSealFile(bytes(Buffer.from("hello!").toString("base64")))).toBeUndefined();
  });
});
