import { serve, type ServerType } from "@hono/node-server";
import Database from "better-sqlite3";
import { rfc6962Hasher } from "../../../src/pki/merkle-hasher.ts";
import { spawn, type ChildProcess } from "node:child_process";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { createApp } from "../../../src/http/app.ts";
import { createMetricsRegistry } from "../../../src/http/metrics.ts";
import { silentLogger } from "../../../src/runtime/basics.ts";
import { buildGateway, type Gateway, type RemoteAgencies } from "../../../src/runtime/compose.ts";
import { materialsFromDevPki } from "../../../src/runtime/materials.ts";
import { configureSqlite, migrateSqlite } from "../../../src/storage/connection.ts";
import { createSqliteStore } from "../../../src/storage/sqlite-store.ts";
import type { Metrics, PeerTransport, RetryPolicy } from "../../../src/usecases/index.ts";
import { devPkiFixture } from "../../fixtures/dev-pki.ts";
import { testClock, type TestClock } from "../../support/gateway-harness.ts";

/**
 * Pieces for multi-gateway tests: a sender gateway that hosts only some agencies and reaches the
 * others through a real transport, a gateway served over loopback HTTP, and the flaky peer process.
 */

export interface RemoteSender extends Gateway {
  clock: TestClock;
  close(): Promise<void>;
}

/** A gateway (in-memory SQLite, shared development PKI) hosting `hosted`; every other listed agency is remote. */
export async function createRemoteSender(options: {
  hosted: string[];
  transport: PeerTransport;
  /** Receipt certificate fingerprints per remote agency (what the directory would list). */
  receiptCertificates: Record<string, string[]>;
  retry: RetryPolicy;
  random: () => number;
  metrics: Metrics;
}): Promise<RemoteSender> {
  const pki = await devPkiFixture();
  const clock = testClock();
  const sqlite = new Database(":memory:");
  configureSqlite(sqlite);
  migrateSqlite(sqlite);
  const store = createSqliteStore(sqlite, { archiveHasher: rfc6962Hasher });
  const materials = materialsFromDevPki(pki, { retry: options.retry });
  materials.agencies = materials.agencies.filter((a) => options.hosted.includes(a.id));
  let seq = 0;
  const remote: RemoteAgencies = {
    deliver: (to, bytes) => options.transport.deliver(to, bytes),
    routeProblem: (id) =>
      id in options.receiptCertificates
        ? undefined
        : { code: "RECIPIENT_UNKNOWN", message: `agency ${id} is not listed` },
    receiptCertificates: (id) => options.receiptCertificates[id] ?? [],
    sealCertificateAccepted: () => false,
    sealProfile: () => undefined,
  };
  const gateway = buildGateway(materials, {
    store,
    clock,
    ids: { newId: (p) => `${p}-sender-${++seq}` },
    random: options.random,
    logger: silentLogger,
    metrics: options.metrics,
    remote,
  });
  return {
    ...gateway,
    clock,
    close: async () => {
      await gateway.dispatcher.idle();
      await store.close();
    },
  };
}

/** Serve a gateway's HTTP app on a loopback port. */
export async function serveGateway(gateway: Gateway): Promise<{ url: string; close(): Promise<void> }> {
  const app = createApp({ gateway: gateway.deps, metrics: createMetricsRegistry(), logger: silentLogger });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    s.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

export interface FlakyPeerStats {
  requests: number;
  actions: string[];
  targetStatuses: number[];
  inFlightForwards: number;
}

export interface FlakyPeer {
  url: string;
  stats(): Promise<FlakyPeerStats>;
  stop(): Promise<void>;
}

/** Spawn test/e2e/support/flaky-peer.ts as its own process; resolves once it listens (bounded wait). */
export async function spawnFlakyPeer(target: string, script: string[], startTimeoutMs = 20_000): Promise<FlakyPeer> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "test/e2e/support/flaky-peer.ts", "--target", target, "--script", script.join(",")],
    {
      cwd: new URL("../../..", import.meta.url).pathname,
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => void (stderr += c.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`flaky peer did not start within ${startTimeoutMs} ms: ${stderr}`)),
      startTimeoutMs,
    );
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(err);
    };
    child.once("exit", (code) => fail(new Error(`flaky peer exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    stats: async () =>
      (await (await fetch(`${url}/stats`, { signal: AbortSignal.timeout(5_000) })).json()) as FlakyPeerStats,
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
  await exited;
  clearTimeout(timer);
}
