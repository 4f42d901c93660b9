import type { BreakerConfig } from "../domain/delivery/breaker.ts";
import { DirectoryError } from "../domain/directory/index.ts";
import {
  createDirectoryHolder,
  directoryOpener,
  type Clock,
  type DirectoryHolder,
  type DirectoryLoad,
  type Logger,
  type Metrics,
  type RouteProblem,
} from "../usecases/index.ts";
import type { RemoteAgencies, TrustMaterial } from "./compose.ts";
import type { GatewayConfig } from "./config.ts";
import { createHttpTransport, type HttpTransport } from "./http-transport.ts";
import { defined } from "./parse-materials.ts";

/**
 * Where the sealed directory comes from: a file (Node), a binding (Workers) or the URL an operator publishes it
 * at; each runtime turns its configuration into this one reader, so the holder logic is shared.
 */
export type DirectorySource = () => Promise<Uint8Array>;

export interface DirectoryRemote {
  remote: RemoteAgencies;
  holder: DirectoryHolder;
  transport: HttpTransport;
  /** Fetch the directory again; a refused or unreachable refresh keeps the last good one. */
  refresh(): Promise<DirectoryLoad | { ok: false; error: Error }>;
}

export interface DirectoryPorts {
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  breaker?: Partial<BreakerConfig>;
  /** Whole-request timeout of a send (http-transport.ts; default 15 s). */
  timeoutMs?: number;
  /** Per-peer bound on concurrent sends (http-transport.ts); the Worker bounds it per event instead. */
  maxConcurrentPerPeer?: number;
}

/**
 * GatewayPorts.remote for a configured directory, as both roots wire it: built once the gateway's trust
 * material exists (the directory is verified with it), and handed to `keep` for refreshes and witnessing.
 */
/** The configured peer breaker and send timeout as the directory's ports take them (node.ts, worker.ts). */
export function peerPortsOf(
  config: Pick<GatewayConfig, "breaker" | "peerTimeoutMs">,
): Pick<DirectoryPorts, "breaker" | "timeoutMs"> {
  return {
    ...(config.breaker ? { breaker: defined(config.breaker) } : {}),
    ...(config.peerTimeoutMs ? { timeoutMs: config.peerTimeoutMs } : {}),
  };
}

export function remoteFromDirectory(
  source: DirectorySource,
  ports: DirectoryPorts,
  keep: (directory: DirectoryRemote) => void,
): (material: TrustMaterial) => RemoteAgencies {
  return (material) => {
    const directory = createDirectoryRemote(material, source, ports);
    keep(directory);
    return directory.remote;
  };
}

/** Remote agencies as the signed directory lists them, reached over HTTP (issue 5 items 1–2; issue 14 on Workers). */
export function createDirectoryRemote(
  material: TrustMaterial,
  source: DirectorySource,
  ports: DirectoryPorts,
): DirectoryRemote {
  const holder = createDirectoryHolder({ open: directoryOpener({ trust: material.trust, crls: material.crls }) });
  const transport = createHttpTransport({
    routeFor: (id, now) => ({ url: holder.routeFor(id, now) }),
    clock: ports.clock,
    logger: ports.logger,
    ...(ports.metrics ? { metrics: ports.metrics } : {}),
    ...(ports.breaker ? { breaker: ports.breaker } : {}),
    ...(ports.maxConcurrentPerPeer ? { maxConcurrentPerPeer: ports.maxConcurrentPerPeer } : {}),
    ...(ports.timeoutMs ? { timeoutMs: ports.timeoutMs } : {}),
  });
  const remote: RemoteAgencies = {
    deliver: (to, bytes) => transport.deliver(to, bytes),
    routeProblem: (id, at) => routeProblem(holder, id, at),
    receiptCertificates: (id) => holder.receiptCertificates(id, ports.clock.now()),
    sealCertificateAccepted: (id, sha256, at) => holder.isListedSealCertificate(id, sha256, at),
    sealProfile: (id) => holder.sealProfile(id),
  };
  const refresh = async () => {
    try {
      const bytes = await source();
      const result = holder.load(bytes, ports.clock.now());
      if (!result.ok)
        ports.logger.warn("directory.refused", {
          code: result.error.code,
          message: result.error.message,
          kept: result.kept?.sequence,
        });
      else if (result.change !== "unchanged")
        ports.logger.info("directory.loaded", {
          sequence: result.directory.sequence,
          expiresAt: result.directory.expiresAt,
        });
      return result;
    } catch (err) {
      ports.logger.warn("directory.unavailable", { message: (err as Error).message });
      return { ok: false as const, error: err as Error };
    }
  };
  return { remote, holder, transport, refresh };
}

function routeProblem(holder: DirectoryHolder, id: string, at: Date): RouteProblem | undefined {
  try {
    holder.routeFor(id, at);
    return undefined;
  } catch (err) {
    if (!(err instanceof DirectoryError)) throw err;
    if (err.code === "DIRECTORY_EXPIRED" || err.code === "DIRECTORY_MISSING")
      return { code: err.code, message: err.message };
    return { code: "RECIPIENT_UNKNOWN", message: err.message };
  }
}

/** The directory as its operator publishes it over HTTP(S). */
export async function downloadDirectory(url: string): Promise<Uint8Array> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`directory download answered ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}
