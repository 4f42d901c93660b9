import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { waitFor } from "../../../src/cli/demo/api.ts";
import { freePort, type Workspace } from "../../../src/cli/demo/workspace.ts";
import { devWorkerVars, dotenvText, type DevWorkerToken } from "../../../src/dev/worker-vars.ts";
import { newToken } from "../../../src/runtime/tokens.ts";

/**
 * One agency's gateway as a local Worker under `wrangler dev` (workerd, D1 persisted in the workspace),
 * configured from a multi-gateway workspace (src/cli/demo/workspace.ts) the way an operator would
 * configure a deployment: the workspace PKI's certificates, CRLs and the agency's keys as bindings, the
 * checkpoint key the directory pins, and the sealed directory as a binding. wrangler's output goes to a
 * log file in the workspace (`log()` reads it for failure messages).
 */

const ROOT = resolve(import.meta.dirname, "../../..");
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
/** Bundling and starting workerd took ~12 s on a quiet machine; two shared cores can make it much slower. */
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;

export interface WorkerGateway {
  agencyId: string;
  url: string;
  /** Bearer tokens by agency id, plus `compliance` and `admin` (as GatewayProcess.tokens). */
  tokens: Record<string, string>;
  persistDir: string;
  logPath: string;
  log(): string;
  /** One cron pass (GET /__scheduled): dispatcher, checkpoint, reminders, and what the Worker adds there. */
  scheduled(): Promise<void>;
  /** The local D1 database file miniflare keeps under the persist directory (read it read-only). */
  databasePath(): string;
  stop(): Promise<void>;
}

export interface WranglerDevOptions {
  agencyId: string;
  port: number;
  /** Merged into JIEXU_CONFIG (e.g. retry settings). */
  settings?: Record<string, unknown>;
}

/**
 * The Worker's vars for one agency of the workspace: its seal and receipt keys, the workspace's root,
 * issuing certificate and CRLs, the checkpoint key `writeGatewayConfig` made where the directory pins it,
 * and the sealed directory text as the DIRECTORY binding that `directory.file` names.
 */
export function workspaceWorkerVars(
  ws: Workspace,
  agencyId: string,
  tokens: readonly DevWorkerToken[],
  settings: Record<string, unknown> = {},
): Record<string, string> {
  const archiveKeyPem = readFileSync(join(ws.root, `gw-${agencyId}`, "data", "checkpoint.key.pem"), "utf8");
  const directory = readFileSync(ws.directoryFile, "utf8").trim();
  return devWorkerVars(
    ws.pki,
    tokens,
    { directory: { file: "DIRECTORY" }, ...settings },
    { agencyIds: [agencyId], archiveKeyPem, bindings: { DIRECTORY: directory } },
  );
}

/** Apply the D1 migrations to the workspace's local state, then start `wrangler dev` and wait for /healthz. */
export async function startWranglerDev(ws: Workspace, o: WranglerDevOptions): Promise<WorkerGateway> {
  const tokens: DevWorkerToken[] = [
    { token: newToken(), tokenId: `e2e-${o.agencyId}`, role: "agency", agencyId: o.agencyId },
    { token: newToken(), tokenId: "e2e-compliance", role: "compliance" },
    { token: newToken(), tokenId: "e2e-admin", role: "admin" },
  ];
  const envFile = join(ws.root, `worker-${o.agencyId}.env`);
  writeFileSync(envFile, dotenvText(workspaceWorkerVars(ws, o.agencyId, tokens, o.settings)), { mode: 0o600 });
  const persistDir = join(ws.root, "wrangler-state");
  const logPath = join(ws.root, `wrangler-${o.agencyId}.log`);
  const log = () => (existsSync(logPath) ? readFileSync(logPath, "utf8") : "");

  const migrationsLog = join(ws.root, "wrangler-migrations.log");
  const migrated = await runWrangler(
    ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir],
    migrationsLog,
  );
  if (migrated !== 0)
    throw new Error(
      `wrangler d1 migrations apply exited ${migrated}\n--- its log ---\n${readFileSync(migrationsLog, "utf8")}`,
    );

  const inspectorPort = await freePort();
  const child = spawnWrangler(
    [
      "dev",
      "--local",
      "--ip",
      "127.0.0.1",
      "--port",
      String(o.port),
      "--inspector-port",
      String(inspectorPort),
      "--persist-to",
      persistDir,
      "--env-file",
      envFile,
      "--test-scheduled",
      "--show-interactive-dev-session=false",
    ],
    logPath,
  );
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const url = `http://127.0.0.1:${o.port}`;
  const stop = () => stopTree(child, exited);
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error("wrangler dev exited");
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
        return res.status === 200 ? true : undefined;
      },
      `wrangler dev answering /healthz on ${url}`,
      START_TIMEOUT_MS,
      250,
    );
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- wrangler log ---\n${log()}`);
  }
  return {
    agencyId: o.agencyId,
    url,
    tokens: Object.fromEntries(tokens.map((t) => [t.agencyId ?? t.role, t.token])),
    persistDir,
    logPath,
    log,
    scheduled: () => scheduledPass(url),
    databasePath: () => d1File(persistDir),
    stop,
  };
}

/** One cron pass, as the cron trigger runs it; anything but 200 throws with what workerd said. */
async function scheduledPass(url: string): Promise<void> {
  const res = await fetch(`${url}/__scheduled`, { signal: AbortSignal.timeout(30_000) });
  if (res.status !== 200)
    throw new Error(`GET /__scheduled answered ${res.status}: ${(await res.text()).slice(0, 1_000)}`);
}

/** The one SQLite file miniflare keeps for the DB binding. */
function d1File(persistDir: string): string {
  const dir = join(persistDir, "v3", "d1", "miniflare-D1DatabaseObject");
  const files = readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (files.length !== 1) throw new Error(`expected one D1 database file in ${dir}, found ${files.join(", ")}`);
  return join(dir, files[0]!);
}

/** wrangler in its own process group (so its workerd child is stopped with it), output appended to the log. */
function spawnWrangler(args: string[], logPath: string): ChildProcess {
  const out = openSync(logPath, "a");
  try {
    return spawn(process.execPath, [WRANGLER, ...args], {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "1" },
      stdio: ["ignore", out, out],
      detached: true,
    });
  } finally {
    closeSync(out);
  }
}

function runWrangler(args: string[], logPath: string, timeoutMs = START_TIMEOUT_MS): Promise<number | null> {
  const child = spawnWrangler(args, logPath);
  return new Promise((resolve) => {
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function stopTree(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) killGroup(child, "SIGTERM");
  const timer = setTimeout(() => killGroup(child, "SIGKILL"), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
  // workerd may outlive wrangler's exit for a moment: make sure the whole group is gone.
  killGroup(child, "SIGKILL");
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // the group is gone already
  }
}
