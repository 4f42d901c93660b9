import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { createPrivateKey, createHash } from "node:crypto";
import { toHex } from "../domain/bytes.ts";
import { KeyError, keyMatchesCertificate } from "./key-error.ts";
import { readLegacyPkcs12 } from "./pkcs12-legacy.ts";
import { OID as SHARED_OID } from "./oids.ts";

/**
 * PKCS#12 (RFC 7292) for seal keys, RSA, EC and SM2 alike, on pkijs. Export writes what OpenSSL 3 writes
 * by default: certificates in a PBES2 EncryptedData, the key in a pkcs8ShroudedKeyBag, both
 * PBES2/AES-256-CBC with PBKDF2-HMAC-SHA256 (RFC 8018), and an HMAC-SHA256 MacData (RFC 7292 §4,
 * key from the Appendix B KDF). Import reads that, plus unencrypted bags; files protected with the
 * legacy PKCS#12 PBEs (3DES, RC2) go to node-forge, which can read them for RSA keys only.
 */

const OID = {
  keyBag: "1.2.840.113549.1.12.10.1.1",
  shroudedKeyBag: "1.2.840.113549.1.12.10.1.2",
  certBag: "1.2.840.113549.1.12.10.1.3",
  friendlyName: "1.2.840.113549.1.9.20",
  localKeyId: "1.2.840.113549.1.9.21",
  pbes2: "1.2.840.113549.1.5.13",
};

export interface Pkcs12Bundle {
  /** PKCS#8 PrivateKeyInfo DER. */
  privateKeyPkcs8: Uint8Array;
  /** The certificate of that key, when the file holds it. */
  certificate?: Uint8Array;
  /** Every other certificate, in file order. */
  chain: Uint8Array[];
  friendlyName?: string;
}

export interface Pkcs12ExportInput {
  privateKeyPkcs8: Uint8Array;
  certificate: Uint8Array;
  chain?: Uint8Array[];
  friendlyName?: string;
}

// pkijs parses an EC PrivateKeyInfo's key for the curves it knows and refuses the rest: it learns the SM2 curve
// (GB/T 32918.5, 256-bit coordinates) so SM2 seal keys travel in PKCS#12 as OpenSSL writes them (issue 16).
pkijs.ECNamedCurves.register("SM2", SHARED_OID.sm2Curve, 32);

// pkijs generates the IV itself; its typings still ask for one.
const AES_256_CBC = { name: "AES-CBC", length: 256 } as unknown as pkijs.ContentEncryptionAlgorithm;

/** OpenSSL 3's default PBKDF2 and MAC iteration count (PKCS12_DEFAULT_ITER). */
const DEFAULT_ITERATIONS = 2048;

export async function exportPkcs12(
  input: Pkcs12ExportInput,
  password: string,
  options: { iterations?: number } = {},
): Promise<Uint8Array> {
  const pw = passwordBytes(password);
  const enc = {
    password: pw,
    contentEncryptionAlgorithm: AES_256_CBC,
    hmacHashAlgorithm: "SHA-256",
    iterationCount: options.iterations ?? DEFAULT_ITERATIONS,
  };
  const attrs = bagAttributes(input);
  const certBags = [input.certificate, ...(input.chain ?? [])].map((der, i) =>
    certBag(der, i === 0 ? attrs : undefined),
  );
  const shrouded = new pkijs.PKCS8ShroudedKeyBag({
    parsedValue: pkijs.PrivateKeyInfo.fromBER(toArrayBuffer(input.privateKeyPkcs8)),
  });
  await shrouded.makeInternalValues(enc);
  const keyBag = new pkijs.SafeBag({ bagId: OID.shroudedKeyBag, bagValue: shrouded, bagAttributes: attrs });
  const safe = new pkijs.AuthenticatedSafe({
    parsedValue: {
      safeContents: [
        { privacyMode: 1, value: new pkijs.SafeContents({ safeBags: certBags }) },
        { privacyMode: 0, value: new pkijs.SafeContents({ safeBags: [keyBag] }) },
      ],
    },
  });
  await safe.makeInternalValues({ safeContents: [enc, {}] });
  const pfx = new pkijs.PFX({ parsedValue: { integrityMode: 0, authenticatedSafe: safe } });
  await pfx.makeInternalValues({
    password: pw,
    iterations: enc.iterationCount,
    pbkdf2HashAlgorithm: "SHA-256",
    hmacHashAlgorithm: "SHA-256",
  });
  return new Uint8Array(pfx.toSchema().toBER(false));
}

function bagAttributes(input: Pkcs12ExportInput): pkijs.Attribute[] {
  // localKeyId pairs the key bag with its certificate bag; any unique bytes do, OpenSSL uses a digest of the cert.
  const id = createHash("sha256").update(input.certificate).digest();
  const attrs = [
    new pkijs.Attribute({ type: OID.localKeyId, values: [new asn1js.OctetString({ valueHex: toArrayBuffer(id) })] }),
  ];
  if (input.friendlyName)
    attrs.unshift(
      new pkijs.Attribute({ type: OID.friendlyName, values: [new asn1js.BmpString({ value: input.friendlyName })] }),
    );
  return attrs;
}

function certBag(der: Uint8Array, attrs: pkijs.Attribute[] | undefined): pkijs.SafeBag {
  let parsed: pkijs.Certificate;
  try {
    parsed = pkijs.Certificate.fromBER(toArrayBuffer(der));
  } catch (cause) {
    throw new KeyError("KEY_CERT_UNREADABLE", "a certificate for the PKCS#12 file is not X.509 DER", { cause });
  }
  return new pkijs.SafeBag({
    bagId: OID.certBag,
    bagValue: new pkijs.CertBag({ parsedValue: parsed }),
    bagAttributes: attrs,
  });
}

/** Read a PKCS#12 file. A MAC failure is a wrong password (KEY_PASSWORD_WRONG), never a crash. */
export async function importPkcs12(der: Uint8Array, password: string): Promise<Pkcs12Bundle> {
  const pw = passwordBytes(password);
  const pfx = parsePfx(der);
  await checkIntegrity(pfx, pw);
  const safe = pfx.parsedValue!.authenticatedSafe!;
  if (usesLegacyPbe(safe)) {
    const legacy = readLegacyPkcs12(der, password);
    return assemble(legacy.key, legacy.certs);
  }
  try {
    await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password: pw })) });
  } catch (cause) {
    throw new KeyError(pfx.macData ? "KEY_UNREADABLE" : "KEY_PASSWORD_WRONG", "cannot decrypt the PKCS#12 contents", {
      cause,
    });
  }
  const bags = safe.parsedValue.safeContents.flatMap((c: { value: pkijs.SafeContents }) => c.value.safeBags);
  return assemble(await readKey(bags, pw), readCertificates(bags));
}

function parsePfx(der: Uint8Array): pkijs.PFX {
  try {
    return pkijs.PFX.fromBER(toArrayBuffer(der));
  } catch (cause) {
    throw new KeyError("KEY_UNREADABLE", "not a PKCS#12 (PFX) file", { cause });
  }
}

async function checkIntegrity(pfx: pkijs.PFX, pw: ArrayBuffer): Promise<void> {
  try {
    // Without MacData there is nothing to check; a wrong password then shows as a decryption failure.
    await pfx.parseInternalValues({ password: pw, checkIntegrity: pfx.macData !== undefined });
  } catch (cause) {
    const wrong = cause instanceof Error && /Integrity for the PKCS#12 data is broken/.test(cause.message);
    if (wrong)
      throw new KeyError("KEY_PASSWORD_WRONG", "PKCS#12 MAC check failed: wrong password (or a damaged file)", {
        cause,
      });
    throw new KeyError("KEY_UNREADABLE", "unsupported or damaged PKCS#12 file", { cause });
  }
  if (pfx.parsedValue?.integrityMode !== 0)
    throw new KeyError("KEY_UNSUPPORTED", "only password-integrity PKCS#12 files are supported");
}

/** pkijs decrypts PBES2 only; the older PKCS#12 PBEs (RFC 7292 Appendix C) need another reader. */
function usesLegacyPbe(safe: pkijs.AuthenticatedSafe): boolean {
  return safe.safeContents.some((ci) => {
    if (ci.contentType !== pkijs.ContentInfo.ENCRYPTED_DATA) return false;
    // From a BER copy: pkijs's fromSchema strips the names off the schema object it is given.
    const data = pkijs.EncryptedData.fromBER(ci.content.toBER(false));
    return data.encryptedContentInfo.contentEncryptionAlgorithm.algorithmId !== OID.pbes2;
  });
}

export interface KeyFound {
  pkcs8: Uint8Array;
  localKeyId?: string;
  friendlyName?: string;
}
export interface CertFound {
  der: Uint8Array;
  localKeyId?: string;
}

async function readKey(bags: pkijs.SafeBag[], pw: ArrayBuffer): Promise<KeyFound> {
  const bag = bags.find((b) => b.bagId === OID.shroudedKeyBag || b.bagId === OID.keyBag);
  if (!bag) throw new KeyError("KEY_UNREADABLE", "the PKCS#12 file holds no private key");
  let info: pkijs.PrivateKeyInfo;
  if (bag.bagId === OID.keyBag) info = bag.bagValue as unknown as pkijs.PrivateKeyInfo;
  else {
    const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
    if (shrouded.encryptionAlgorithm.algorithmId !== OID.pbes2)
      throw new KeyError("KEY_UNSUPPORTED", "legacy key encryption in a PBES2 file");
    try {
      // Declared protected in pkijs's typings, yet it is the documented way to decrypt a shrouded bag.
      await (
        shrouded as unknown as { parseInternalValues(p: { password: ArrayBuffer }): Promise<void> }
      ).parseInternalValues({ password: pw });
    } catch (cause) {
      throw new KeyError("KEY_UNREADABLE", "cannot decrypt the PKCS#12 key bag", { cause });
    }
    info = shrouded.parsedValue!;
  }
  return { pkcs8: new Uint8Array(info.toSchema().toBER(false)), ...attributesOf(bag) };
}

function readCertificates(bags: pkijs.SafeBag[]): CertFound[] {
  return bags
    .filter((b) => b.bagId === OID.certBag)
    .map((b) => ({
      der: new Uint8Array(((b.bagValue as pkijs.CertBag).certValue as asn1js.OctetString).valueBlock.valueHexView),
      ...attributesOf(b),
    }));
}

function attributesOf(bag: pkijs.SafeBag): { localKeyId?: string; friendlyName?: string } {
  const out: { localKeyId?: string; friendlyName?: string } = {};
  for (const attr of bag.bagAttributes ?? []) {
    const value = attr.values[0];
    if (attr.type === OID.localKeyId && value instanceof asn1js.OctetString)
      out.localKeyId = toHex(value.valueBlock.valueHexView);
    if (attr.type === OID.friendlyName && value instanceof asn1js.BmpString) out.friendlyName = value.valueBlock.value;
  }
  return out;
}

/** The key's certificate is the one whose public key matches (localKeyId is only a hint some writers omit). */
function assemble(key: KeyFound, certs: CertFound[]): Pkcs12Bundle {
  const keyObject = createPrivateKey({ key: Buffer.from(key.pkcs8), format: "der", type: "pkcs8" });
  const mine =
    certs.find((c) => keyMatchesCertificate(keyObject, c.der)) ??
    certs.find((c) => c.localKeyId && c.localKeyId === key.localKeyId);
  const bundle: Pkcs12Bundle = { privateKeyPkcs8: key.pkcs8, chain: certs.filter((c) => c !== mine).map((c) => c.der) };
  if (mine) bundle.certificate = mine.der;
  if (key.friendlyName) bundle.friendlyName = key.friendlyName;
  return bundle;
}

function passwordBytes(password: string): ArrayBuffer {
  return toArrayBuffer(new TextEncoder().encode(password));
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
