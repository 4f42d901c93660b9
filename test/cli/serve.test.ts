import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * `jiexu serve` on a busy port (issue 15 item 4): one line naming the port and how to choose another,
 * exit 69, no stack trace; and the tokens file named in the banner when the tokens already exist.
 */
const BIN = join(import.meta.dirname, "../../bin/jiexu.js");
const BOUND_MS = 90_000; // a first run generates a development PKI; a loaded machine takes its time

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI until it exits, or until `stopWhen` sees stdout (then SIGTERM); SIGKILL at the bound. */
function runCli(args: string[], cwd: string, stopWhen?: RegExp): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stopWhen?.test(stdout)) child.kill("SIGTERM");
  });
  child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
  const bound = setTimeout(() => child.kill("SIGKILL"), BOUND_MS);
  return new Promise((resolve) =>
    child.once("close", (code) => {
      clearTimeout(bound);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe("jiexu serve on a busy port", () => {
  const cwd = mkdtempSync(join(tmpdir(), "jiexu-serve-"));
  let holder: Server;
  let port: number;

  beforeAll(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    port = (holder.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => holder.close(resolve));
    rmSync(cwd, { recursive: true, force: true });
  });

  it(
    "says which port is taken and how to choose another, exits 69, and prints no stack trace",
    async () => {
      const r = await runCli(["start", "--port", String(port)], cwd);
      expect(r.code).toBe(69);
      const said = r.stderr.split("\n").filter((l) => l.startsWith("jiexu start:"));
      expect(said).toEqual([
        `jiexu start: port ${port} on 127.0.0.1 is already in use: is another gateway running? choose another with --port N, JIEXU_PORT=N or "port" in data/config.json`,
      ]);
      expect(r.stderr).not.toMatch(/EADDRINUSE|^\s+at /m);
      expect(r.stdout).toBe("");
    },
    BOUND_MS + 5_000,
  );

  it(
    "names the tokens file in the banner when the tokens already exist (the run above wrote them)",
    async () => {
      const r = await runCli(["start", "--port", "0"], cwd, /Bearer tokens[^\n]*\n(.*\n)+.*admin/);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Bearer tokens (also in data/dev-tokens.json):");
      expect(r.stdout).toMatch(/^ {2}admin {6}jx_/m);
    },
    BOUND_MS + 5_000,
  );
});
