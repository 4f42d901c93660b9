import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli/commands/pki.ts";
import { main } from "../../src/cli/main.ts";
import type { CliIo } from "../../src/cli/io.ts";
import { UsageError } from "../../src/cli/io.ts";
import { openssl, opensslOk, opensslSelfSigned, tempDir } from "../fixtures/openssl.ts";

const root = resolve(import.meta.dirname, "../..");

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t) };
}

function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

describe("jiexu pki init", () => {
  const dir = join(tempDir(), "dev");

  it("writes the development PKI with private keys at 0600 and prints a summary", async () => {
    const io = capture();
    expect(await run(["init", "--dir", dir], io)).toBe(0);
    expect(io.stdout.join("\n")).toContain("JIEXU DEVELOPMENT ONLY");
    expect(io.stdout.join("\n")).toContain("jiexu-dev");
    for (const f of [
      "root.cert.pem",
      "issuing.crl.der",
      "issuing.crl.pem",
      "chain.pem",
      "manifest.json",
      "README.txt",
      "agencies/650000/receipt.cert.pem",
    ]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(modeOf(join(dir, "root.key.pem"))).toBe(0o600);
    expect(modeOf(join(dir, "agencies/110000/seal.key.pem"))).toBe(0o600);
    expect(modeOf(join(dir, "agencies/110000/seal.p12"))).toBe(0o600);
    expect(readFileSync(join(dir, "README.txt"), "utf8")).toContain("DEVELOPMENT ONLY");
    const p12 = openssl([
      "pkcs12",
      "-in",
      join(dir, "agencies/440000/seal.p12"),
      "-nodes",
      "-passin",
      "pass:jiexu-dev",
    ]);
    expect(p12.status).toBe(0);
    expect(p12.stdout).toContain("BEGIN PRIVATE KEY");
  });

  it("refuses to overwrite an existing PKI without --force (exit 73), and replaces it with --force", async () => {
    const dir = join(tempDir(), "dev");
    expect(await run(["init", "--dir", dir], capture())).toBe(0);
    const before = readFileSync(join(dir, "root.cert.pem"), "utf8");
    const io = capture();
    expect(await run(["init", "--dir", dir], io)).toBe(73);
    expect(io.stderr.join("")).toContain("--force");
    expect(readFileSync(join(dir, "root.cert.pem"), "utf8")).toBe(before);
    expect(await run(["init", "--dir", dir, "--force"], capture())).toBe(0);
    expect(readFileSync(join(dir, "root.cert.pem"), "utf8")).not.toBe(before);
  });

  it("writes an SM2 development PKI with --alg sm2, the seal maker included, and lists sm2 in its help", async () => {
    const sm2Dir = join(tempDir(), "sm2");
    const io = capture();
    expect(await run(["init", "--alg", "sm2", "--dir", sm2Dir], io)).toBe(0);
    expect(io.stdout.join("\n")).toContain("(sm2)");
    for (const f of ["maker/maker.cert.pem", "maker/maker.key.pem", "agencies/510000/seal.p12", "issuing.crl.der"])
      expect(existsSync(join(sm2Dir, f)), f).toBe(true);
    expect(modeOf(join(sm2Dir, "maker/maker.key.pem"))).toBe(0o600);
    const maker = opensslOk(["x509", "-in", join(sm2Dir, "maker/maker.cert.pem"), "-noout", "-text"]);
    expect(maker).toContain("SM2-with-SM3");
    expect(maker).toContain("URI:urn:jiexu:seal-maker");
    const help = capture();
    await main(["pki", "init", "--help"], help);
    expect(help.stdout.join("\n")).toMatch(/--alg ALG.*sm2/);
  });

  it("treats usage mistakes as exit 64", async () => {
    await expect(run(["init", "--alg", "dsa"], capture())).rejects.toThrow(UsageError);
    expect(await main(["pki", "init", "--alg", "dsa"], capture())).toBe(64);
    expect(await main(["pki", "init", "--bogus"], capture())).toBe(64);
    expect(await main(["pki", "frobnicate"], capture())).toBe(64);
    expect(await main(["pki", "export-p12", "--key", "k.pem"], capture())).toBe(64);
  });

  it("runs as a real process: node bin/jiexu.js pki init --alg ecdsa-p384", () => {
    const out = join(tempDir(), "p384");
    const r = spawnSync(
      process.execPath,
      [join(root, "bin/jiexu.js"), "pki", "init", "--dir", out, "--alg", "ecdsa-p384"],
      { encoding: "utf8" },
    );
    // stderr is not a terminal here: progress, if the work lasts over a second, comes as plain lines.
    expect(r.stderr).toMatch(/^(jiexu pki init: [^\n]+…\n)*$/);
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"))).toMatchObject({
      algorithm: "ecdsa-p384",
      developmentOnly: true,
    });
    const verify = openssl([
      "verify",
      "-CAfile",
      join(out, "root.cert.pem"),
      "-untrusted",
      join(out, "chain.pem"),
      join(out, "agencies/330000/seal.cert.pem"),
    ]);
    expect(verify.status).toBe(0);
  });
});

describe("jiexu pki export-p12 / import-p12", () => {
  const dir = tempDir();

  it.each(["rsa", "ec"] as const)(
    "round-trips an OpenSSL-made %s key through both commands and openssl",
    async (alg) => {
      const leaf = opensslSelfSigned(dir, `${alg}-cli`, alg);
      const ca = opensslSelfSigned(dir, `${alg}-cli-ca`, "ec");
      const p12 = join(dir, `${alg}.p12`);
      const exported = capture();
      expect(
        await run(
          ["export-p12", "--key", leaf.key, "--cert", leaf.cert, "--chain", ca.cert, "--pass", "pw", "--out", p12],
          exported,
        ),
      ).toBe(0);
      expect(modeOf(p12)).toBe(0o600);
      expect(
        opensslOk(["pkcs12", "-in", p12, "-nokeys", "-passin", "pass:pw"]).match(/BEGIN CERTIFICATE/g),
      ).toHaveLength(2);

      const back = join(dir, `${alg}-openssl.p12`);
      opensslOk([
        "pkcs12",
        "-export",
        "-inkey",
        leaf.key,
        "-in",
        leaf.cert,
        "-certfile",
        ca.cert,
        "-passout",
        "pass:pw2",
        "-out",
        back,
      ]);
      const outKey = join(dir, `${alg}-back.key.pem`);
      const outCert = join(dir, `${alg}-back.cert.pem`);
      expect(
        await run(["import-p12", "--in", back, "--pass", "pw2", "--out-key", outKey, "--out-cert", outCert], capture()),
      ).toBe(0);
      expect(readFileSync(outKey, "utf8")).toContain("BEGIN PRIVATE KEY");
      expect(modeOf(outKey)).toBe(0o600);
      const pubOfKey = opensslOk(["pkey", "-in", outKey, "-pubout"]);
      expect(opensslOk(["x509", "-in", outCert, "-noout", "-pubkey"])).toBe(pubOfKey);
      expect(readFileSync(outCert, "utf8").match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    },
  );

  it("exits 65 with KEY_PASSWORD_WRONG for a wrong password and KEY_CERT_MISMATCH for a foreign certificate", async () => {
    const a = opensslSelfSigned(dir, "mm-a", "ec");
    const b = opensslSelfSigned(dir, "mm-b", "ec");
    const p12 = join(dir, "mm.p12");
    const mismatch = capture();
    expect(await run(["export-p12", "--key", a.key, "--cert", b.cert, "--pass", "pw", "--out", p12], mismatch)).toBe(
      65,
    );
    expect(mismatch.stderr.join("")).toContain("KEY_CERT_MISMATCH");
    expect(await run(["export-p12", "--key", a.key, "--cert", a.cert, "--pass", "pw", "--out", p12], capture())).toBe(
      0,
    );
    const wrong = capture();
    expect(
      await run(
        [
          "import-p12",
          "--in",
          p12,
          "--pass",
          "nope",
          "--out-key",
          join(dir, "x.pem"),
          "--out-cert",
          join(dir, "y.pem"),
        ],
        wrong,
      ),
    ).toBe(65);
    expect(wrong.stderr.join("")).toContain("KEY_PASSWORD_WRONG");
    expect(existsSync(join(dir, "x.pem"))).toBe(false);
  });

  it("exits 66 for a missing input and 73 for an existing output", async () => {
    expect(
      await run(
        [
          "import-p12",
          "--in",
          join(dir, "none.p12"),
          "--pass",
          "pw",
          "--out-key",
          join(dir, "k1.pem"),
          "--out-cert",
          join(dir, "c1.pem"),
        ],
        capture(),
      ),
    ).toBe(66);
    const a = opensslSelfSigned(dir, "exists", "ec");
    expect(
      await run(["export-p12", "--key", a.key, "--cert", a.cert, "--pass", "pw", "--out", a.cert], capture()),
    ).toBe(73);
  });
});
