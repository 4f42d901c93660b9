import { rmSync } from "node:fs";
import { join } from "node:path";
import type { CliIo } from "../io.ts";
import { ProcessGroup, type GatewayProcess } from "./processes.ts";
import {
  createWorkspace,
  freePort,
  writeGatewayConfig,
  type GatewayFiles,
  type GatewaySettings,
  type Workspace,
} from "./workspace.ts";

/**
 * Several single-agency gateways on loopback, each its own process, data directory, database, keys
 * and tokens, all trusting one development root and loading one sealed directory. Used by
 * `jiexu demo` and by the multi-gateway end-to-end tests.
 */

/**
 * Quick retries and a quick breaker, so a short outage shows backoff and recovery within seconds;
 * checkpoints offered to the peers every 2 s, so cross-witnessing runs during the demo too.
 */
export const DEMO_SETTINGS: Omit<GatewaySettings, "agencyId" | "port"> = {
  dispatchIntervalMs: 100,
  witnessSeconds: 2,
  retry: { baseSeconds: 0.2, capSeconds: 1, maxAgeSeconds: 600 },
  breaker: { failureThreshold: 3, cooldownMs: 1_000, cooldownGrowth: 1, maxCooldownMs: 1_000 },
};

export interface Cluster {
  ws: Workspace;
  group: ProcessGroup;
  files: Record<string, GatewayFiles>;
  /** Running gateways by agency id (a stopped one stays here until started again). */
  gateways: Record<string, GatewayProcess>;
  /** Gateway URL per agency, what the directory lists. */
  routes(): Record<string, string>;
  start(agencyId: string): Promise<GatewayProcess>;
  startAll(): Promise<GatewayProcess[]>;
  /** Rewrite one gateway's config (same port, same data directory), e.g. to roll its seal key over. */
  reconfigure(agencyId: string, settings: Partial<GatewaySettings>): GatewayFiles;
  /** Stop every process; remove the workspace unless `keep`. */
  close(keep?: boolean): Promise<void>;
}

export async function createCluster(
  agencyIds: readonly string[],
  options: { prefix?: string; settings?: Partial<GatewaySettings>; now?: Date; sesAgencies?: string[] } = {},
): Promise<Cluster> {
  const ws = await createWorkspace(agencyIds, {
    ...(options.prefix ? { prefix: options.prefix } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.sesAgencies ? { sesAgencies: options.sesAgencies } : {}),
  });
  const group = new ProcessGroup();
  try {
    const ports = new Set<number>();
    const settings: Record<string, GatewaySettings> = {};
    const files: Record<string, GatewayFiles> = {};
    for (const agencyId of agencyIds) {
      let port = await freePort();
      while (ports.has(port)) port = await freePort();
      ports.add(port);
      settings[agencyId] = { ...DEMO_SETTINGS, ...options.settings, agencyId, port };
      files[agencyId] = writeGatewayConfig(ws, settings[agencyId]);
    }
    const gateways: Record<string, GatewayProcess> = {};
    let closing: Promise<void> | undefined;
    const cluster: Cluster = {
      ws,
      group,
      files,
      gateways,
      routes: () => Object.fromEntries(Object.values(files).map((f) => [f.agencyId, f.url])),
      start: async (agencyId) => (gateways[agencyId] = await group.start(files[agencyId]!)),
      startAll: () => Promise.all(agencyIds.map((id) => cluster.start(id))),
      reconfigure: (agencyId, change) => {
        settings[agencyId] = { ...settings[agencyId]!, ...change, agencyId, port: settings[agencyId]!.port };
        return (files[agencyId] = writeGatewayConfig(ws, settings[agencyId]));
      },
      close: (keep = false) =>
        (closing ??= (async () => {
          await group.stopAll();
          if (!keep) rmSync(ws.root, { recursive: true, force: true, maxRetries: 3 });
        })()),
    };
    return cluster;
  } catch (err) {
    rmSync(ws.root, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Publish the directory as the national root operator does, with the operator's own commands:
 * `jiexu directory build` (certificates from the PKI manifest, each gateway's checkpoint vkey as its
 * operator handed it over) then `jiexu directory sign`.
 */
export async function publishWithOperatorTools(
  cluster: Cluster,
  options: { sequence: number; validDays?: number },
  io: CliIo,
): Promise<string> {
  const { run } = await import("../commands/directory.ts");
  const unsealed = join(cluster.ws.root, `directory-${options.sequence}.json`);
  const agencies = Object.entries(cluster.routes()).flatMap(([id, url]) => ["--agency", `${id}=${url}`]);
  const logs = Object.values(cluster.files).flatMap((f) => [
    "--checkpoint-key",
    `${f.agencyId}=${f.checkpointVkeyPath}`,
  ]);
  const built = await run(
    [
      "build",
      "--pki",
      cluster.ws.pkiDir,
      ...agencies,
      ...logs,
      "--sequence",
      String(options.sequence),
      "--valid-days",
      String(options.validDays ?? 1),
      "--out",
      unsealed,
    ],
    io,
  );
  if (built !== 0) throw new Error(`jiexu directory build exited ${built}`);
  const pki = cluster.ws.pkiDir;
  const signed = await run(
    [
      "sign",
      "--in",
      unsealed,
      "--key",
      join(pki, "operator.key.pem"),
      "--cert",
      join(pki, "operator.cert.pem"),
      "--out",
      cluster.ws.directoryFile,
    ],
    io,
  );
  if (signed !== 0) throw new Error(`jiexu directory sign exited ${signed}`);
  return cluster.ws.directoryFile;
}
