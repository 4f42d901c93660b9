import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
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
/** What bin/jiexu.js's shebang and `npm start` give node: a gateway is measured as it runs. */
export const GATEWAY_NODE_ARGS = ["--max-semi-space-size=32"];

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
  // The gateway's log (one access line per request) goes straight to a file, not through a pipe this
  // process would have to read: the load generator shares the cores, and reading every line costs CPU
  // (issue 12 item 5). The tail of the file serves failure messages.
  const logPath = join(dataDir, "gateway.stderr.log");
  const logFd = openSync(logPath, "a");
  const child = spawn(
    process.execPath,
    [...GATEWAY_NODE_ARGS, ...(options.nodeArgs ?? []), BIN, "serve", "--data", dataDir, "--port", "0"],
    {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", logFd],
    },
  );
  closeSync(logFd);
  const STDERR_KEEP = 20_000;
  const stderrText = () => {
    try {
      return readFileSync(logPath, "utf8").slice(-STDERR_KEEP);
    } catch {
      return ""; // the data directory is gone
    }
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
