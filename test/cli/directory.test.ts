import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../src/cli/commands/directory.ts";
import type { CliIo } from "../../src/cli/io.ts";
import { main } from "../../src/cli/main.ts";
import type { Directory } from "../../src/domain/directory/index.ts";
import type { DevPki } from "../../src/dev/pki.ts";
import { formatVerifierKey, noteKeyFromSeed } from "../../src/pki/note-signer.ts";
import { FIXTURE_NOW, devPkiFixture, writeDevPki } from "../fixtures/dev-pki.ts";
import { tempDir } from "../fixtures/openssl.ts";

const root = resolve(import.meta.dirname, "../..");
const DAY = 86_400_000;
const ISSUED = new Date(FIXTURE_NOW.getTime() + DAY).toISOString();
const CHECK_AT = new Date(FIXTURE_NOW.getTime() + 2 * DAY).toISOString();

function capture(): CliIo & { stdout: string[]; stderr: string[]; text(): string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => void stdout.push(t),
    err: (t) => void stderr.push(t),
    text: () => [...stdout, ...stderr].join("\n"),
  };
}

describe("jiexu directory build → sign → verify", () => {
  let pki: DevPki;
  let pkiDir: string;
  let work: string;
  let trustArgs: string[];
  // The PKI files are written once and only read; each test has its own work directory and builds,
  // seals or tampers with the directory it needs there.
  beforeAll(async () => {
    pki = await devPkiFixture();
    pkiDir = await writeDevPki(pki, tempDir());
    trustArgs = [
      "--trust",
      join(pkiDir, "root.cert.pem"),
      "--crl",
      join(pkiDir, "root.crl.der"),
      "--crl",
      join(pkiDir, "issuing.crl.pem"),
    ];
  });
  beforeEach(() => void (work = tempDir()));
  afterEach(() => rmSync(work, { recursive: true, force: true }));
  const file = (name: string) => join(work, name);
  const buildArgs = () => [
    "build",
    "--pki",
    pkiDir,
    "--agency",
    "440000=http://127.0.0.1:8441",
    "--agency",
    "330000=https://zj.example.cn/jiexu",
    "--sequence",
    "3",
    "--valid-days",
    "10",
    "--issued-at",
    ISSUED,
    "--out",
    file("directory.json"),
  ];
  const signArgs = () => [
    "sign",
    "--in",
    file("directory.json"),
    "--key",
    join(pkiDir, "operator.key.pem"),
    "--cert",
    join(pkiDir, "operator.cert.pem"),
    "--signing-time",
    ISSUED,
    "--out",
    file("directory.sealed.json"),
  ];
  /** directory.json and directory.sealed.json in this test's work directory. */
  const buildAndSeal = async () => {
    for (const args of [buildArgs(), signArgs()]) {
      const io = capture();
      expect(await run(args, io), io.text()).toBe(0);
    }
  };
  /** tampered.json: the sealed directory with a gateway URL changed after sealing. */
  const writeTampered = () => {
    const sealed = JSON.parse(readFileSync(file("directory.sealed.json"), "utf8")) as { directory: Directory };
    sealed.directory.agencies[1]!.gatewayUrl = "https://attacker.example";
    writeFileSync(file("tampered.json"), JSON.stringify(sealed));
  };

  it("builds a directory from the PKI's certificates for the agencies named", async () => {
    const io = capture();
    const args = buildArgs();
    expect(await run(args, io), io.text()).toBe(0);
    const d = JSON.parse(readFileSync(file("directory.json"), "utf8")) as Directory;
    expect(d).toMatchObject({
      jiexuDirectory: 1,
      sequence: 3,
      issuedAt: ISSUED,
      expiresAt: new Date(Date.parse(ISSUED) + 10 * DAY).toISOString(),
    });
    const gd = pki.agencies.find((a) => a.spec.id === "440000")!;
    expect(d.agencies.map((a) => a.id)).toEqual(["440000", "330000"]);
    expect(d.agencies[0]).toMatchObject({ name: gd.spec.name, gatewayUrl: "http://127.0.0.1:8441" });
    expect(d.agencies[0]!.sealCertificates).toEqual([
      {
        sha256: gd.seal.fingerprint,
        notBefore: gd.seal.notBefore.toISOString(),
        notAfter: gd.seal.notAfter.toISOString(),
      },
    ]);
    expect(d.agencies[0]!.receiptCertificates[0]!.sha256).toBe(gd.receipt.fingerprint);
  });

  it("seals it with the operator key and verifies it (human and --json)", async () => {
    expect(await run(buildArgs(), capture())).toBe(0);
    const sign = signArgs();
    const io = capture();
    expect(await run(sign, io), io.text()).toBe(0);
    const human = capture();
    expect(
      await run(["verify", file("directory.sealed.json"), ...trustArgs, "--at", CHECK_AT], human),
      human.text(),
    ).toBe(0);
    expect(human.text()).toContain("✓ directory 3 is valid");
    expect(human.text()).toContain("http://127.0.0.1:8441");
    const json = capture();
    expect(await run(["verify", file("directory.sealed.json"), ...trustArgs, "--at", CHECK_AT, "--json"], json)).toBe(
      0,
    );
    expect(JSON.parse(json.stdout.join(""))).toMatchObject({
      valid: true,
      directory: { sequence: 3 },
      report: { indication: "TOTAL_PASSED" },
    });
  });

  it("says expired (exit 1, DIRECTORY_EXPIRED) after expiresAt", async () => {
    await buildAndSeal();
    const io = capture();
    const late = new Date(Date.parse(ISSUED) + 11 * DAY).toISOString();
    expect(await run(["verify", file("directory.sealed.json"), ...trustArgs, "--at", late, "--json"], io)).toBe(1);
    expect(JSON.parse(io.stdout.join(""))).toMatchObject({ valid: false, code: "DIRECTORY_EXPIRED" });
  });

  it("refuses a tampered file and a directory sealed with an agency key (exit 1)", async () => {
    await buildAndSeal();
    writeTampered();
    const io = capture();
    expect(await run(["verify", file("tampered.json"), ...trustArgs, "--at", CHECK_AT], io)).toBe(1);
    expect(io.text()).toContain("DIRECTORY_SEAL_INVALID");
    expect(io.text()).toContain("HASH_FAILURE");
    const agency = capture();
    const key = [
      "--key",
      join(pkiDir, "agencies/440000/seal.key.pem"),
      "--cert",
      join(pkiDir, "agencies/440000/seal.cert.pem"),
    ];
    expect(
      await run(["sign", "--in", file("directory.json"), ...key, "--out", file("agency.sealed.json")], agency),
    ).toBe(1);
    expect(agency.text()).toContain("DIRECTORY_SEAL_INVALID");
  });

  it("lists each gateway's checkpoint origin and vkeys from --checkpoint-key, rolled over with windows (issue 9 item 2)", async () => {
    const vkeyOf = (n: number) =>
      formatVerifierKey("jiexu/gateway-440000", noteKeyFromSeed(new Uint8Array(32).fill(n)));
    const [oldKey, newKey] = [vkeyOf(3), vkeyOf(4)];
    writeFileSync(file("old.vkey"), `${oldKey}\n`);
    writeFileSync(file("new.vkey"), newKey);
    const overlap = new Date(Date.parse(ISSUED) + 2 * DAY).toISOString();
    const until = new Date(Date.parse(ISSUED) + 3 * DAY).toISOString();
    const io = capture();
    const args = [
      "build",
      "--pki",
      pkiDir,
      "--agency",
      "440000=http://127.0.0.1:8441",
      "--agency",
      "330000=https://zj.example.cn/jiexu",
      "--checkpoint-key",
      `440000=${file("old.vkey")},notAfter=${until}`,
      "--checkpoint-key",
      `440000=${file("new.vkey")},notBefore=${overlap}`,
      "--sequence",
      "4",
      "--valid-days",
      "10",
      "--issued-at",
      ISSUED,
      "--out",
      file("logs.json"),
    ];
    expect(await run(args, io), io.text()).toBe(0);
    expect(io.stderr.join("\n")).toContain("330000");
    const d = JSON.parse(readFileSync(file("logs.json"), "utf8")) as Directory;
    const expires = new Date(Date.parse(ISSUED) + 10 * DAY).toISOString();
    expect(d.agencies[0]!.checkpoint).toEqual({
      origin: "jiexu/gateway-440000",
      keys: [
        { vkey: oldKey, notBefore: ISSUED, notAfter: until },
        { vkey: newKey, notBefore: overlap, notAfter: expires },
      ],
    });
    expect(d.agencies[1]!.checkpoint).toBeUndefined();
    writeFileSync(file("broken.vkey"), oldKey.replace(/\+[0-9a-f]{8}\+/, "+00000000+"));
    const broken = capture();
    expect(
      await run([...args.slice(0, 7), "--checkpoint-key", `440000=${file("broken.vkey")}`, ...args.slice(11)], broken),
    ).toBe(1);
    expect(
      await main(
        ["directory", ...args.slice(0, 7), "--checkpoint-key", `510000=${file("new.vkey")}`, ...args.slice(11)],
        capture(),
      ),
    ).toBe(64);
    expect(
      await main(
        ["directory", ...args.slice(0, 7), "--checkpoint-key", `440000=${file("new.vkey")},from=x`, ...args.slice(11)],
        capture(),
      ),
    ).toBe(64);
  });

  it("refuses a sealed directory listing an unusable checkpoint key, as a gateway would (exit 1, DIRECTORY_SCHEMA)", async () => {
    const vkey = formatVerifierKey("jiexu/gateway-440000", noteKeyFromSeed(new Uint8Array(32).fill(3)));
    expect(await run(buildArgs(), capture())).toBe(0);
    const d = JSON.parse(readFileSync(file("directory.json"), "utf8")) as Directory;
    const forged = vkey.replace(/\+[0-9a-f]{8}\+/, "+00000000+");
    d.agencies[0]!.checkpoint = {
      origin: "jiexu/gateway-440000",
      keys: [{ vkey: forged, notBefore: ISSUED, notAfter: d.expiresAt }],
    };
    writeFileSync(file("directory.json"), JSON.stringify(d));
    expect(await run(signArgs(), capture())).toBe(0);
    const io = capture();
    expect(await run(["verify", file("directory.sealed.json"), ...trustArgs, "--at", CHECK_AT, "--json"], io)).toBe(1);
    expect(JSON.parse(io.stdout.join(""))).toMatchObject({
      valid: false,
      code: "DIRECTORY_SCHEMA",
      directory: { sequence: 3 },
      report: { indication: "TOTAL_PASSED" },
    });
  });

  it("refuses an agency that is not in the PKI, and usage mistakes with 64", async () => {
    await buildAndSeal();
    const io = capture();
    const build = ["build", "--pki", pkiDir, "--sequence", "1", "--out", file("x.json")];
    expect(await run([...build, "--agency", "520000=http://127.0.0.1:1"], io)).toBe(1);
    expect(await main(["directory", ...build, "--agency", "440000=ftp://x"], capture())).toBe(64);
    expect(await main(["directory", ...build.slice(0, -2)], capture())).toBe(64);
    expect(await main(["directory", "verify", file("directory.sealed.json")], capture())).toBe(64);
    expect(
      await main(["directory", "verify", file("directory.sealed.json"), ...trustArgs, "--at", "yesterday"], capture()),
    ).toBe(64);
    expect(await main(["directory", "publish"], capture())).toBe(64);
  });

  it("runs as a real process: node bin/jiexu.js directory verify", async () => {
    await buildAndSeal();
    writeTampered();
    const args = [
      join(root, "bin/jiexu.js"),
      "directory",
      "verify",
      file("directory.sealed.json"),
      ...trustArgs,
      "--at",
      CHECK_AT,
    ];
    const ok = spawnSync(process.execPath, args, { encoding: "utf8" });
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("✓ directory 3 is valid");
    const bad = spawnSync(process.execPath, [...args.slice(0, 3), file("tampered.json"), ...args.slice(4)], {
      encoding: "utf8",
    });
    expect(bad.status).toBe(1);
  });
});
