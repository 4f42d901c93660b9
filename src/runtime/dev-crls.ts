import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  CrlReason,
  issueCrl,
  issueSm2Crl,
  parseCrl,
  readSm2PrivateKey,
  webCryptoParams,
  x509,
  type KeyAlgorithm,
} from "../pki/index.ts";
import { pem } from "../dev/pki.ts";

const DAY = 86_400_000;

/**
 * Development only: CRLs of the development PKI are re-issued (same entries, next CRL number) when
 * they are within a week of their nextUpdate, so a development gateway started months after its first
 * run does not answer every seal with INDETERMINATE/TRY_LATER. A production PKI's CRLs come from its CAs.
 */
export async function refreshDevelopmentCrls(pkiDir: string, now: Date): Promise<string[]> {
  const manifestPath = join(pkiDir, "manifest.json");
  if (!existsSync(manifestPath)) return [];
  const algorithm = (JSON.parse(readFileSync(manifestPath, "utf8")) as { algorithm: KeyAlgorithm | "sm2" }).algorithm;
  const refreshed: string[] = [];
  for (const [name, days] of [
    ["root", 365],
    ["issuing", 90],
  ] as const) {
    const crlPath = join(pkiDir, `${name}.crl.der`);
    const old = parseCrl(new Uint8Array(readFileSync(crlPath)));
    if (old.nextUpdate && old.nextUpdate.getTime() - now.getTime() > 7 * DAY) continue;
    const certificate = new x509.X509Certificate(readFileSync(join(pkiDir, `${name}.cert.pem`), "utf8"));
    const keyPem = readFileSync(join(pkiDir, `${name}.key.pem`), "utf8");
    const entries = [...old.revoked].map(([serialNumber, r]) => ({
      serialNumber,
      revokedAt: r.revokedAt,
      reason: CrlReason[(r.reason ?? "unspecified") as keyof typeof CrlReason] ?? CrlReason.unspecified,
    }));
    const params = {
      thisUpdate: new Date(now.getTime() - 3_600_000),
      nextUpdate: new Date(now.getTime() + days * DAY),
      entries,
      crlNumber: Number.parseInt(old.crlNumber ?? "1", 16) + 1,
    };
    const crl =
      algorithm === "sm2"
        ? await issueSm2Crl({ certificate, key: readSm2PrivateKey(new TextEncoder().encode(keyPem)) }, params)
        : await issueCrl({ certificate, privateKey: await importKey(keyPem, algorithm), algorithm }, params);
    const der = new Uint8Array(crl.rawData);
    writeFileSync(crlPath, der);
    writeFileSync(join(pkiDir, `${name}.crl.pem`), pem(der, "X509 CRL"));
    refreshed.push(name);
  }
  return refreshed;
}

function importKey(keyPem: string, algorithm: KeyAlgorithm): Promise<CryptoKey> {
  const keyDer = x509.PemConverter.decodeFirst(keyPem);
  return globalThis.crypto.subtle.importKey("pkcs8", keyDer, webCryptoParams(algorithm), false, ["sign"]);
}
