import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { loadOrCreateArchiveKey } from "./archive-runtime.ts";
import type { GatewayMaterials } from "./compose.ts";
import { ConfigError, parseConfig, type GatewayConfig } from "./config.ts";
import { materialsFromConfig } from "./parse-materials.ts";
import { downloadDirectory, type DirectorySource } from "./remote.ts";

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

/** A gateway's configuration file: the one named, else `<dataDir>/config.json` (`data` by default). */
export function configPathOf(options: { configPath?: string; dataDir?: string }): string {
  return options.configPath ?? join(resolve(options.dataDir ?? "data"), "config.json");
}

/** The database file a configuration names. */
export function databasePathOf(loaded: LoadedConfig): string {
  return join(resolvePath(loaded, loaded.config.dataDir), loaded.config.database);
}

/** Read every key, certificate and CRL the configuration names; fails with the file that is wrong. */
export async function loadMaterials(
  loaded: LoadedConfig,
  options: { createArchiveKey?: boolean } = {},
): Promise<GatewayMaterials> {
  const { config } = loaded;
  const read = (p: string) => {
    const full = resolvePath(loaded, p);
    if (!existsSync(full)) throw new ConfigError(`file not found: ${full}`);
    return new Uint8Array(readFileSync(full));
  };
  const keyPath = resolvePath(loaded, config.archive.key ?? join(config.dataDir, "checkpoint.key.pem"));
  // Checking a copy elsewhere must not mint a key: a gateway started there later would sign with it.
  if (options.createArchiveKey === false && !existsSync(keyPath))
    throw new ConfigError(`no checkpoint key at ${keyPath}: copy the gateway's key there to verify its archive`);
  const archiveKey = loadOrCreateArchiveKey(keyPath);
  return materialsFromConfig(config, read, archiveKey);
}

/** The configured directory on a server: a sealed file (relative to the config) or its operator's URL. */
export function nodeDirectorySource(
  loaded: LoadedConfig,
  directory: NonNullable<GatewayConfig["directory"]>,
): DirectorySource {
  if (directory.file) {
    const file = resolvePath(loaded, directory.file);
    return async () => new Uint8Array(await readFile(file));
  }
  const url = directory.url!;
  return () => downloadDirectory(url);
}
