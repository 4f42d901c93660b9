import { loadNoteKeyPem } from "../pki/index.ts";
import type { Principal } from "../usecases/index.ts";
import type { GatewayMaterials } from "./compose.ts";
import { ConfigError, parseConfig, type GatewayConfig } from "./config.ts";
import { materialsFromConfig } from "./parse-materials.ts";
import { downloadDirectory, type DirectorySource } from "./remote.ts";

/**
 * The Worker's configuration (issue 14 item 1). `JIEXU_CONFIG` (a var) is the same JSON as the Node
 * config file, except that where Node names a file it names a binding: a var for public certificates and
 * CRLs, a secret (`wrangler secret put`) for private keys. A binding holds PEM text, or base64 of DER.
 * `JIEXU_TOKENS` (a secret) lists the API tokens: `[{ "token", "tokenId", "role", "agencyId"? }]`.
 * The signed directory: `"directory": { "file": "DIRECTORY" }` names a var holding the sealed directory text
 * (replaced by a redeploy), or `{ "url": … }` where its operator publishes it (fetched again on each cron pass).
 */
export interface WorkerConfigEnv {
  JIEXU_CONFIG?: string;
  JIEXU_TOKENS?: string;
  [binding: string]: unknown;
}

export interface WorkerSettings {
  config: GatewayConfig;
  materials: GatewayMaterials;
  tokens: { token: string; principal: Principal }[];
  directory?: DirectorySource;
}

export async function readWorkerSettings(env: WorkerConfigEnv): Promise<WorkerSettings> {
  if (typeof env.JIEXU_CONFIG !== "string") throw new ConfigError("the JIEXU_CONFIG var is not set");
  const config = parseConfig(parseJson(env.JIEXU_CONFIG, "JIEXU_CONFIG"));
  const read = (name: string) => bindingBytes(env, name);
  // No file to create it in: a Worker's checkpoint key is a secret the operator made once (`jiexu pki init`).
  if (!config.archive.key) throw new ConfigError("archive.key must name the secret holding the checkpoint key");
  const archiveKey = loadNoteKeyPem(read(config.archive.key));
  const materials = await materialsFromConfig(config, read, archiveKey);
  const directory = config.directory && directorySource(config.directory, env);
  return { config, materials, tokens: parseTokens(env.JIEXU_TOKENS), ...(directory ? { directory } : {}) };
}

/** The sealed directory is JSON text: the binding is taken as it is (a missing one fails composition, not a refresh). */
function directorySource(directory: NonNullable<GatewayConfig["directory"]>, env: WorkerConfigEnv): DirectorySource {
  const { file, url } = directory;
  if (file === undefined) return () => downloadDirectory(url!);
  const text = env[file];
  if (typeof text !== "string" || text.length === 0) throw new ConfigError(`binding ${file} is not set`);
  const bytes = new TextEncoder().encode(text);
  return async () => bytes;
}

/** A binding's bytes: PEM text as it is (the PKI readers take PEM), anything else as base64 of DER. */
function bindingBytes(env: WorkerConfigEnv, name: string): Uint8Array {
  const value = env[name];
  if (typeof value !== "string" || value.length === 0) throw new ConfigError(`binding ${name} is not set`);
  if (value.trimStart().startsWith("-----BEGIN")) return new TextEncoder().encode(value);
  try {
    return Uint8Array.from(atob(value.replace(/\s+/g, "")), (ch) => ch.charCodeAt(0));
  } catch {
    throw new ConfigError(`binding ${name} is neither PEM nor base64`);
  }
}

function parseTokens(text: string | undefined): WorkerSettings["tokens"] {
  if (text === undefined) return [];
  const raw = parseJson(text, "JIEXU_TOKENS");
  if (!Array.isArray(raw)) throw new ConfigError("JIEXU_TOKENS must be a JSON array");
  return raw.map((t: { token?: unknown; tokenId?: unknown; role?: unknown; agencyId?: unknown }, i) => {
    const roles = ["agency", "compliance", "admin"];
    if (typeof t.token !== "string" || t.token.length < 16 || typeof t.tokenId !== "string")
      throw new ConfigError(`JIEXU_TOKENS[${i}]: token (16+ characters) and tokenId are required`);
    if (typeof t.role !== "string" || !roles.includes(t.role))
      throw new ConfigError(`JIEXU_TOKENS[${i}]: role is one of ${roles.join(", ")}`);
    if (t.role === "agency" && typeof t.agencyId !== "string")
      throw new ConfigError(`JIEXU_TOKENS[${i}]: an agency token names its agencyId`);
    const principal = { tokenId: t.tokenId, role: t.role, ...(t.role === "agency" ? { agencyId: t.agencyId } : {}) };
    return { token: t.token, principal: principal as Principal };
  });
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${name} is not JSON: ${(err as Error).message}`);
  }
}
