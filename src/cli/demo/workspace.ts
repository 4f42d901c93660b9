import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  DIRECTORY_FORMAT,
  type CertificateListing,
  type CheckpointLogListing,
  type Directory,
  type SealFormatName,
} from "../../domain/directory/index.ts";
import { DEFAULT_AGENCIES, DEV_MARK, createDevPki, type DevCredential, type DevPki } from "../../dev/pki.ts";
import { devPkiFiles } from "../../dev/pki-files.ts";
import { loadCertificates, loadPrivateKey, sealDirectory } from "../../pki/index.ts";
import { checkpointVerifierKey } from "../../runtime/archive-runtime.ts";
import { defaultOrigin } from "../../runtime/parse-materials.ts";
import { SES_PKI_DIR, createSesAgencies, sesSealConfig, type SesAgencies } from "./ses-agencies.ts";

/**
 * A throw-away workspace for several gateways on one machine (`jiexu demo`, multi-gateway tests):
 * one development PKI, one config, data directory, database and token file per gateway, and the
 * sealed directory every gateway loads. Nothing here starts a process (see processes.ts).
 */

export interface Workspace {
  root: string;
  pkiDir: string;
  pki: DevPki;
  /** The sealed directory file every gateway of the workspace loads. */
  directoryFile: string;
  /** Agencies sealing as GB/T 38540 SES, with their SM2 PKI (issue 16); absent: every agency seals CAdES. */
  ses?: SesAgencies;
}

export interface GatewaySettings {
  agencyId: string;
  port: number;
  /** Seal key and certificate files, relative to the workspace (default: the agency's dev PKI seal). */
  seal?: { key: string; cert: string };
  directoryRefreshSeconds?: number;
  /** How often the gateway offers its checkpoint to its peers for co-signing (config archive.witnessSeconds). */
  witnessSeconds?: number;
  dispatchIntervalMs?: number;
  retry?: { baseSeconds?: number; capSeconds?: number; maxAgeSeconds?: number };
  breaker?: { failureThreshold?: number; cooldownMs?: number; cooldownGrowth?: number; maxCooldownMs?: number };
  /** Whole-request timeout of sends to peers (config `peerTimeoutMs`; the gateway's default 15 s when left out). */
  peerTimeoutMs?: number;
}

export interface GatewayFiles {
  agencyId: string;
  name: string;
  port: number;
  url: string;
  configPath: string;
  dataDir: string;
  databasePath: string;
  tokensPath: string;
  /** The gateway's checkpoint verifier key (C2SP vkey), what the directory operator pins for its log. */
  checkpointVkeyPath: string;
}

/** Make the temporary workspace and a development PKI certifying exactly `agencyIds`. */
export async function createWorkspace(
  agencyIds: readonly string[],
  options: { now?: Date; prefix?: string; sesAgencies?: readonly string[] } = {},
): Promise<Workspace> {
  const root = mkdtempSync(join(tmpdir(), options.prefix ?? "jiexu-demo-"));
  const specs = agencyIds.map((id) => {
    const spec = DEFAULT_AGENCIES.find((a) => a.id === id);
    if (!spec) throw new RangeError(`agency ${id} is not a default development agency`);
    return spec;
  });
  const pki = await createDevPki({ algorithm: "ecdsa-p256", now: options.now ?? new Date(), agencies: specs });
  const pkiDir = join(root, "pki");
  for (const file of await devPkiFiles(pki)) writeSecretAware(join(pkiDir, file.path), file.contents, file.mode);
  const ses = options.sesAgencies?.length
    ? await createSesAgencies(root, options.sesAgencies, options.now ?? new Date(), writeSecretAware)
    : undefined;
  return { root, pkiDir, pki, directoryFile: join(root, "directory.sealed.json"), ...(ses ? { ses } : {}) };
}

export function agencyName(ws: Workspace, agencyId: string): string {
  const agency = ws.pki.agencies.find((a) => a.spec.id === agencyId);
  if (!agency) throw new RangeError(`agency ${agencyId} is not in the workspace PKI`);
  return agency.spec.name;
}

/** A free loopback TCP port (the kernel picks it; the gateway binds it moments later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Write `<root>/gw-<id>/config.json` for a gateway hosting ONE agency: development mode (tokens in
 * its data directory), its own database, the workspace's root as trust anchor and its directory.
 */
export function writeGatewayConfig(ws: Workspace, s: GatewaySettings): GatewayFiles {
  const dir = join(ws.root, `gw-${s.agencyId}`);
  mkdirSync(join(dir, "data"), { recursive: true });
  const pki = (p: string) => `../pki/${p}`;
  const seal = s.seal
    ? { key: `../${s.seal.key}`, cert: `../${s.seal.cert}`, chain: [pki("issuing.cert.pem")] }
    : ws.ses?.agencyIds.includes(s.agencyId)
      ? sesSealConfig(s.agencyId)
      : {
          key: pki(`agencies/${s.agencyId}/seal.key.pem`),
          cert: pki(`agencies/${s.agencyId}/seal.cert.pem`),
          chain: [pki("issuing.cert.pem")],
        };
  // With SES agencies in the workspace every gateway trusts both development roots.
  const both = (p: string) => (ws.ses ? [pki(p), `../${SES_PKI_DIR}/${p}`] : [pki(p)]);
  const config = {
    development: true,
    dataDir: "data",
    database: "jiexu.db",
    host: "127.0.0.1",
    port: s.port,
    revocation: "required",
    trustAnchors: both("root.cert.pem"),
    intermediates: both("issuing.cert.pem"),
    crls: [...both("root.crl.der"), ...both("issuing.crl.der")],
    agencies: [
      {
        id: s.agencyId,
        name: agencyName(ws, s.agencyId),
        seal,
        receipt: {
          key: pki(`agencies/${s.agencyId}/receipt.key.pem`),
          cert: pki(`agencies/${s.agencyId}/receipt.cert.pem`),
          chain: [pki("issuing.cert.pem")],
        },
      },
    ],
    directory: { file: "../directory.sealed.json", refreshSeconds: s.directoryRefreshSeconds ?? 300 },
    dispatchIntervalMs: s.dispatchIntervalMs ?? 100,
    reminderIntervalMs: 60_000,
    ...(s.retry ? { retry: s.retry } : {}),
    ...(s.breaker ? { breaker: s.breaker } : {}),
    ...(s.peerTimeoutMs ? { peerTimeoutMs: s.peerTimeoutMs } : {}),
    ...(s.witnessSeconds ? { archive: { witnessSeconds: s.witnessSeconds } } : {}),
  };
  const configPath = join(dir, "config.json");
  writeFileSync(configPath, JSON.stringify(config, null, 2) + "\n");
  // The checkpoint key the gateway will sign with (made now, where it looks for it), so the directory
  // can pin its vkey before the gateway first starts (issue 9 item 2).
  const checkpointVkeyPath = join(dir, "checkpoint.vkey");
  writeFileSync(
    checkpointVkeyPath,
    checkpointVerifierKey(join(dir, "data", "checkpoint.key.pem"), defaultOrigin([s.agencyId])) + "\n",
  );
  return {
    agencyId: s.agencyId,
    name: config.agencies[0]!.name,
    port: s.port,
    url: `http://127.0.0.1:${s.port}`,
    configPath,
    dataDir: join(dir, "data"),
    databasePath: join(dir, "data", "jiexu.db"),
    tokensPath: join(dir, "data", "dev-tokens.json"),
    checkpointVkeyPath,
  };
}

/** How the directory lists a credential: its fingerprint and validity period (or a narrower one). */
export function listingOf(
  credential: Pick<DevCredential, "fingerprint" | "notBefore" | "notAfter">,
  period: { notBefore?: Date; notAfter?: Date } = {},
): CertificateListing {
  return {
    sha256: credential.fingerprint,
    notBefore: (period.notBefore ?? credential.notBefore).toISOString(),
    notAfter: (period.notAfter ?? credential.notAfter).toISOString(),
  };
}

export interface DirectoryOptions {
  sequence: number;
  /** Gateway URL per listed agency. */
  routes: Record<string, string>;
  issuedAt?: Date;
  expiresAt?: Date;
  /** Replace the seal certificates listed for an agency (rollover: old and new side by side). */
  sealCertificates?: Record<string, CertificateListing[]>;
  /** Replace the seal formats listed for an agency (default: ["ses"] for an SES agency, none otherwise). */
  sealFormats?: Record<string, SealFormatName[]>;
}

/**
 * The directory the operator would publish: every routed agency with its dev PKI certificates and,
 * once its gateway's config is written, that gateway's checkpoint key for the directory's period.
 */
export function buildDirectory(ws: Workspace, o: DirectoryOptions): Directory {
  const issuedAt = o.issuedAt ?? new Date();
  const expiresAt = o.expiresAt ?? new Date(issuedAt.getTime() + 7 * 86_400_000);
  return {
    jiexuDirectory: DIRECTORY_FORMAT,
    operator: `接续全国根运营方 (${DEV_MARK})`,
    sequence: o.sequence,
    issuedAt: issuedAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
    agencies: Object.entries(o.routes).map(([id, gatewayUrl]) => {
      const agency = ws.pki.agencies.find((a) => a.spec.id === id);
      if (!agency) throw new RangeError(`agency ${id} is not in the workspace PKI`);
      const ses = ws.ses?.pki.agencies.find((a) => a.spec.id === id);
      return {
        id,
        name: agency.spec.name,
        gatewayUrl,
        sealCertificates: o.sealCertificates?.[id] ?? [listingOf(ses?.seal ?? agency.seal)],
        receiptCertificates: [listingOf(agency.receipt)],
        // An SES agency lists its format and its seal maker's root (issue 16); others list nothing (CAdES).
        ...(o.sealFormats?.[id] || ses ? { sealFormats: o.sealFormats?.[id] ?? ["ses"] } : {}),
        ...(ses ? { sealMakers: [ws.ses!.pki.root.certificatePem] } : {}),
        ...checkpointOf(ws, id, { notBefore: issuedAt.toISOString(), notAfter: expiresAt.toISOString() }),
      };
    }),
  };
}

function checkpointOf(
  ws: Workspace,
  agencyId: string,
  period: { notBefore: string; notAfter: string },
): { checkpoint?: CheckpointLogListing } {
  const path = join(ws.root, `gw-${agencyId}`, "checkpoint.vkey");
  if (!existsSync(path)) return {};
  const vkey = readFileSync(path, "utf8").trim();
  return { checkpoint: { origin: vkey.slice(0, vkey.indexOf("+")), keys: [{ vkey, ...period }] } };
}

/** Seal a directory with the workspace's directory-operator key and write it where the gateways read it. */
export async function publishDirectory(ws: Workspace, directory: Directory, at = new Date()): Promise<string> {
  const read = (p: string) => new Uint8Array(readFileSync(join(ws.pkiDir, p)));
  const [certificate] = loadCertificates(read("operator.cert.pem"));
  const key = await loadPrivateKey(read("operator.key.pem"), { certificate: certificate! });
  const sealed = sealDirectory(directory, { privateKey: key.privateKey, certificate: certificate!, chain: [] }, at);
  // Write then rename: a gateway refreshing at that moment reads the old file or the new one, never half.
  const partial = `${ws.directoryFile}.${process.pid}.tmp`;
  writeFileSync(partial, sealed + "\n");
  renameSync(partial, ws.directoryFile);
  return ws.directoryFile;
}

function writeSecretAware(path: string, contents: string | Uint8Array, mode: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, contents);
  chmodSync(path, mode);
}
