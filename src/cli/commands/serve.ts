import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import type { RunningGateway } from "../../runtime/node.ts";
import type { CliIo } from "../io.ts";

/** A last resort: a stop that has not finished by then is reported and the process exits 1. */
const STOP_WATCHDOG_MS = 30_000;

/**
 * `jiexu serve [--config FILE] [--data DIR] [--port N] [--host H]`: what `npm start` runs.
 * SIGTERM or SIGINT, whenever it arrives — during start-up too — stops the gateway gracefully and
 * the process exits 0 (issue 9 item 11). The handlers are installed before the gateway's modules
 * load, and before the banner a supervisor may be waiting for: a signal sent the moment the banner
 * appears must find them in place, or Node's default action kills the process.
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: "string" },
      data: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
    },
  });
  const stop = awaitStopSignal(io);
  // From this line on a stop signal is handled (a supervisor or test may wait for it).
  io.err(
    JSON.stringify({ time: new Date().toISOString(), level: "info", event: "gateway.starting", pid: process.pid }),
  );
  const { startGateway } = await import("../../runtime/node.ts");
  const running = await startGateway({
    ...(values.config ? { configPath: values.config } : {}),
    ...(values.data ? { dataDir: values.data } : {}),
    ...(values.port ? { port: Number(values.port) } : {}),
    ...(values.host ? { host: values.host } : {}),
  });
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
  return 0;
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
