import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { parseCalendarConfig } from "../domain/calendar/index.ts";
import { decodeCrlFile, loadCertificates, loadPrivateKey, type SealKey } from "../pki/index.ts";
import { DEFAULT_RETRY } from "../usecases/index.ts";
import { defaultOrigin, loadOrCreateArchiveKey } from "./archive-runtime.ts";
import type { GatewayMaterials } from "./compose.ts";
import { ConfigError, parseConfig, type AgencyConfig, type GatewayConfig } from "./config.ts";

export interface LoadedConfig {
  config: GatewayConfig;
  /** Directory the config's relative paths are resolved against. */
  baseDir: string;
  path: string;
}

export function readConfigFile(path: string, env: Record<string, string | undefined> = process.env): LoadedConfig {
  if (!existsSync(path)) throw new ConfigError(`no configuration at ${path}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ConfigError(`${path} is not JSON: ${(err as Error).message}`);
  }
  return { config: parseConfig(raw, env), baseDir: dirname(resolve(path)), path: resolve(path) };
}

export function resolvePath(loaded: LoadedConfig, p: string): string {
  return isAbsolute(p) ? p : resolve(loaded.baseDir, p);
}

/** Read every key, certificate and CRL the configuration names; fails with the file that is wrong. */
export async function loadMaterials(loaded: LoadedConfig): Promise<GatewayMaterials> {
  const { config } = loaded;
  const read = (p: string) => {
    const full = resolvePath(loaded, p);
    if (!existsSync(full)) throw new ConfigError(`file not found: ${full}`);
    return new Uint8Array(readFileSync(full));
  };
  const agencies = await Promise.all(
    config.agencies.map(async (a) => ({
      id: a.id,
      name: a.name,
      seal: await loadKey(a.seal, read),
      receipt: await loadKey(a.receipt, read),
      ...(a.webhook ? { webhook: a.webhook } : {}),
    })),
  );
  return {
    agencies,
    trustAnchors: config.trustAnchors.flatMap((p) => loadCertificates(read(p))),
    intermediates: config.intermediates.flatMap((p) => loadCertificates(read(p))),
    crls: config.crls.flatMap((p) => decodeCrlFile(read(p))),
    revocation: config.revocation,
    ...(config.calendar !== undefined ? { calendar: parseCalendarConfig(config.calendar) } : {}),
    priorityTargetWorkingDays: config.priorityTargetWorkingDays,
    maxDocumentBytes: config.maxDocumentBytes,
    maxUploadBytes: config.maxUploadBytes,
    maxRequestBytes: config.maxRequestBytes,
    archiveKey: {
      privateKey: loadOrCreateArchiveKey(
        resolvePath(loaded, config.archive.key ?? join(config.dataDir, "checkpoint.key.pem")),
      ),
      origin: config.archive.origin ?? defaultOrigin(config.agencies.map((a) => a.id)),
    },
    ...(config.retry ? { retry: { ...DEFAULT_RETRY, ...defined(config.retry) } } : {}),
  };
}

async function loadKey(files: AgencyConfig["seal"], read: (p: string) => Uint8Array): Promise<SealKey> {
  if ("p12" in files) {
    const k = await loadPrivateKey(read(files.p12), { password: files.password });
    if (!k.certificate) throw new ConfigError(`${files.p12} holds no certificate`);
    return { privateKey: k.privateKey, certificate: k.certificate, chain: k.chain };
  }
  const certs = loadCertificates(read(files.cert));
  const k = await loadPrivateKey(read(files.key), {
    ...(files.password ? { password: files.password } : {}),
    certificate: certs[0]!,
  });
  return {
    privateKey: k.privateKey,
    certificate: certs[0]!,
    chain: [...certs.slice(1), ...files.chain.flatMap((p) => loadCertificates(read(p)))],
  };
}

/** The fields of a partial settings block that are set (a field left out keeps its default). */
export function defined<T extends object>(partial: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
