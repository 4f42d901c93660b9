import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { readGatewayUrl } from "../../src/cli/demo/processes.ts";

/**
 * A gateway started as a user starts it: `node bin/jiexu.js serve --data DIR --port 0` in its own
 * process. The URL is the first stdout line; development tokens come from DIR/dev-tokens.json.
 * Shared by the end-to-end tests (test/e2e) and the ingest benchmark.
 */
export interface GatewayProcess {
  url: string;
  dataDir: string;
  databasePath: string;
  child: ChildProcess;
  /** Bearer tokens by agency id, plus `compliance` and `admin`. */
  tokens: Record<string, string>;
  /** Everything the process wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** Send a signal and wait (bounded) for the exit; resolves with the exit code and signal. */
  stop(
    signal?: NodeJS.Signals,
    timeoutMs?: number,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

export interface StartProcessOptions {
  /** Reuse a data directory (restart); a fresh temporary one otherwise. */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Options for the server's node itself, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). */
  nodeArgs?: string[];
  startTimeoutMs?: number;
}

const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/jiexu.js");

export function makeDataDir(prefix = "jiexu-e2e-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDataDir(dir: string): void {
  // JIEXU_BENCH_KEEP=1 leaves the data directory for inspection (its path is on stderr).
  if (process.env.JIEXU_BENCH_KEEP === "1") {
    process.stderr.write(`bench: kept data directory ${dir}\n`);
    return;
  }
  rmSync(dir, { recursive: true, force: true });
}

export async function startGatewayProcess(options: StartProcessOptions = {}): Promise<GatewayProcess> {
  const dataDir = options.dataDir ?? makeDataDir();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, "serve", "--data", dataDir, "--port", "0"], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // The last ~20,000 characters, kept as chunks and trimmed now and then: a busy gateway logs every
  // request, and re-slicing one long string per chunk costs this process (the load generator's) CPU.
  const STDERR_KEEP = 20_000;
  let chunks: string[] = [];
  let kept = 0;
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    chunks.push(chunk);
    kept += chunk.length;
    if (kept > 4 * STDERR_KEEP) {
      const tail = chunks.join("").slice(-STDERR_KEEP);
      chunks = [tail];
      kept = tail.length;
    }
  });
  const stderrText = () => {
    const tail = chunks.join("").slice(-STDERR_KEEP);
    chunks = [tail];
    kept = tail.length;
    return tail;
  };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once("exit", (code, signal) => r({ code, signal })),
  );

  // A start that fails kills the process and removes the data directory if this call created it.
  const abandon = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (!options.dataDir) removeDataDir(dataDir);
  };
  let url: string;
  try {
    url = await readGatewayUrl(child, exited, options.startTimeoutMs ?? 30_000);
  } catch (err) {
    await abandon();
    throw new Error(`gateway: ${(err as Error).message}\n--- gateway stderr ---\n${stderrText()}`);
  }
  const tokens = JSON.parse(readFileSync(join(dataDir, "dev-tokens.json"), "utf8")) as Record<string, string>;

  return {
    url,
    dataDir,
    databasePath: join(dataDir, "jiexu.db"),
    child,
    tokens,
    stderr: stderrText,
    async stop(signal = "SIGTERM", timeoutMs = 10_000) {
      const started = performance.now();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`gateway did not exit within ${timeoutMs} ms of ${signal}`));
        }, timeoutMs);
      });
      try {
        const result = await Promise.race([exited, timeout]);
        return { ...result, ms: performance.now() - started };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
