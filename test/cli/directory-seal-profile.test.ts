import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli/commands/directory.ts";
import type { CliIo } from "../../src/cli/io.ts";
import { main } from "../../src/cli/main.ts";
import type { Directory } from "../../src/domain/directory/index.ts";
import type { DevPki } from "../../src/dev/pki.ts";
import { decodeSealMaker } from "../../src/usecases/index.ts";
import { devPkiFixture, writeDevPki } from "../fixtures/dev-pki.ts";
import { tempDir } from "../fixtures/openssl.ts";
import { createSm2Pki } from "../fixtures/sm2-pki.ts";

/** `jiexu directory build --seal-format / --seal-maker` (issue 16): the directory's sealFormats and sealMakers. */
describe("jiexu directory build: seal formats and seal makers", () => {
  let pki: DevPki;
  let dir: string;
  const io = (): CliIo & { text(): string } => {
    const lines: string[] = [];
    return { out: (t) => void lines.push(t), err: (t) => void lines.push(t), text: () => lines.join("\n") };
  };
  const build = (...extra: string[]) => {
    const args = ["build", "--pki", dir, "--agency", "440000=http://127.0.0.1:8441"];
    args.push("--agency", "330000=https://zj.example.cn/jiexu", "--sequence", "1", "--out", join(dir, "d.json"));
    return [...args, ...extra];
  };
  beforeAll(async () => {
    pki = await devPkiFixture();
    dir = await writeDevPki(pki, tempDir());
    writeFileSync(join(dir, "not-a-cert.pem"), "hello\n");
    writeFileSync(join(dir, "sm2-seal.pem"), (await (await createSm2Pki()).issueSeal({ agencyId: "330000" })).pem);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("lists the formats and the seal makers' anchors given, and nothing for the other agencies", async () => {
    const out = io();
    const code = await run(
      build(
        "--seal-format",
        "330000=ses,cades",
        "--seal-maker",
        `330000=${join(dir, "root.cert.pem")}`,
        // Both formats: an SM2 seal certificate (SES) beside its ECDSA one (CAdES).
        "--seal-cert",
        `330000=${join(dir, "sm2-seal.pem")}`,
        "--seal-cert",
        `330000=${join(dir, "agencies", "330000", "seal.cert.pem")}`,
      ),
      out,
    );
    expect(code, out.text()).toBe(0);
    const d = JSON.parse(readFileSync(join(dir, "d.json"), "utf8")) as Directory;
    expect([d.agencies[0]!.sealFormats, d.agencies[0]!.sealMakers]).toEqual([undefined, undefined]);
    expect(d.agencies[1]!.sealFormats).toEqual(["ses", "cades"]);
    expect(d.agencies[1]!.sealMakers!.map(decodeSealMaker)).toEqual([pki.root.certificateDer]);
  });

  it.each([
    ["an unknown format", ["--seal-format", "330000=xades"], 64],
    ["a format twice", ["--seal-format", "330000=ses,ses"], 64],
    ["an agency no --agency routes", ["--seal-format", "520000=ses"], 64],
    ["a seal-maker file without a certificate", ["--seal-maker", "330000=NOTCERT"], 1],
    ["a seal-maker file that cannot be read", ["--seal-maker", "330000=/nonexistent/root.pem"], 66],
  ])("refuses %s", async (_, extra, exit) => {
    const args = extra.map((a) => a.replace("NOTCERT", join(dir, "not-a-cert.pem")));
    expect(await main(["directory", ...build(...args)], io())).toBe(exit);
  });
});
