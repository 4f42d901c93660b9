import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createDevPki, type DevPki } from "../dev/pki.ts";
import { devPkiFiles } from "../dev/pki-files.ts";

/**
 * First run of `npm start` with no configuration (issue 4 item 2): a development PKI under
 * `<dataDir>/pki` and a development config hosting the default agencies. Never for production:
 * the config says `"development": true` and the keys sit unencrypted on disk.
 */
export async function bootstrapDevelopment(dataDir: string, now: Date): Promise<string> {
  const configPath = join(dataDir, "config.json");
  if (existsSync(configPath)) return configPath;
  const pki = await createDevPki({ algorithm: "ecdsa-p256", now });
  const pkiDir = join(dataDir, "pki");
  for (const file of await devPkiFiles(pki)) {
    const path = join(pkiDir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.contents);
    chmodSync(path, file.mode);
  }
  const config = {
    development: true,
    dataDir: ".",
    database: "jiexu.db",
    host: "127.0.0.1",
    port: 8787,
    ...devPkiConfig(pki),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(configPath, JSON.stringify(config, null, 2) + "\n");
  return configPath;
}

/**
 * The trust and agency entries of a config over a development PKI written under `pki/` next to it
 * (src/dev/pki-files.ts): revocation required, its root, issuing CA and CRLs, each agency's seal and receipt.
 */
export function devPkiConfig(pki: DevPki) {
  return {
    revocation: "required",
    trustAnchors: ["pki/root.cert.pem"],
    intermediates: ["pki/issuing.cert.pem"],
    crls: ["pki/root.crl.der", "pki/issuing.crl.der"],
    agencies: pki.agencies.map((a) => ({
      id: a.spec.id,
      name: a.spec.name,
      seal: {
        key: `pki/agencies/${a.spec.id}/seal.key.pem`,
        cert: `pki/agencies/${a.spec.id}/seal.cert.pem`,
        chain: ["pki/issuing.cert.pem"],
      },
      receipt: {
        key: `pki/agencies/${a.spec.id}/receipt.key.pem`,
        cert: `pki/agencies/${a.spec.id}/receipt.cert.pem`,
        chain: ["pki/issuing.cert.pem"],
      },
    })),
  };
}
