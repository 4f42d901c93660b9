import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMAND_NAMES } from "../../src/cli/main.ts";
import { jiexu } from "./run-jiexu.ts";

const root = resolve(import.meta.dirname, "../..");

/** Every command and subcommand of bin/jiexu.js (issue 15 item 3); groups first, then their subcommands. */
const GROUPS: Record<string, string[]> = {
  pki: ["init", "export-p12", "import-p12"],
  directory: ["build", "sign", "verify"],
  calendar: ["due", "workday"],
  archive: ["export", "verify", "audit"],
  backup: ["create", "verify", "restore"],
  ses: ["make-seal", "verify-seal"],
};
const LEAVES = ["seal", "verify", "check", "assess", "serve", "start", "demo"];
const EVERY = [
  ...Object.keys(GROUPS).map((g) => [g]),
  ...Object.entries(GROUPS).flatMap(([g, subs]) => subs.map((s) => [g, s])),
  ...LEAVES.map((c) => [c]),
];

describe("jiexu <command> --help", () => {
  it("covers every command main knows", () => {
    expect([...Object.keys(GROUPS), ...LEAVES].sort()).toEqual([...COMMAND_NAMES].sort());
  });

  it.each(EVERY.flatMap((command) => [[[...command, "--help"]], [[...command, "-h"]]]))(
    "jiexu %j prints its usage on stdout and exits 0",
    async (args) => {
      const r = await jiexu(...args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: jiexu ${args.slice(0, -1).join(" ")}\\b`));
      expect(r.stderr).toBe("");
    },
  );

  it.each(EVERY.filter((c) => !(c.length === 1 && c[0]! in GROUPS)))(
    "jiexu %s %s --help lists its options and its exit codes, 64 among them",
    async (...command) => {
      const { stdout } = await jiexu(...command, "--help");
      expect(stdout).toContain("Options:");
      expect(stdout).toMatch(/Exit codes:\n {2}0 {3}\S/);
      expect(stdout).toMatch(/^ {2}64 {2}usage error/m);
    },
  );

  it("takes help before anything else on the line: an option missing its value does not hide it", async () => {
    expect((await jiexu("seal", "--out", "--help")).code).toBe(0);
    expect((await jiexu("help", "archive", "verify")).stdout).toMatch(/^Usage: jiexu archive verify/);
  });

  it("prints the command list for jiexu --help (0) and for a bare jiexu (64)", async () => {
    expect((await jiexu("--help")).code).toBe(0);
    const bare = await jiexu();
    expect(bare.code).toBe(64);
    expect(bare.stdout).toContain("Usage: jiexu <command>");
  });

  it("runs as a real process without Node's positional-argument warning: pki init --help", () => {
    const r = spawnSync(process.execPath, [join(root, "bin/jiexu.js"), "pki", "init", "--help"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^Usage: jiexu pki init/);
  });
});

describe("a mistyped option, subcommand or command", () => {
  it.each([
    {
      args: ["verify", "--seal", "s.p7s", "--contnt", "d.json"],
      says: "unknown option '--contnt' (did you mean --content?)",
    },
    { args: ["archive", "verify", "p.zip", "--verbos"], says: "unknown option '--verbos' (did you mean --verbose?)" },
    { args: ["pki", "init", "--forse"], says: "(did you mean --force?)" },
    { args: ["archive", "expor"], says: "unknown subcommand 'expor' (did you mean export?)" },
    { args: ["chek", "x.json"], says: "unknown command 'chek' (did you mean check?)" },
  ])("jiexu $args exits 64 naming the closest: $says", async ({ args, says }) => {
    const r = await jiexu(...args);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain(says);
    expect(r.stderr).not.toContain("To specify a positional argument");
  });

  it("names no suggestion when nothing is close", async () => {
    const r = await jiexu("seal", "--zzzzzzzz");
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("unknown option '--zzzzzzzz'\n");
  });
});

describe("the README's exit-code table", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const start = readme.indexOf("### Exit codes");
  const section = readme.slice(start, readme.indexOf("\n### ", start + 1));

  it.each(COMMAND_NAMES)("has a row for jiexu %s", (name) => {
    expect(section).toMatch(new RegExp(`^\\|[^|]*\`jiexu ${name}\`[^|]*\\|`, "m"));
  });
});
