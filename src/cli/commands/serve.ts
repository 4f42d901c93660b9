import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import type { RunningGateway } from "../../runtime/node.ts";
import type { ListenError } from "../../runtime/http-server.ts";
import { CommandFailure, EXIT, UsageError, type CliIo } from "../io.ts";
import { createProgress, type Progress } from "../progress.ts";
import { parseCommand, type CommandSpec } from "../spec.ts";

/** A last resort: a stop that has not finished by then is reported and the process exits 1. */
const STOP_WATCHDOG_MS = 30_000;

export const SPEC = {
  name: "serve",
  usage: ["serve [--config FILE] [--data DIR] [--port N] [--host H]"],
  about: [
    "Run the gateway. Without --config, DIR/config.json is used, and created on first run with a development",
    "PKI and development tokens (never for production). SIGTERM or SIGINT stops it gracefully (exit 0).",
  ],
  options: {
    config: { type: "string" },
    data: { type: "string" },
    port: { type: "string" },
    host: { type: "string" },
  },
  optionHelp: [
    ["--config FILE", "the configuration (default DIR/config.json)"],
    ["--data DIR", "the data directory (default data)"],
    ["--port N", "the port (default: JIEXU_PORT, else the configuration's port, 8787 for development)"],
    ["--host H", "the address to listen on (default: JIEXU_HOST, else the configuration's host)"],
  ],
  exits: [
    [EXIT.OK, "stopped by SIGTERM or SIGINT"],
    [EXIT.FAILED, "in-flight work not finished within 30 s of the stop signal"],
    [EXIT.UNAVAILABLE, "the port is already in use or not permitted"],
    [EXIT.CONFIG, "the configuration is missing or invalid"],
  ],
} satisfies CommandSpec;

/** `jiexu start`: the same command under the name `npm start` uses. */
export const START_SPEC = {
  ...SPEC,
  name: "start",
  usage: [SPEC.usage[0]!.replace(/^serve/, "start")],
  about: ["What `npm start` runs: `jiexu serve` with data/ as its home.", ...SPEC.about],
} satisfies CommandSpec;

/**
 * `jiexu serve [--config FILE] [--data DIR] [--port N] [--host H]`: what `npm start` runs.
 * SIGTERM or SIGINT, whenever it arrives — during start-up too — stops the gateway gracefully and
 * the process exits 0 (issue 9 item 11). The handlers are installed before the gateway's modules
 * load, and before the banner a supervisor may be waiting for: a signal sent the moment the banner
 * appears must find them in place, or Node's default action kills the process.
 */
export async function run(args: string[], io: CliIo, name: "serve" | "start" = "serve"): Promise<number> {
  const parsed = parseCommand(name === "start" ? START_SPEC : SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values } = parsed;
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535))
    throw new UsageError(`--port must be a port number (0–65535), got '${values.port}'`);
  const stop = awaitStopSignal(io);
  // From this line on a stop signal is handled (a supervisor or test may wait for it).
  io.err(
    JSON.stringify({ time: new Date().toISOString(), level: "info", event: "gateway.starting", pid: process.pid }),
  );
  const progress = firstRunProgress(values, io);
  const { startGateway } = await import("../../runtime/node.ts");
  const running = await startGateway({
    ...(values.config ? { configPath: values.config } : {}),
    ...(values.data ? { dataDir: values.data } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(values.host ? { host: values.host } : {}),
  })
    .catch((err: unknown) => {
      if (err instanceof Error && err.name === "ListenError") throw notListening(err as ListenError, values);
      throw err;
    })
    .finally(() => progress?.end());
  // Told to stop while starting: stop without announcing an address nobody should use.
  if (!stop.requested()) io.out(banner(running));
  await stop.signalled;
  const watchdog = setTimeout(() => {
    io.err(`jiexu: in-flight work not finished within ${STOP_WATCHDOG_MS} ms, exiting`);
    process.exit(1);
  }, STOP_WATCHDOG_MS);
  watchdog.unref();
  await running.close();
  clearTimeout(watchdog);
  return EXIT.OK;
}

/**
 * A first run without --config writes a development PKI (several seconds): shown on a terminal only, since
 * stderr is otherwise the gateway's structured log.
 */
function firstRunProgress(values: { config?: string; data?: string }, io: CliIo): Progress | undefined {
  const dataDir = values.data ?? "data";
  if (!io.tty || values.config || existsSync(join(dataDir, "config.json"))) return undefined;
  const progress = createProgress(io, "serve");
  progress.phase(`first run: writing a development PKI and tokens to ${dataDir}/`);
  return progress;
}

/** One line for a port that cannot be had, with the three ways to choose another (issue 15 item 4). */
function notListening(err: ListenError, values: { config?: string; data?: string }): CommandFailure {
  const config = values.config ?? join(values.data ?? "data", "config.json");
  const how = `choose another with --port N, JIEXU_PORT=N or "port" in ${config}`;
  const hint = err.code === "PORT_IN_USE" ? `is another gateway running? ${how}` : how;
  return new CommandFailure(`${err.message}: ${hint}`, EXIT.UNAVAILABLE);
}

/**
 * SIGTERM/SIGINT handlers for the life of the process. The first signal starts the stop; later ones
 * are noted and ignored (the stop is bounded), so a repeated signal cannot kill a half-done stop.
 */
function awaitStopSignal(io: CliIo): { signalled: Promise<NodeJS.Signals>; requested(): boolean } {
  let received: NodeJS.Signals | undefined;
  let resolve!: (signal: NodeJS.Signals) => void;
  const signalled = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) return io.err(`jiexu: ${signal} again, still finishing in-flight work…`);
    received = signal;
    io.err(`jiexu: ${signal}, finishing in-flight work…`);
    resolve(signal);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  // Signals that arrived while bin/jiexu.js was still loading the sources.
  const early = (globalThis as { jiexuEarlySignals?: { take(): NodeJS.Signals[] } }).jiexuEarlySignals?.take() ?? [];
  for (const signal of early) onSignal(signal);
  return { signalled, requested: () => received !== undefined };
}

function banner({
  url,
  development,
  tokens,
  dataDir,
}: Pick<RunningGateway, "url" | "development" | "tokens" | "dataDir">): string {
  const inside = relative(process.cwd(), dataDir);
  const home = inside === "" ? "." : inside.startsWith("..") ? dataDir : inside;
  const lines = [
    `Jiexu gateway listening on ${url}`,
    `  pages           ${url}/  (track ${url}/track · verify ${url}/verify · agency console ${url}/console)`,
    `  API reference   ${url}/docs   (OpenAPI: ${url}/openapi.json)`,
    `  health/metrics  ${url}/healthz  ${url}/metrics`,
    `  exchange        POST ${url}/v1/exchange`,
  ];
  if (development) {
    lines.push("", `DEVELOPMENT MODE: development PKI and tokens under ${home}/ — never use them in production.`);
    if (tokens)
      lines.push(
        `Bearer tokens (also in ${join(home, "dev-tokens.json")}):`,
        ...Object.entries(tokens).map(([k, v]) => `  ${k.padEnd(10)} ${v}`),
      );
  }
  return lines.join("\n");
}
