import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { encodePng } from "../../src/print/png.ts";
import { loadFont, renderSealPng } from "../../src/print/index.ts";
import { FULL_FONT_PATH } from "../../src/runtime/fonts.ts";
import { opensslOk, tempDir } from "../fixtures/openssl.ts";
import { jiexu } from "./run-jiexu.ts";

/**
 * Keys and certificates made by the `openssl` binary alone, end to end through the CLI (issue 16): SM2 keys
 * from `openssl genpkey -algorithm SM2` (PKCS#8), a root, a seal maker and a holder certificate signed
 * SM3withSM2 with the standard signer ID (research note §2.4). No CRLs: verified with --revocation optional.
 * An EC P-256 key is refused for --format ses and as a seal maker (65).
 */

const DISTID = "distid:1234567812345678";
const dir = tempDir("jiexu-ses-openssl-");
const file = (name: string) => join(dir, name);

const EXTENSIONS = `
[maker]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectAltName = URI:urn:jiexu:seal-maker
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[holder]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectAltName = URI:urn:jiexu:agency:510000
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
`;

function issue(name: string, subject: string, serial: string): void {
  opensslOk(["genpkey", "-algorithm", "SM2", "-out", file(`${name}.key.pem`)]);
  opensslOk([
    "req",
    "-new",
    "-key",
    file(`${name}.key.pem`),
    "-sm3",
    "-sigopt",
    DISTID,
    "-subj",
    subject,
    "-out",
    file(`${name}.csr`),
  ]);
  opensslOk([
    ...["x509", "-req", "-in", file(`${name}.csr`), "-CA", file("root.cert.pem"), "-CAkey", file("root.key.pem")],
    ...["-set_serial", serial, "-sm3", "-sigopt", DISTID, "-vfyopt", DISTID, "-days", "365"],
    ...["-extfile", file("ext.cnf"), "-extensions", name, "-out", file(`${name}.cert.pem`)],
  ]);
}

describe("jiexu ses with keys and certificates made by openssl", () => {
  beforeAll(() => {
    writeFileSync(file("ext.cnf"), EXTENSIONS);
    writeFileSync(file("doc.txt"), "四川 → 浙江\n");
    opensslOk(["genpkey", "-algorithm", "SM2", "-out", file("root.key.pem")]);
    opensslOk([
      ...["req", "-x509", "-new", "-key", file("root.key.pem"), "-sm3", "-sigopt", DISTID],
      ...["-subj", "/C=CN/O=OpenSSL SM2 Test/CN=OpenSSL SM2 Root", "-days", "3650", "-set_serial", "1"],
      ...["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
      ...["-out", file("root.cert.pem")],
    ]);
    issue("maker", "/C=CN/O=OpenSSL SM2 Test/CN=Seal Maker", "2");
    issue("holder", "/C=CN/O=OpenSSL SM2 Test/CN=Sichuan Seal", "3");
    opensslOk(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file("ec.key.pem")]);
    opensslOk([
      ...["req", "-x509", "-new", "-key", file("ec.key.pem"), "-sha256", "-subj", "/CN=EC P-256"],
      ...["-days", "30", "-out", file("ec.cert.pem")],
    ]);
  }, 60_000);

  it("makes a seal, signs with it and verifies both: exit 0 each", async () => {
    const made = await jiexu(
      ...["ses", "make-seal", "--maker-key", file("maker.key.pem"), "--maker-cert", file("maker.cert.pem")],
      ...["--holder-cert", file("holder.cert.pem"), "--name", "四川省社会保险管理局", "--es-id", "51000020261201"],
      ...["--out", file("sc.seal.der")],
    );
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('made seal 51000020261201 "四川省社会保险管理局"');
    const trust = ["--trust", file("root.cert.pem"), "--revocation", "optional"];
    const alone = await jiexu("ses", "verify-seal", file("sc.seal.der"), ...trust);
    expect(alone.code, alone.stdout).toBe(0);
    const signed = await jiexu(
      ...["seal", "--format", "ses", "--seal-file", file("sc.seal.der"), "--key", file("holder.key.pem")],
      ...["--cert", file("holder.cert.pem"), "--content", file("doc.txt"), "--out", file("doc.ses")],
    );
    expect(signed.code, signed.stderr).toBe(0);
    const r = await jiexu("verify", "--content", file("doc.txt"), "--seal", file("doc.ses"), ...trust, "--json");
    expect(r.code, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      indication: "TOTAL_PASSED",
      format: "ses",
      seal: { esId: "51000020261201", name: "四川省社会保险管理局" },
      signer: { agencyIds: ["510000"] },
    });
  }, 30_000);

  it("refuses an EC P-256 key for --format ses and as the seal maker (65)", async () => {
    const sign = await jiexu(
      ...["seal", "--format", "ses", "--seal-file", file("sc.seal.der"), "--key", file("ec.key.pem")],
      ...["--cert", file("ec.cert.pem"), "--content", file("doc.txt"), "--out", file("ec.ses")],
    );
    expect(sign.code).toBe(65);
    expect(sign.stderr).toContain("needs an SM2 key");
    const make = await jiexu(
      ...["ses", "make-seal", "--maker-key", file("ec.key.pem"), "--maker-cert", file("ec.cert.pem")],
      ...["--holder-cert", file("holder.cert.pem"), "--name", "x", "--out", file("ec.seal.der")],
    );
    expect(make.code).toBe(65);
    expect(make.stderr).toContain("not an SM2 key");
  });

  it("takes a --picture PNG, sized by its pHYs (else 40 mm wide, its aspect kept)", async () => {
    const font = loadFont(new Uint8Array(readFileSync(FULL_FONT_PATH)));
    writeFileSync(file("42mm.png"), renderSealPng({ name: "四川", font, sizePx: 240, sizeMm: 42 }));
    const make = (picture: string, out: string) =>
      jiexu(
        ...["ses", "make-seal", "--maker-key", file("maker.key.pem"), "--maker-cert", file("maker.cert.pem")],
        ...["--holder-cert", file("holder.cert.pem"), "--name", "四川", "--picture", picture, "--out", file(out)],
      );
    const sized = await make(file("42mm.png"), "p1.der");
    expect(sized.code, sized.stderr).toBe(0);
    expect(sized.stdout).toContain("picture: PNG 42×42 mm");
    // 1×2 pixels, no pHYs: 40 mm wide, 80 mm high.
    writeFileSync(file("tall.png"), encodePng({ width: 1, height: 2, rgba: new Uint8Array(8) }));
    const tall = await make(file("tall.png"), "p2.der");
    expect(tall.code, tall.stderr).toBe(0);
    expect(tall.stdout).toContain("picture: PNG 40×80 mm");
  }, 30_000);

  it("refuses a holder certificate that is not SM2 (65) and a --picture that is no PNG (65)", async () => {
    const maker = ["--maker-key", file("maker.key.pem"), "--maker-cert", file("maker.cert.pem")];
    const ec = await jiexu(
      "ses",
      "make-seal",
      ...maker,
      "--holder-cert",
      file("ec.cert.pem"),
      "--name",
      "x",
      "--out",
      file("a.der"),
    );
    expect(ec.code).toBe(65);
    expect(ec.stderr).toContain("SES_INPUT");
    const pic = await jiexu(
      ...["ses", "make-seal", ...maker, "--holder-cert", file("holder.cert.pem"), "--name", "x"],
      ...["--picture", file("doc.txt"), "--out", file("b.der")],
    );
    expect(pic.code).toBe(65);
    expect(pic.stderr).toContain("not a usable PNG picture");
  });
});
