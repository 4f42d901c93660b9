import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { canonicalBytes } from "../../src/usecases/canonical.ts";
import { tempDir } from "../fixtures/openssl.ts";
import { jiexu } from "./run-jiexu.ts";

/**
 * `jiexu ses make-seal|verify-seal`, `seal --format ses` and `verify` on SES signatures (issue 16) against the
 * development SM2 PKI (`pki init --alg sm2`: root → issuing CA → agency seal certificates, the seal maker
 * under the root, CRLs): exit codes, check ids and the report's format.
 */

const dir = tempDir("jiexu-ses-cli-");
const file = (name: string) => join(dir, name);
const pki = (name: string) => join(dir, "pki", name);
const ZJ = ["--key", pki("agencies/330000/seal.key.pem"), "--cert", pki("agencies/330000/seal.cert.pem")];
const GD = ["--key", pki("agencies/440000/seal.key.pem"), "--cert", pki("agencies/440000/seal.cert.pem")];
const MAKER = ["--maker-key", pki("maker/maker.key.pem"), "--maker-cert", pki("maker/maker.cert.pem")];
const TRUST = ["--trust", pki("root.cert.pem"), "--crl", pki("root.crl.der")];
const VERIFY = [...TRUST, "--chain", pki("chain.pem"), "--crl", pki("issuing.crl.der")];
const NAME = "浙江省社会保险和就业服务中心";
const HOLDER = ["--holder-cert", pki("agencies/330000/seal.cert.pem")];
const SIGN_WITH_SEAL = ["seal", "--format", "ses", "--seal-file", file("zj.seal.der"), ...ZJ];

/** The seal's DER with one byte of its picture (inside what the maker signed) flipped. */
function withPictureByteFlipped(seal: Uint8Array): Uint8Array {
  const png = Buffer.from(seal).indexOf(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  expect(png).toBeGreaterThan(0);
  const copy = new Uint8Array(seal);
  copy[png + 200]! ^= 0x01;
  return copy;
}

describe("jiexu ses with the development SM2 PKI", () => {
  beforeAll(async () => {
    const init = await jiexu("pki", "init", "--alg", "sm2", "--dir", join(dir, "pki"));
    expect(init.code, init.stderr).toBe(0);
    writeFileSync(file("doc.json"), '{"hello":"接续"}\n');
    writeFileSync(file("not-a-seal.der"), new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05]));
    // The seal and the SES signature that most tests read, made here so that no test relies on another's files.
    const made = await jiexu("ses", "make-seal", ...MAKER, ...HOLDER, "--name", NAME, "--out", file("zj.seal.der"));
    expect(made.code, made.stderr).toBe(0);
    const signed = await jiexu(...SIGN_WITH_SEAL, "--content", file("doc.json"), "--out", file("doc.ses"));
    expect(signed.code, signed.stderr).toBe(0);
  }, 120_000);

  it("makes a seal naming 浙江's certificate (exit 0) and will not overwrite it without --force (73)", async () => {
    const args = ["ses", "make-seal", ...MAKER, ...HOLDER, "--name", NAME, "--out", file("made.seal.der")];
    const made = await jiexu(...args);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(new RegExp(`^made seal \\S+ "${NAME}" → `));
    expect(made.stdout).toContain("picture: PNG 40×40 mm");
    const again = await jiexu(...args);
    expect(again.code).toBe(73);
    expect(again.stderr).toContain("--force");
    expect((await jiexu(...args, "--force")).code).toBe(0);
  }, 60_000);

  it("verifies the seal alone: exit 0, TOTAL_PASSED, its name and the maker's signature check", async () => {
    const r = await jiexu("ses", "verify-seal", file("zj.seal.der"), ...TRUST);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^TOTAL_PASSED$/m);
    expect(r.stdout).toContain(`seal:            ${NAME}`);
    expect(r.stdout).toMatch(/✓ PASSED {2}CV\.ses-seal-signature/);
    const json = JSON.parse((await jiexu("ses", "verify-seal", file("zj.seal.der"), ...TRUST, "--json")).stdout);
    expect(json).toMatchObject({ indication: "TOTAL_PASSED", format: "ses", seal: { name: NAME } });
  });

  it("fails a seal with one picture byte changed: exit 1, CV.ses-seal-signature SIG_CRYPTO_FAILURE", async () => {
    writeFileSync(file("flipped.seal.der"), withPictureByteFlipped(readFileSync(file("zj.seal.der"))));
    const r = await jiexu("ses", "verify-seal", file("flipped.seal.der"), ...TRUST);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ FAILED {2}CV\.ses-seal-signature: .*\[TOTAL_FAILED\/SIG_CRYPTO_FAILURE\]/);
  });

  it("answers 65 for a file that is no SES seal, 66 for one that is not there, 2 without the CRL", async () => {
    const bad = await jiexu("ses", "verify-seal", file("not-a-seal.der"), ...TRUST);
    expect(bad.code).toBe(65);
    expect(bad.stderr).toContain("SES_FORMAT");
    expect((await jiexu("ses", "verify-seal", file("missing.der"), ...TRUST)).code).toBe(66);
    const noCrl = await jiexu("ses", "verify-seal", file("zj.seal.der"), "--trust", pki("root.cert.pem"));
    expect(noCrl.code).toBe(2);
    expect(noCrl.stdout).toMatch(/^INDETERMINATE \/ TRY_LATER$/m);
  });

  it("signs a file with the seal (--format ses) and verify says TOTAL_PASSED with the SES checks", async () => {
    const s = await jiexu(...SIGN_WITH_SEAL, "--content", file("doc.json"), "--out", file("signed.ses"));
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toContain("SES signature");
    const r = await jiexu("verify", "--content", file("doc.json"), "--seal", file("signed.ses"), ...VERIFY);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^TOTAL_PASSED$/m);
    expect(r.stdout).toContain("format:          GB/T 38540-2020 electronic seal");
    for (const id of [
      "FC.ses-structure",
      "CV.ses-signature",
      "ISC.ses-signer-in-seal",
      "CV.ses-seal-signature",
      "CV.ses-data-hash",
    ])
      expect(r.stdout).toMatch(new RegExp(`✓ PASSED {2}${id.replace(".", "\\.")}:`));
    const json = JSON.parse(
      (await jiexu("verify", "--content", file("doc.json"), "--seal", file("signed.ses"), ...VERIFY, "--json")).stdout,
    );
    expect(json).toMatchObject({ indication: "TOTAL_PASSED", format: "ses", seal: { name: NAME } });
    expect(json.signer.agencyIds).toEqual(["330000"]);
  }, 30_000);

  it("fails changed content: exit 1, HASH_FAILURE on CV.ses-data-hash", async () => {
    writeFileSync(file("changed.json"), '{"hello":"接续!"}\n');
    const r = await jiexu("verify", "--content", file("changed.json"), "--seal", file("doc.ses"), ...VERIFY);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^TOTAL_FAILED \/ HASH_FAILURE$/m);
    expect(r.stdout).toMatch(/✗ FAILED {2}CV\.ses-data-hash/);
  });

  it("reads an SES signature as PEM too", async () => {
    const b64 = readFileSync(file("doc.ses")).toString("base64").replace(/.{64}/g, "$&\n");
    writeFileSync(file("doc.ses.pem"), `-----BEGIN SES SIGNATURE-----\n${b64}\n-----END SES SIGNATURE-----\n`);
    const r = await jiexu("verify", "--content", file("doc.json"), "--seal", file("doc.ses.pem"), ...VERIFY);
    expect(r.code, r.stdout).toBe(0);
  });

  it("takes a seal maker only when recognised: an agency certificate is no maker without --maker-trust (2), a self-made seal never", async () => {
    const made = (maker: string, out: string) =>
      jiexu(
        ...["ses", "make-seal", "--maker-key", pki(`agencies/${maker}/seal.key.pem`)],
        ...["--maker-cert", pki(`agencies/${maker}/seal.cert.pem`)],
        ...["--holder-cert", pki("agencies/330000/seal.cert.pem"), "--name", NAME, "--out", file(out)],
      );
    expect((await made("440000", "by-agency.seal.der")).code).toBe(0);
    expect((await made("330000", "self-made.seal.der")).code).toBe(0);
    const check = async (seal: string, ...more: string[]) => {
      const r = await jiexu("ses", "verify-seal", file(seal), ...VERIFY, ...more, "--json");
      const report = JSON.parse(r.stdout) as { subIndication?: string; checks: { id: string; status: string }[] };
      return {
        code: r.code,
        sub: report.subIndication,
        maker: report.checks.find((c) => c.id === "ISC.ses-seal-maker"),
      };
    };
    expect(await check("by-agency.seal.der")).toMatchObject({
      code: 2,
      sub: "CHAIN_CONSTRAINTS_FAILURE",
      maker: { status: "FAILED" },
    });
    expect(await check("by-agency.seal.der", "--maker-trust", pki("root.cert.pem"))).toMatchObject({ code: 0 });
    expect(await check("self-made.seal.der", "--maker-trust", pki("root.cert.pem"))).toMatchObject({
      code: 2,
      sub: "CHAIN_CONSTRAINTS_FAILURE",
      maker: { status: "FAILED" },
    });
    expect(await check("zj.seal.der")).toMatchObject({ code: 0, maker: { status: "PASSED" } }); // the dev maker
  }, 30_000);

  it("honours --maker-trust for a sealed-document JSON: a maker outside it finds no chain (2), inside it passes", async () => {
    const document = JSON.parse(
      readFileSync(new URL("../../schemas/examples/contact-letter.json", import.meta.url), "utf8"),
    ) as Record<string, unknown>;
    writeFileSync(file("letter.json"), canonicalBytes(document));
    const s = await jiexu(...SIGN_WITH_SEAL, "--content", file("letter.json"), "--out", file("letter.ses"));
    expect(s.code, s.stderr).toBe(0);
    const seal = readFileSync(file("letter.ses")).toString("base64");
    writeFileSync(file("sealed-ses.json"), JSON.stringify({ document, seal }));
    const verify = (...more: string[]) => jiexu("verify", "--seal", file("sealed-ses.json"), ...VERIFY, ...more);
    const outside = await verify("--maker-trust", pki("agencies/440000/seal.cert.pem"), "--json"); // not the maker's
    expect(outside.code, outside.stdout + outside.stderr).toBe(2);
    const report = JSON.parse(outside.stdout) as { subIndication: string; checks: { id: string; status: string }[] };
    expect(report.subIndication).toBe("NO_CERTIFICATE_CHAIN_FOUND");
    expect(report.checks.find((c) => c.id === "XCV.chain[maker]")?.status).toBe("FAILED");
    const inside = await verify("--maker-trust", pki("root.cert.pem"));
    expect(inside.code, inside.stdout + inside.stderr).toBe(0);
    expect(inside.stdout).toMatch(/^TOTAL_PASSED$/m);
  }, 30_000);

  it("refuses, with 65, a signer the seal does not list, a seal file that does not parse, an SM2 key for CAdES, a signature given as a seal", async () => {
    const sign = (...more: string[]) =>
      jiexu("seal", "--format", "ses", "--content", file("doc.json"), "--out", file("other.ses"), ...more);
    const notHolder = await sign("--seal-file", file("zj.seal.der"), ...GD);
    expect(notHolder.code).toBe(65);
    expect(notHolder.stderr).toContain("SES_SIGNER_NOT_HOLDER");
    const notSeal = await sign("--seal-file", file("not-a-seal.der"), ...ZJ);
    expect(notSeal.code).toBe(65);
    const cades = await jiexu("seal", "--content", file("doc.json"), ...ZJ, "--out", file("doc.p7s"));
    expect(cades.code).toBe(65);
    expect(cades.stderr).toContain("add --format ses --seal-file SEAL.der");
    const signature = await jiexu("ses", "verify-seal", file("doc.ses"), ...TRUST);
    expect(signature.code).toBe(65);
    expect(signature.stderr).toContain("an SES signature? `jiexu verify --content FILE --seal`");
  });

  it("refuses, with 65 (SES_SEAL_INVALID), to sign at a time the seal is not valid", async () => {
    const r = await jiexu(
      ...["seal", "--format", "ses", "--seal-file", file("zj.seal.der"), ...ZJ, "--content", file("doc.json")],
      ...["--out", file("late.ses"), "--signing-time", "2099-01-01T00:00:00Z"],
    );
    expect(r.code).toBe(65);
    expect(r.stderr).toContain("SES_SEAL_INVALID");
  });

  it("refuses, with 65 (SES_NOT_SIGNATURE), a bare seal given to verify as a signature", async () => {
    const r = await jiexu("verify", "--content", file("doc.json"), "--seal", file("zj.seal.der"), ...VERIFY);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/^jiexu verify: SES_NOT_SIGNATURE: /);
    expect(r.stderr).toContain("jiexu ses verify-seal");
  });

  it("takes the seal as a usage matter: --format, --seal-file and the CAdES-only options (64)", async () => {
    const base = ["seal", "--content", file("doc.json"), ...ZJ, "--out", file("x.ses")];
    for (const [more, says] of [
      [["--format", "xades"], "--format is cades or ses"],
      [["--format", "ses"], "--format ses needs --seal-file"],
      [["--seal-file", file("zj.seal.der")], "--seal-file goes with --format ses"],
      [["--format", "ses", "--seal-file", file("zj.seal.der"), "--attached"], "--attached: CAdES only"],
    ] as const) {
      const r = await jiexu(...base, ...more);
      expect(r.code, more.join(" ")).toBe(64);
      expect(r.stderr).toContain(says);
    }
    const typo = await jiexu("ses", "make-seal", "--holder-certs", "x.pem");
    expect(typo.code).toBe(64);
    expect(typo.stderr).toContain("(did you mean --holder-cert?)");
  });
});
