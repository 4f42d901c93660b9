import type { WitnessResult } from "../usecases/index.ts";
import { peerEndpoint } from "./http-transport.ts";
import type { DirectoryRemote } from "./remote.ts";

/** Peer gateways to exchange checkpoints with: every directory-listed gateway URL but ours. */
export function directoryPeers(directory: DirectoryRemote | undefined, hostedIds: string[]) {
  return {
    urls: (): string[] => {
      const agencies = directory?.holder.current()?.agencies ?? [];
      return [...new Set(agencies.filter((a) => !hostedIds.includes(a.id)).map((a) => a.gatewayUrl))];
    },
    offer: async (url: string, note: string, vkey: string): Promise<WitnessResult | undefined> => {
      const res = await fetch(peerEndpoint(url, "/v1/archive/witness"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ note, vkey }),
        signal: AbortSignal.timeout(10_000),
      });
      if (res.ok) return (await res.json()) as WitnessResult;
      // A refusal says why (e.g. WITNESS_ORIGIN_UNKNOWN: the directory does not list our log for that peer).
      const body = (await res.json().catch(() => ({}))) as { code?: unknown; message?: unknown };
      throw new WitnessRefusal(
        res.status,
        typeof body.code === "string" ? body.code : `HTTP_${res.status}`,
        typeof body.message === "string" ? body.message : "",
      );
    },
  };
}

/** A peer refused our checkpoint; `code` is its error code (logged by exchangeCheckpoints). */
class WitnessRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`witness answered ${status} ${code}${message ? `: ${message}` : ""}`);
  }
}
