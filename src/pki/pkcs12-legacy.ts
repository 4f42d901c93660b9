import forge from "node-forge";
import { KeyError } from "./key-error.ts";
import type { CertFound, KeyFound } from "./pkcs12.ts";

/**
 * PKCS#12 files protected with the legacy PKCS#12 PBEs (RFC 7292 Appendix C: SHA1-3DES, SHA1-RC2),
 * as `openssl pkcs12 -legacy`, OpenSSL 1.x and older Windows exports make them. pkijs decrypts only
 * PBES2, node-forge decrypts these. forge parses RSA keys itself and hands other key types (EC) back
 * as raw PrivateKeyInfo, which is all we need. Called after the MAC was checked.
 */
export function readLegacyPkcs12(der: Uint8Array, password: string): { key: KeyFound; certs: CertFound[] } {
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    pfx = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.binary.raw.encode(der)), true, password);
  } catch (cause) {
    throw new KeyError("KEY_UNREADABLE", "cannot decrypt the legacy PKCS#12 file", { cause });
  }
  const bags = pfx.safeContents.flatMap((c) => c.safeBags);
  const keyBag = bags.find((b) => b.type === forge.pki.oids.pkcs8ShroudedKeyBag || b.type === forge.pki.oids.keyBag);
  if (!keyBag) throw new KeyError("KEY_UNREADABLE", "the PKCS#12 file holds no private key");
  const certs = bags.filter((b) => b.type === forge.pki.oids.certBag).map((b) => ({ der: certificateDer(b) }));
  const key: KeyFound = { pkcs8: privateKeyInfoDer(keyBag) };
  const name = (keyBag.attributes as { friendlyName?: string[] }).friendlyName?.[0];
  if (name) key.friendlyName = name;
  return { key, certs };
}

function privateKeyInfoDer(bag: forge.pkcs12.Bag): Uint8Array {
  const info = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
  return bytesOf(forge.asn1.toDer(info).getBytes());
}

function certificateDer(bag: forge.pkcs12.Bag): Uint8Array {
  const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
  return bytesOf(forge.asn1.toDer(asn1).getBytes());
}

function bytesOf(binary: string): Uint8Array {
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
