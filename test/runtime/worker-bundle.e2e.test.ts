import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";

/**
 * Issue 14 acceptance: the Worker bundle as `wrangler deploy` would upload it, built with the repository's
 * wrangler.toml (`--dry-run --outdir`, no account, no network), its size printed, and none of the Node-only
 * modules the Node root uses (better-sqlite3, worker_threads, fs) in it — test/architecture.test.ts keeps
 * them out of the sources the Worker imports; this checks what esbuild actually bundled.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
const NODE_ONLY = /^(?:node:)?(?:fs|fs\/promises|worker_threads)$|^better-sqlite3(?:\/|$)/;

/** Every module specifier the bundle imports: static and dynamic imports, and esbuild's __require calls. */
function importedModules(bundle: string): string[] {
  const patterns = [
    /^\s*import\s[^;]*?from\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /^\s*export\s[^;]*?from\s*["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\b__require\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return [...new Set(patterns.flatMap((p) => [...bundle.matchAll(p)].map((m) => m[1]!)))].sort();
}

describe("the Worker bundle (wrangler deploy --dry-run)", () => {
  const outdir = mkdtempSync(join(tmpdir(), "jiexu-worker-bundle-"));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("builds from wrangler.toml, and imports no better-sqlite3, worker_threads or fs", () => {
    const built = spawnSync(process.execPath, [WRANGLER, "deploy", "--dry-run", "--outdir", outdir], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "1" },
      timeout: 150_000,
    });
    expect(built.status, `${built.stdout}\n${built.stderr}`).toBe(0);
    expect(built.stdout).toMatch(/--dry-run: exiting now/);

    const bytes = readFileSync(join(outdir, "worker.js"));
    const gzip = gzipSync(bytes).length;
    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    console.log(`Worker bundle (wrangler deploy --dry-run): ${kib(bytes.length)} raw, ${kib(gzip)} gzip`);
    // Workers' compressed-size limits are 3 MiB (free) and 10 MiB (paid).
    expect(gzip).toBeLessThan(3 * 1024 * 1024);

    const bundle = bytes.toString("utf8");
    const modules = importedModules(bundle);
    expect(modules).toContain("node:crypto"); // the scan sees the bundle's imports at all
    expect(modules.filter((m) => NODE_ONLY.test(m))).toEqual([]);
    expect(bundle).not.toMatch(/better-sqlite3|worker_threads/);
  }, 180_000);
});
