import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli/commands/archive.ts";
import { main } from "../../src/cli/main.ts";
import { exportNoteKeyPem } from "../../src/pki/note-signer.ts";
import { devPkiConfig } from "../../src/runtime/bootstrap.ts";
import type { AuditReport, PackManifest, PackReport } from "../../src/usecases/index.ts";
import { writeDevPki } from "../fixtures/dev-pki.ts";
import { ARCHIVE_KEY, createTestGateway } from "../support/gateway-harness.ts";
import { walkTransfer } from "../support/transfer-walk.ts";

const ROOT = resolve(import.meta.dirname, "../..");

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
}

describe("jiexu archive", () => {
  let dir: string;
  let config: string;
  let caseId: string;
  let zipPath: string;
  let vkey: string;
  const keyArgs = () => ["--archive-key", join(dir, "archive-key.pem"), "--origin", "jiexu.test/archive"];

  // Expensive and only read by the tests: a walked transfer in a SQLite file, its configuration, and its
  // evidence pack exported once (the export test writes its own copy).
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "jiexu-archive-cli-"));
    const gw = await createTestGateway({ databasePath: join(dir, "jiexu.db") });
    await writeDevPki(gw.pki, join(dir, "pki"));
    caseId = await walkTransfer(gw);
    vkey = gw.deps.archiveSigner!.verifierKey;
    await gw.close();
    writeFileSync(join(dir, "archive-key.pem"), exportNoteKeyPem(ARCHIVE_KEY));
    config = join(dir, "config.json");
    writeFileSync(config, JSON.stringify({ dataDir: ".", database: "jiexu.db", ...devPkiConfig(gw.pki) }));
    zipPath = join(dir, "evidence.zip");
    expect(
      await run(
        ["export", "--case", caseId, "--agency", "330000", "--out", zipPath, "--config", config, ...keyArgs()],
        capture().io,
      ),
    ).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("exports a case's evidence pack from the gateway's configuration and database", async () => {
    const zipPath = join(dir, "exported.zip");
    const c = capture();
    expect(
      await run(
        ["export", "--case", caseId, "--agency", "330000", "--out", zipPath, "--config", config, ...keyArgs()],
        c.io,
      ),
    ).toBe(0);
    const manifest = JSON.parse(strFromU8(unzipSync(readFileSync(zipPath))["manifest.json"]!)) as PackManifest;
    expect(manifest.caseId).toBe(caseId);
    expect(manifest.items.length).toBeGreaterThan(8);
  });

  it("verifies the pack offline against the operator's own root and key", async () => {
    const c = capture();
    expect(await run(["verify", zipPath, "--trust", join(dir, "pki/root.cert.pem"), "--key", vkey], c.io)).toBe(0);
    const text = c.out.join("\n");
    // The verdict first, in zh-CN and English; then one line per item; every check only with --verbose.
    expect(text.split("\n")[0]).toMatch(
      /^✓ 证据包验证通过 VERIFIED — evidence pack of case \S+, agency 330000: \d+ item/,
    );
    expect(text).toMatch(/^✓ checkpoint +\d+ check\(s\) hold$/m);
    expect(text).toMatch(/^✓ \S+ +document, receipt: \d+ check\(s\) hold$/m);
    expect(text).toMatch(/^✓ \d+ archive leaves +inclusion proofs: \d+ check\(s\) hold$/m);
    expect(text).not.toMatch(/CHECKPOINT_OK/);
    const v = capture();
    expect(await run(["verify", zipPath, "--key", vkey, "--verbose"], v.io)).toBe(0);
    expect(v.out.join("\n")).toMatch(/^✓ checkpoint +CHECKPOINT_OK/m);
    expect(v.out.join("\n").split("\n").length).toBeGreaterThan(text.split("\n").length);
    const j = capture();
    expect(await run(["verify", zipPath, "--json"], j.io)).toBe(0);
    expect((JSON.parse(j.out.join("")) as PackReport).trust).toBe("pack");
  });

  it("exits 1 with the failing check on a tampered pack", async () => {
    const files = unzipSync(readFileSync(zipPath));
    const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as PackManifest;
    const item = manifest.items.find((i) => i.proof.length > 1)!;
    item.proof[1] = item.proof[1]!.replace(/^./, (ch) => (ch === "f" ? "e" : "f"));
    files["manifest.json"] = strToU8(JSON.stringify(manifest));
    const bad = join(dir, "bad.zip");
    writeFileSync(bad, zipSync(files));
    const c = capture();
    expect(await run(["verify", bad, "--json"], c.io)).toBe(1);
    const report = JSON.parse(c.out.join("")) as PackReport;
    expect(report.checks.filter((x) => x.status === "fail").map((x) => `${x.subject} ${x.code}`)).toEqual([
      `leaf:${item.leafIndex} INCLUSION_FAILED`,
    ]);

    const p = spawnSync(
      process.execPath,
      ["bin/jiexu.js", "archive", "verify", bad, "--trust", join(dir, "pki/root.cert.pem")],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(p.status).toBe(1);
    expect(p.stdout).toMatch(/✗ leaf:\d+ +INCLUSION_FAILED/);
  });

  it("exits 1 on a pack with the completion and its receipts removed (issue 9 item 10)", async () => {
    const files = unzipSync(readFileSync(zipPath));
    const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as PackManifest;
    const completion = manifest.items.find((i) => i.type === "completion")!.documentId;
    const acks = manifest.items.filter((i) => i.replyTo === completion).map((i) => i.documentId);
    const gone = manifest.items.filter((i) => i.documentId === completion || acks.includes(i.documentId));
    for (const item of gone) for (const path of Object.values(item.paths)) delete files[path];
    manifest.items = manifest.items.filter((i) => !gone.includes(i));
    files["manifest.json"] = strToU8(JSON.stringify(manifest));
    const truncated = join(dir, "truncated.zip");
    writeFileSync(truncated, zipSync(files));
    const c = capture();
    expect(await run(["verify", truncated, "--trust", join(dir, "pki/root.cert.pem"), "--key", vkey], c.io)).toBe(1);
    const text = c.out.join("\n");
    expect(text.match(/✗ index +ITEM_MISSING/g)).toHaveLength(gone.length);
    expect(text.split("\n")[0]).toMatch(/^✗ 证据包验证未通过 NOT VERIFIED — \d+ of \d+ checks failed/);
  });

  it("verifies as a real process, with no database and no network", () => {
    const p = spawnSync(
      process.execPath,
      ["bin/jiexu.js", "archive", "verify", zipPath, "--trust", join(dir, "pki/root.cert.pem"), "--key", vkey, "-v"],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(p.stderr).toBe("");
    expect(p.status).toBe(0);
    expect(p.stdout).toMatch(/✓ checkpoint +CHECKPOINT_OK/);
    expect(p.stdout).toMatch(/✓ index +STATEMENT_OK/);
    expect(p.stdout).toMatch(/✓ index +INDEX_OK/);
  });

  it("audits the archive: every 四性 item holds", async () => {
    const c = capture();
    expect(await run(["audit", "--config", config, ...keyArgs(), "--json"], c.io)).toBe(0);
    const report = JSON.parse(c.out.join("")) as AuditReport;
    expect(report.ok).toBe(true);
    expect(report.items.every((i) => i.checked > 0)).toBe(true);
    const human = capture();
    expect(await run(["audit", "--config", config, ...keyArgs()], human.io)).toBe(0);
    const lines = human.out.join("\n").split("\n");
    expect(lines[0]).toMatch(
      /^✓ 四性检测通过 PASSED — every item holds; integrity audit of jiexu\.test\/archive: \d+ leaves/,
    );
    expect(lines.filter((l) => l.startsWith("✓ "))).toHaveLength(report.items.length + 1);
  });

  it("answers usage errors with 64, a missing configuration with 78", async () => {
    const c = capture();
    expect(await main(["archive"], c.io)).toBe(64);
    expect(await main(["archive", "verify"], c.io)).toBe(64);
    expect(
      await main(
        ["archive", "export", "--case", "X", "--out", join(dir, "x.zip"), "--config", join(dir, "nope.json")],
        c.io,
      ),
    ).toBe(78);
    expect(c.err.join("\n")).toContain("no configuration at");
    expect(await main(["archive", "audit", "--config", config, "--archive-key", "k.pem"], c.io)).toBe(64);
  });
});
