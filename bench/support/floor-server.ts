import { spawn, spawnSync } from "node:child_process";
import { createHash, generateKeyPairSync, sign, verify } from "node:crypto";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { readGatewayUrl } from "../../src/cli/demo/processes.ts";
import { GATEWAY_NODE_ARGS } from "./gateway-process.ts";
import { sampleDuring } from "./proc-stats.ts";
import { runWrk, type WrkResult } from "./wrk.ts";

/**
 * The ingest benchmark's reference server: the least any gateway on Node must do per sealed document, and
 * nothing else — node:http, the body read and JSON.parse'd, one SHA-256 over it, one ECDSA P-256 verify
 * and one sign (the seal and the receipt, cached KeyObjects, a 2 KB message as in verifySignRate) and a
 * 201 with a receipt-sized body. No validation, no storage, no durability.
 *
 * Why it exists: this VM's speed drifts by tens of percent within minutes (docs/ingest-performance.md),
 * and the raw crypto rate of one thread does not see every kind of slowdown (the kernel's network path,
 * scheduling, the load generator's share of the cores). Loaded by the same wrk, with the same bodies and
 * connections, just before and just after the gateway, this server shows what the machine could do for
 * the simplest possible gateway at that moment, and whether that moved during the run. Measured, it is
 * context rather than a better normaliser: the gateway's rate over it spread as widely across runs as its
 * rate over the crypto baseline (the seventh session in docs/ingest-performance.md).
 *
 * Run as a script it serves on an ephemeral port of 127.0.0.1 and prints its URL in the gateway's start-up line.
 */
interface FloorServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const RECEIPT_BYTES = 3072;

function serve(): void {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const message = Buffer.alloc(2048, 0x5a);
  const signature = sign("sha256", message, privateKey);
  const receipt = Buffer.alloc(RECEIPT_BYTES, 0x41);
  const answer = JSON.stringify({ receipt: receipt.toString("base64").slice(0, RECEIPT_BYTES) });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const value = JSON.parse(body.toString("utf8")) as { seal?: unknown };
      createHash("sha256").update(body).digest();
      const valid = typeof value.seal === "string" && verify("sha256", message, publicKey, signature);
      sign("sha256", receipt, privateKey);
      res.writeHead(valid ? 201 : 400, { "content-type": "application/json" });
      res.end(answer);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    // The gateway's start-up line, so the harness reads it with readGatewayUrl as it reads a gateway's.
    if (address && typeof address === "object")
      process.stdout.write(`Jiexu gateway listening on http://127.0.0.1:${address.port}\n`);
  });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}

/** Starts the reference server in its own process, with the gateway's node flags, and reads its URL as a gateway's. */
async function startFloorServer(): Promise<FloorServer> {
  const child = spawn(process.execPath, [...GATEWAY_NODE_ARGS, "--import", "tsx", fileURLToPath(import.meta.url)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<{ code: number | null }>((resolve) => child.once("exit", (code) => resolve({ code })));
  const url = await readGatewayUrl(child, exited, 30_000).catch((err: unknown) => {
    child.kill("SIGKILL");
    throw new Error(`reference server: ${(err as Error).message}`);
  });
  return {
    url,
    pid: child.pid!,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * The reference server (support/floor-server.ts) under wrk: 2 s of warm-up on the warm-up bodies, then 5 s on
 * the run's (it stores nothing, so the same bodies serve again), at the gateway's connection count.
 */
export async function measureFloor(options: {
  warmFile: string;
  runFile: string;
  connections: number;
  workDir: string;
  when: string;
  log: (line: string) => void;
}): Promise<WrkResult> {
  // Dirty pages left by what ran before (the bodies files just written, the gateway's database after its
  // last checkpoint) are written back first, so the kernel's writeback does not share this run's cores.
  spawnSync("sync");
  const server = await startFloorServer();
  try {
    const load = (bodiesFile: string, seconds: number) =>
      runWrk({
        url: server.url,
        path: "/v1/exchange",
        bodiesFile,
        seconds,
        connections: options.connections,
        workDir: options.workDir,
      });
    await load(options.warmFile, 2);
    const sampler = sampleDuring(server.pid);
    const run = await load(options.runFile, 5);
    const window = sampler.stop();
    const cpuMs = ((window.last.total - window.first.total) * 1000) / run.accepted;
    options.log(
      `reference server ${options.when}: ${(run.accepted / run.elapsed).toFixed(0)}/s, p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)}, ${cpuMs.toFixed(3)} ms CPU per request`,
    );
    if (run.other + run.errors > 0)
      throw new Error(`reference server: ${run.other} non-201 answers, ${run.errors} errors`);
    return run;
  } finally {
    await server.stop();
  }
}

/** The reference figures as the mean of the runs before and after the gateway's. */
export function againstFloor(before: WrkResult, after: WrkResult) {
  const mean = (f: (r: WrkResult) => number) => (f(before) + f(after)) / 2;
  return { rate: mean((r) => r.accepted / r.elapsed), p50: mean((r) => r.p50) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) serve();
