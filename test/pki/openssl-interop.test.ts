import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openssl, opensslOk, tempDir, writeTemp } from "../fixtures/openssl.ts";
import { jiexu as runJiexu } from "../cli/run-jiexu.ts";
import { createOpensslPki, type OpensslPki } from "./openssl-pki.ts";
import { CONTENT } from "./seal-harness.ts";

/**
 * Interop both ways with the `openssl` binary (issue 2 Acceptance): seals made by `openssl cms
 * -sign -cades` over an OpenSSL-made chain verify with `jiexu verify`; `jiexu seal` output verifies
 * with `openssl cms -verify` and carries signingCertificateV2. openssl always runs as a real process;
 * our CLI runs in-process through `main(args, io)` (the same entry bin/jiexu.js calls), because these
 * tests are about the CMS bytes, and ~1.5 s of Node + tsx start-up per call cost a minute. One test
 * (the first) still spawns `node bin/jiexu.js` end to end: argv, stdout and the exit status of the process.
 */
const BIN = join(import.meta.dirname, "../../bin/jiexu.js");
let dir: string;
let pki: OpensslPki;
let content: string;

type Run = { status: number | null; stdout: string; stderr: string };

/** `jiexu …` as a real process: the smoke test of the binary itself. */
function jiexuSpawned(args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `jiexu …` in-process (test/cli/run-jiexu.ts), its exit code named as spawnSync names it. */
async function jiexu(args: string[]): Promise<Run> {
  const { code, stdout, stderr } = await runJiexu(...args);
  return { status: code, stdout, stderr };
}

const verifyArgs = (seal: string, extra: string[] = []) => [
  "verify",
  "--content",
  content,
  "--seal",
  seal,
  "--trust",
  pki.root,
  "--crl",
  pki.crls.root,
  "--crl",
  pki.crls.ca,
  ...extra,
];

function opensslSign(name: string, signer: { cert: string; key: string }, extra: string[] = []): string {
  const out = join(dir, name);
  opensslOk([
    "cms",
    "-sign",
    "-binary",
    "-md",
    "sha256",
    "-cades",
    "-in",
    content,
    "-signer",
    signer.cert,
    "-inkey",
    signer.key,
    "-certfile",
    pki.ca,
    "-outform",
    "DER",
    "-out",
    out,
    ...extra,
  ]);
  return out;
}

beforeAll(() => {
  dir = tempDir("jiexu-interop-");
  pki = createOpensslPki(dir);
  content = writeTemp(dir, "letter.json", CONTENT);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("jiexu verify on seals made by openssl", () => {
  describe("when openssl made a detached CAdES seal", () => {
    it("exits 0 with TOTAL_PASSED", async () => {
      const seal = opensslSign("detached.p7s", pki.seal);
      expect(opensslOk(["cms", "-cmsout", "-print", "-inform", "DER", "-in", seal])).toMatch(/eContent: <ABSENT>/);
      const r = jiexuSpawned(verifyArgs(seal));
      expect(r.stdout).toMatch(/^TOTAL_PASSED/);
      expect(r.status, r.stdout + r.stderr).toBe(0);
    });
  });

  describe("when openssl made an attached (-nodetach) CAdES seal", () => {
    it("exits 0 with TOTAL_PASSED, with or without --content", async () => {
      const seal = opensslSign("attached.p7s", pki.seal, ["-nodetach"]);
      expect((await jiexu(verifyArgs(seal))).status).toBe(0);
      const r = await jiexu([
        "verify",
        "--seal",
        seal,
        "--trust",
        pki.root,
        "--crl",
        pki.crls.root,
        "--crl",
        pki.crls.ca,
        "--json",
      ]);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).indication).toBe("TOTAL_PASSED");
    });
  });

  describe("when openssl made an RSA-2048 seal", () => {
    it("exits 0 with TOTAL_PASSED", async () => {
      expect((await jiexu(verifyArgs(opensslSign("rsa.p7s", pki.rsaSeal)))).status).toBe(0);
    });

    it("exits 0 with TOTAL_PASSED for RSASSA-PSS", async () => {
      const seal = opensslSign("rsa-pss.p7s", pki.rsaSeal, ["-keyopt", "rsa_padding_mode:pss"]);
      const r = await jiexu(verifyArgs(seal, ["--json"]));
      expect(r.status, r.stdout + r.stderr).toBe(0);
    });
  });

  describe("when openssl identifies the signer by subjectKeyIdentifier (-keyid, SignerInfo v3)", () => {
    it("exits 0 with TOTAL_PASSED", async () => {
      const r = await jiexu(verifyArgs(opensslSign("keyid.p7s", pki.seal, ["-keyid"])));
      expect(r.status, r.stdout + r.stderr).toBe(0);
    });
  });

  describe("when openssl streamed an attached seal as BER (indefinite lengths)", () => {
    it("exits 0 with TOTAL_PASSED", async () => {
      const seal = opensslSign("streamed.p7s", pki.seal, ["-nodetach", "-stream"]);
      expect(readFileSync(seal)[1]).toBe(0x80);
      const r = await jiexu(verifyArgs(seal));
      expect(r.status, r.stdout + r.stderr).toBe(0);
    });
  });

  describe("when the seal is PEM or bare base64", () => {
    it("exits 0 for both", async () => {
      const der = opensslSign("for-pem.p7s", pki.seal);
      const pem = join(dir, "seal.pem.p7s");
      opensslOk(["cms", "-cmsout", "-inform", "DER", "-in", der, "-outform", "PEM", "-out", pem]);
      expect(readFileSync(pem, "utf8")).toMatch(/-----BEGIN CMS-----/);
      expect((await jiexu(verifyArgs(pem))).status).toBe(0);
      const b64 = writeTemp(dir, "seal.b64", readFileSync(der).toString("base64") + "\n");
      expect((await jiexu(verifyArgs(b64))).status).toBe(0);
    });
  });

  describe("when the content changed", () => {
    it("exits 1 with TOTAL_FAILED/HASH_FAILURE in the JSON report", async () => {
      const seal = opensslSign("changed.p7s", pki.seal);
      const other = writeTemp(dir, "changed.json", Buffer.concat([Buffer.from(CONTENT), Buffer.from(" ")]));
      const r = await jiexu([
        "verify",
        "--content",
        other,
        "--seal",
        seal,
        "--trust",
        pki.root,
        "--crl",
        pki.crls.root,
        "--crl",
        pki.crls.ca,
        "--json",
      ]);
      expect(r.status).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ indication: "TOTAL_FAILED", subIndication: "HASH_FAILURE" });
    });
  });

  describe("when the signer is on the openssl CRL", () => {
    it("exits 2 with INDETERMINATE/REVOKED_NO_POE", async () => {
      const r = await jiexu(verifyArgs(opensslSign("revoked.p7s", pki.revokedSeal), ["--json"]));
      expect(r.status).toBe(2);
      expect(JSON.parse(r.stdout)).toMatchObject({ indication: "INDETERMINATE", subIndication: "REVOKED_NO_POE" });
    });
  });

  describe("when no CRL is given", () => {
    it("exits 2 with TRY_LATER, and 0 with --revocation optional", async () => {
      const seal = opensslSign("no-crl.p7s", pki.seal);
      const base = ["verify", "--content", content, "--seal", seal, "--trust", pki.root, "--json"];
      const r = await jiexu(base);
      expect(r.status).toBe(2);
      expect(JSON.parse(r.stdout).subIndication).toBe("TRY_LATER");
      expect((await jiexu([...base, "--revocation", "optional"])).status).toBe(0);
    });
  });

  describe("when openssl signed without -cades (no signing-certificate-v2)", () => {
    it("exits 2 with NO_SIGNING_CERTIFICATE_FOUND", async () => {
      const out = join(dir, "no-cades.p7s");
      opensslOk([
        "cms",
        "-sign",
        "-binary",
        "-md",
        "sha256",
        "-in",
        content,
        "-signer",
        pki.seal.cert,
        "-inkey",
        pki.seal.key,
        "-certfile",
        pki.ca,
        "-outform",
        "DER",
        "-out",
        out,
      ]);
      const r = await jiexu(verifyArgs(out, ["--json"]));
      expect(r.status).toBe(2);
      expect(JSON.parse(r.stdout).subIndication).toBe("NO_SIGNING_CERTIFICATE_FOUND");
    });
  });

  describe("when a certificate embedded in the seal is corrupted (issue 9 item 6)", () => {
    it("exits 1 with TOTAL_FAILED/FORMAT_FAILURE", async () => {
      const seal = readFileSync(opensslSign("corrupted-ca.p7s", pki.seal));
      const pem = readFileSync(pki.ca, "utf8").replace(/-----[A-Z ]+-----|\s/g, "");
      const ca = Buffer.from(pem, "base64");
      const at = seal.indexOf(ca);
      expect(at).toBeGreaterThan(0);
      seal[at + ca.indexOf(Buffer.from([0x01, 0x01, 0xff])) + 2] = 0x01; // a BER BOOLEAN TRUE: not DER
      const r = await jiexu(verifyArgs(writeTemp(dir, "corrupted-ca.p7s", seal), ["--json"]));
      expect(r.status).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ indication: "TOTAL_FAILED", subIndication: "FORMAT_FAILURE" });
    });
  });

  describe("when the seal is verified after its signer's notAfter (issue 9 item 9)", () => {
    it("exits 2 with OUT_OF_BOUNDS_NO_POE, not TRY_LATER for the CRLs that ended long before", async () => {
      const r = await jiexu(verifyArgs(opensslSign("late.p7s", pki.seal), ["--at", "2200-01-01T00:00:00Z", "--json"]));
      expect(r.status).toBe(2);
      expect(JSON.parse(r.stdout)).toMatchObject({
        indication: "INDETERMINATE",
        subIndication: "OUT_OF_BOUNDS_NO_POE",
      });
    });
  });

  describe("when openssl signed with -md sha1", () => {
    it("exits 2 with CRYPTO_CONSTRAINTS_FAILURE", async () => {
      const out = join(dir, "sha1.p7s");
      opensslOk([
        "cms",
        "-sign",
        "-binary",
        "-md",
        "sha1",
        "-cades",
        "-in",
        content,
        "-signer",
        pki.seal.cert,
        "-inkey",
        pki.seal.key,
        "-certfile",
        pki.ca,
        "-outform",
        "DER",
        "-out",
        out,
      ]);
      const r = await jiexu(verifyArgs(out, ["--json"]));
      expect(r.status).toBe(2);
      expect(JSON.parse(r.stdout).subIndication).toBe("CRYPTO_CONSTRAINTS_FAILURE");
    });
  });
});

describe("openssl on seals made by jiexu seal", () => {
  it.each([
    { name: "ECDSA P-256", signer: () => pki.seal, extra: [] as string[] },
    { name: "RSA-2048 PSS", signer: () => pki.rsaSeal, extra: ["--pss"] },
    { name: "RSA-2048 PKCS#1 v1.5", signer: () => pki.rsaSeal, extra: [] },
    { name: "ECDSA P-256 attached", signer: () => pki.seal, extra: ["--attached"] },
  ])("openssl cms -verify succeeds and shows signingCertificateV2 ($name)", async ({ name, signer, extra }) => {
    const out = join(dir, `jiexu-${name.replace(/\W+/g, "-")}.p7s`);
    const s = await jiexu([
      "seal",
      "--content",
      content,
      "--key",
      signer().key,
      "--cert",
      signer().cert,
      "--chain",
      pki.ca,
      "--out",
      out,
      ...extra,
    ]);
    expect(s.status, s.stderr).toBe(0);
    const v = openssl([
      "cms",
      "-verify",
      "-binary",
      "-inform",
      "DER",
      "-in",
      out,
      "-content",
      content,
      "-CAfile",
      pki.root,
      "-purpose",
      "any",
      "-out",
      "/dev/null",
    ]);
    expect(v.status, v.stderr).toBe(0);
    expect(v.stderr).toMatch(/Verification successful/);
    expect(opensslOk(["cms", "-cmsout", "-print", "-inform", "DER", "-in", out])).toMatch(/signingCertificateV2/);
    expect((await jiexu(verifyArgs(out))).status).toBe(0);
  });
});

describe("jiexu verify usage errors", () => {
  it.each([
    { name: "no arguments", args: [] as string[] },
    { name: "no --trust", args: ["--seal", "x.p7s"] },
    { name: "a bad --at", args: ["--seal", "x.p7s", "--trust", "r.pem", "--at", "yesterday"] },
    { name: "a bad --revocation", args: ["--seal", "x.p7s", "--trust", "r.pem", "--revocation", "maybe"] },
    { name: "an unknown option", args: ["--seal", "x.p7s", "--trust", "r.pem", "--frobnicate"] },
  ])("exits 64 on $name", async ({ args }) => {
    expect((await jiexu(["verify", ...args])).status).toBe(64);
  });
});
