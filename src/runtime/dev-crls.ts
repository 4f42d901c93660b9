import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CrlReason, issueCrl, parseCrl, webCryptoParams, x509, type KeyAlgorithm } from "../pki/index.ts";
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
  const algorithm = (JSON.parse(readFileSync(manifestPath, "utf8")) as { algorithm: KeyAlgorithm }).algorithm;
  const refreshed: string[] = [];
  for (const [name, days] of [
    ["root", 365],
    ["issuing", 90],
  ] as const) {
    const crlPath = join(pkiDir, `${name}.crl.der`);
    const old = parseCrl(new Uint8Array(readFileSync(crlPath)));
    if (old.nextUpdate && old.nextUpdate.getTime() - now.getTime() > 7 * DAY) continue;
    const certificate = new x509.X509Certificate(readFileSync(join(pkiDir, `${name}.cert.pem`), "utf8"));
    const keyDer = x509.PemConverter.decodeFirst(readFileSync(join(pkiDir, `${name}.key.pem`), "utf8"));
    const privateKey = await globalThis.crypto.subtle.importKey("pkcs8", keyDer, webCryptoParams(algorithm), false, [
      "sign",
    ]);
    const entries = [...old.revoked].map(([serialNumber, r]) => ({
      serialNumber,
      revokedAt: r.revokedAt,
      reason: CrlReason[(r.reason ?? "unspecified") as keyof typeof CrlReason] ?? CrlReason.unspecified,
    }));
    const crl = await issueCrl(
      { certificate, privateKey, algorithm },
      {
        thisUpdate: new Date(now.getTime() - 3_600_000),
        nextUpdate: new Date(now.getTime() + days * DAY),
        entries,
        crlNumber: Number.parseInt(old.crlNumber ?? "1", 16) + 1,
      },
    );
    const der = new Uint8Array(crl.rawData);
    writeFileSync(crlPath, der);
    writeFileSync(join(pkiDir, `${name}.crl.pem`), pem(der, "X509 CRL"));
    refreshed.push(name);
  }
  return refreshed;
}
