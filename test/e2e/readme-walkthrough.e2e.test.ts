import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayProcess, type GatewayProcess } from "../../bench/support/gateway-process.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const HEADING = "#### Walkthrough: one transfer over HTTP";
/** The documents move in the background: a step that needs one not yet arrived answers 404/409 until it has. */
const WAIT_MS = 30_000;

/** The walkthrough's `sh` blocks as the README shows them. */
function walkthroughBlocks(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf(HEADING);
  const end = readme.indexOf("\n### ", start);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** One command per entry, backslash continuations joined. */
function commandsOf(block: string): string[] {
  return block
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/**
 * Issue 15 acceptance: the README's curl walkthrough executed as written — real `curl` in `sh`, from a
 * directory laid out like the repository root after `npm start` (`data/dev-tokens.json`, `schemas/`) —
 * against a started gateway (`jiexu serve`). Only the address line is pointed at the gateway's port; curl is
 * wrapped to print the status after the body, nothing else in a command changes.
 */
describe("the README's HTTP walkthrough against a started gateway", () => {
  let gw: GatewayProcess;
  let dir: string;
  let vars: string;
  let blocks: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "jiexu-walkthrough-"));
    symlinkSync(join(ROOT, "schemas"), join(dir, "schemas"));
    mkdirSync(join(dir, "data"));
    // As the README's reader starts it: bin/jiexu.js through tsx, not the suite's prebuilt bundle (test/support/prebuilt.ts).
    gw = await startGatewayProcess({ dataDir: join(dir, "data"), env: { JIEXU_TEST_BUILD: "" } });
    blocks = walkthroughBlocks();
    vars = blocks[0]!.replace("URL=http://127.0.0.1:8787", `URL=${gw.url}`);
  }, 120_000);
  afterAll(async () => {
    await gw?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const run = (command: string) => {
    const script = `curl() { command curl -w '\\n%{http_code}' "$@"; }\n${vars}\n${command}\n`;
    const p = spawnSync("sh", ["-c", script], { cwd: dir, encoding: "utf8", timeout: 15_000 });
    const lines = p.stdout.trimEnd().split("\n");
    return { status: Number(lines.at(-1)), body: lines.slice(0, -1).join("\n"), stderr: p.stderr };
  };

  it("answers every command with 200 or 201 and ends with the case completed", async () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    expect(vars).toContain(gw.url);
    const commands = blocks.slice(1).flatMap(commandsOf);
    expect(commands.every((c) => c.startsWith("curl "))).toBe(true);
    let last = { status: 0, body: "", stderr: "" };
    for (const command of commands) {
      const deadline = Date.now() + WAIT_MS;
      last = run(command);
      while ((last.status === 404 || last.status === 409) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        last = run(command);
      }
      expect({ command, status: last.status, body: last.status < 300 ? "" : last.body + last.stderr }).toEqual({
        command,
        status: expect.toSatisfy((s: number) => s === 200 || s === 201),
        body: "",
      });
    }
    expect(JSON.parse(last.body)).toMatchObject({ caseId: "CASE-330000-2024-000815", status: "completed" });
  }, 180_000);
});
