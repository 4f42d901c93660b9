import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import type { GatewayFiles } from "./workspace.ts";

/**
 * Gateways as separate processes, started the way an operator starts them:
 * `node bin/jiexu.js serve --config FILE`. The URL is the first stdout line; structured logs
 * (JSON lines on stderr) are kept so a caller can wait for an event such as `directory.loaded`.
 * A group tracks every child so that all of them are stopped on success, failure or interrupt.
 */

const BIN = fileURLToPath(new URL("../../../bin/jiexu.js", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BANNER = /^Jiexu gateway listening on (http:\/\/\S+)$/;
/**
 * Start-up takes ~2 s on a quiet machine and was seen at 30 s on a loaded one (two cores, a test
 * suite and busy loops beside it): waiting longer costs nothing when a gateway is healthy.
 */
export const START_TIMEOUT_MS = 120_000;
/**
 * A gateway's stop is bounded by itself (drain grace, peer timeouts; `jiexu serve` gives up and
 * exits 1 after 30 s): wait past that, so the exit code is the gateway's verdict, not our SIGKILL.
 */
export const STOP_TIMEOUT_MS = 40_000;

export type LogEntry = Record<string, unknown> & { event?: string; level?: string };

export interface GatewayProcess {
  files: GatewayFiles;
  pid: number;
  url: string;
  /** Bearer tokens by agency id, plus `compliance` and `admin` (the gateway's dev-tokens.json). */
  tokens: Record<string, string>;
  running(): boolean;
  /** Structured log entries (all but per-request lines, the last 5000) and the raw stderr tail. */
  logs(): LogEntry[];
  stderr(): string;
  waitForLog(match: (e: LogEntry) => boolean, what: string, timeoutMs?: number): Promise<LogEntry>;
  /** Signal (SIGTERM: graceful) and wait, bounded; SIGKILL when the deadline passes. */
  stop(
    signal?: NodeJS.Signals,
    timeoutMs?: number,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

export class ProcessGroup {
  readonly #children = new Set<ChildProcess>();
  #closed = false;

  /** Start `jiexu serve --config …` and resolve once it listens (bounded by `timeoutMs`). */
  async start(files: GatewayFiles, timeoutMs = START_TIMEOUT_MS): Promise<GatewayProcess> {
    if (this.#closed) throw new Error(`not starting the ${files.agencyId} gateway: the group is stopping`);
    // JIEXU_* variables would override every gateway's config (one port for all): the config file alone decides.
    // JIEXU_TEST_BUILD (the test suite's prebuilt bundle, bin/jiexu.js) is no config setting: it passes.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith("JIEXU_") || k === "JIEXU_TEST_BUILD"),
    );
    const child = spawn(process.execPath, [BIN, "serve", "--config", files.configPath], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.#children.add(child);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.once("exit", (code, signal) => {
        this.#children.delete(child);
        r({ code, signal });
      }),
    );
    let stderr = "";
    const entries: LogEntry[] = [];
    const waiters = new Set<(e: LogEntry) => void>();
    createInterface({ input: child.stderr! }).on("line", (line) => {
      stderr = (stderr + line + "\n").slice(-20_000);
      let entry: LogEntry | undefined;
      try {
        entry = JSON.parse(line) as LogEntry;
      } catch {
        return;
      }
      for (const w of waiters) w(entry);
      // Request lines are many (every poll); keep the events that tell what the gateway did.
      if (entry.event === "http.request") return;
      entries.push(entry);
      if (entries.length > 5_000) entries.shift();
    });
    let url: string;
    try {
      url = await readGatewayUrl(child, exited, timeoutMs);
    } catch (err) {
      child.kill("SIGKILL");
      throw new Error(`${files.agencyId} gateway: ${(err as Error).message}\n--- stderr ---\n${stderr}`);
    }
    const tokens = JSON.parse(readFileSync(files.tokensPath, "utf8")) as Record<string, string>;
    return {
      files,
      pid: child.pid!,
      url,
      tokens,
      running: () => child.exitCode === null && child.signalCode === null,
      logs: () => [...entries],
      stderr: () => stderr,
      waitForLog: (match, what, ms = 15_000) =>
        new Promise((resolve, reject) => {
          const found = entries.find(match);
          if (found) return resolve(found);
          const timer = setTimeout(() => {
            waiters.delete(check);
            reject(new Error(`${files.agencyId} gateway logged no ${what} within ${ms} ms`));
          }, ms);
          const check = (e: LogEntry) => {
            if (!match(e)) return;
            clearTimeout(timer);
            waiters.delete(check);
            resolve(e);
          };
          waiters.add(check);
        }),
      stop: async (signal = "SIGTERM", ms = STOP_TIMEOUT_MS) => {
        const started = performance.now();
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        const timer = setTimeout(() => child.kill("SIGKILL"), ms);
        try {
          const result = await exited;
          return { ...result, ms: performance.now() - started };
        } finally {
          clearTimeout(timer);
        }
      },
    };
  }

  /** Stop every child still running (SIGTERM, then SIGKILL after `graceMs`); start no new one after. */
  async stopAll(graceMs = STOP_TIMEOUT_MS): Promise<void> {
    this.#closed = true;
    const children = [...this.#children];
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
            child.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill("SIGTERM");
          }),
      ),
    );
  }

  /** Last resort on process exit: no waiting possible, so SIGKILL whatever is left. */
  killAllNow(): void {
    for (const child of this.#children) child.kill("SIGKILL");
  }

  size(): number {
    return this.#children.size;
  }
}

/** The banner's URL (first stdout line of `jiexu serve`), or a rejection when the process exits or the deadline passes first. */
export function readGatewayUrl(
  child: ChildProcess,
  exited: Promise<{ code: number | null }>,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    let done = false;
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      f();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`printed no URL within ${timeoutMs} ms`))), timeoutMs);
    lines.once("line", (line) => {
      const match = BANNER.exec(line.trim());
      finish(() => (match ? resolve(match[1]!) : reject(new Error(`unexpected first line: ${line}`))));
    });
    void exited.then(({ code }) => finish(() => reject(new Error(`exited (code ${code}) before printing its URL`))));
  });
}
