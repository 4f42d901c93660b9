import { DEV_MARK, type DevCa, type DevCredential, type DevPki } from "./pki.ts";
import { exportPkcs12 } from "../pki/index.ts";

/**
 * The on-disk layout of a development PKI, computed without touching a disk (src/pki has no fs):
 * the CLI and the Node runtime write the returned files as they are. Paths are relative, '/'-separated.
 *
 *   README.txt  manifest.json  chain.pem (issuing + root)
 *   root.cert.pem  root.key.pem  root.crl.der  root.crl.pem
 *   issuing.cert.pem  issuing.key.pem  issuing.crl.der  issuing.crl.pem
 *   agencies/<id>/seal.cert.pem  seal.key.pem  seal.p12  receipt.cert.pem  receipt.key.pem
 *   revoked/<id>-seal-superseded.cert.pem  revoked/<id>-seal-superseded.key.pem
 *   operator.cert.pem  operator.key.pem (directory operator, issued by the root)
 *   maker/maker.cert.pem  maker/maker.key.pem (sm2 only: the seal maker 制章者, issued by the root)
 */

export const DEV_P12_PASSWORD = "jiexu-dev";
export const MANIFEST_FILE = "manifest.json";

export interface DevPkiFile {
  path: string;
  contents: string | Uint8Array;
  /** 0o600 for private keys and .p12, 0o644 otherwise. */
  mode: number;
}

const SECRET = 0o600;
const PUBLIC = 0o644;

export async function devPkiFiles(pki: DevPki, options: { p12Password?: string } = {}): Promise<DevPkiFile[]> {
  const p12Password = options.p12Password ?? DEV_P12_PASSWORD;
  const files: DevPkiFile[] = [...caFiles("root", pki.root), ...caFiles("issuing", pki.issuing)];
  files.push({ path: "chain.pem", contents: pki.issuing.certificatePem + pki.root.certificatePem, mode: PUBLIC });
  for (const agency of pki.agencies) {
    const dir = `agencies/${agency.spec.id}`;
    files.push(...credentialFiles(`${dir}/seal`, agency.seal), ...credentialFiles(`${dir}/receipt`, agency.receipt));
    files.push({
      path: `${dir}/seal.p12`,
      contents: await sealP12(pki, agency.seal, agency.spec.id, p12Password),
      mode: SECRET,
    });
  }
  for (const r of pki.revoked) files.push(...credentialFiles(`revoked/${r.agencyId}-seal-superseded`, r.credential));
  files.push(...credentialFiles("operator", pki.operator));
  if (pki.maker) files.push(...credentialFiles("maker/maker", pki.maker));
  files.push({
    path: MANIFEST_FILE,
    contents: JSON.stringify(devPkiManifest(pki, p12Password), null, 2) + "\n",
    mode: PUBLIC,
  });
  files.push({ path: "README.txt", contents: readme(pki, p12Password), mode: PUBLIC });
  return files;
}

function caFiles(name: string, ca: DevCa): DevPkiFile[] {
  return [
    ...credentialFiles(name, ca),
    { path: `${name}.crl.der`, contents: ca.crl.der, mode: PUBLIC },
    { path: `${name}.crl.pem`, contents: ca.crl.pem, mode: PUBLIC },
  ];
}

function credentialFiles(base: string, c: DevCredential): DevPkiFile[] {
  return [
    { path: `${base}.cert.pem`, contents: c.certificatePem, mode: PUBLIC },
    { path: `${base}.key.pem`, contents: c.privateKeyPem, mode: SECRET },
  ];
}

async function sealP12(pki: DevPki, seal: DevCredential, agencyId: string, password: string): Promise<Uint8Array> {
  const privateKeyPkcs8 = pemBody(seal.privateKeyPem);
  const chain = [pki.issuing.certificateDer, pki.root.certificateDer];
  return exportPkcs12(
    { privateKeyPkcs8, certificate: seal.certificateDer, chain, friendlyName: sealFriendlyName(agencyId) },
    password,
  );
}

/** ASCII on purpose: `openssl pkcs12 -info` prints non-Latin-1 BMPString names as garbage. */
export function sealFriendlyName(agencyId: string): string {
  return `jiexu seal ${agencyId} (${DEV_MARK})`;
}

/** manifest.json: what a gateway or a test needs to find each agency's material and pin fingerprints. */
export function devPkiManifest(pki: DevPki, p12Password = DEV_P12_PASSWORD) {
  return {
    jiexuDevPki: 1,
    developmentOnly: true,
    algorithm: pki.algorithm,
    createdAt: pki.createdAt.toISOString(),
    p12Password,
    root: caEntry("root", pki.root),
    issuing: caEntry("issuing", pki.issuing),
    chain: "chain.pem",
    agencies: pki.agencies.map((a) => ({
      id: a.spec.id,
      name: a.spec.name,
      region: a.spec.region,
      seal: { ...entry(`agencies/${a.spec.id}/seal`, a.seal), p12: `agencies/${a.spec.id}/seal.p12` },
      receipt: entry(`agencies/${a.spec.id}/receipt`, a.receipt),
    })),
    revoked: pki.revoked.map((r) => ({
      agencyId: r.agencyId,
      role: r.role,
      reason: r.reason,
      revokedAt: r.revokedAt.toISOString(),
      ...entry(`revoked/${r.agencyId}-seal-superseded`, r.credential),
    })),
    operator: entry("operator", pki.operator),
    ...(pki.maker ? { maker: entry("maker/maker", pki.maker) } : {}),
  };
}

function entry(base: string, c: DevCredential) {
  return {
    cert: `${base}.cert.pem`,
    key: `${base}.key.pem`,
    sha256: c.fingerprint,
    serialNumber: c.serialNumber,
    subject: c.subject,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
  };
}

function caEntry(name: string, ca: DevCa) {
  return {
    ...entry(name, ca),
    crl: { der: `${name}.crl.der`, pem: `${name}.crl.pem`, nextUpdate: ca.crl.nextUpdate.toISOString() },
  };
}

function readme(pki: DevPki, p12Password: string): string {
  return [
    `${DEV_MARK} — Jiexu development PKI`,
    "",
    "Made by `jiexu pki init`. These keys are NOT secret and these certificates prove nothing:",
    "never use them for real documents, never trust this root outside development.",
    "",
    `Algorithm: ${pki.algorithm}   Created: ${pki.createdAt.toISOString()}`,
    `Agencies: ${pki.agencies.map((a) => `${a.spec.id} ${a.spec.name}`).join(", ")}`,
    `PKCS#12 password of agencies/*/seal.p12: ${p12Password}`,
    "",
    "Files: see manifest.json. Trust anchor: root.cert.pem; intermediates: chain.pem;",
    "revocation: issuing.crl.der (lists revoked/*) and root.crl.der.",
    "Directory operator (seals the trust list, `jiexu directory sign`): operator.cert.pem, operator.key.pem.",
    ...(pki.algorithm === "sm2" ? SM2_NOTES : []),
    "",
  ].join("\n");
}

/** What differs in an SM2 development PKI (issue 16, GB/T 38540 seals). */
const SM2_NOTES = [
  "",
  "SM2: the CAs, the agency seal certificates and the seal maker hold SM2 keys; every certificate and CRL",
  "is signed SM3withSM2 with the standard signer ID 1234567812345678 (openssl: -vfyopt distid:1234567812345678).",
  "Seal maker (制章者, signs the seal files, `jiexu ses make-seal`): maker/maker.cert.pem, maker/maker.key.pem.",
  "Receipt and directory operator keys are ECDSA P-256 (certified by the SM2 CAs): receipts and the",
  "sealed directory are CAdES, and SM2 keys seal only in the GB/T 38540 format.",
];

function pemBody(pem: string): Uint8Array {
  const b64 = pem.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, "").replace(/\s+/g, "");
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}
