import { X509Certificate, createPrivateKey, createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { KeyError } from "../../src/pki/key-error.ts";
import { exportPkcs12, importPkcs12, type Pkcs12ExportInput } from "../../src/pki/pkcs12.ts";
import { openssl, opensslOk, opensslSelfSigned, tempDir, writeTemp } from "../fixtures/openssl.ts";

type Alg = "rsa" | "ec";
interface Material {
  key: string;
  cert: string;
  chain: string;
  input: Pkcs12ExportInput;
}

function derOf(pemPath: string): Uint8Array {
  return new Uint8Array(new X509Certificate(readFileSync(pemPath)).raw);
}

function pkcs8Of(keyPath: string): Uint8Array {
  return new Uint8Array(createPrivateKey(readFileSync(keyPath)).export({ type: "pkcs8", format: "der" }));
}

function spki(der: Uint8Array, kind: "private" | "cert"): string {
  const key =
    kind === "cert"
      ? new X509Certificate(der).publicKey
      : createPublicKey(createPrivateKey({ key: Buffer.from(der), format: "der", type: "pkcs8" }));
  return key.export({ type: "spki", format: "der" }).toString("hex");
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KeyError);
  return (err as KeyError).code;
}

const dir = tempDir();
const material = {} as Record<Alg, Material>;

beforeAll(() => {
  for (const alg of ["rsa", "ec"] as const) {
    const leaf = opensslSelfSigned(dir, `${alg}-leaf`, alg);
    const ca = opensslSelfSigned(dir, `${alg}-ca`, "ec", `${alg} chain stand-in`);
    material[alg] = {
      key: leaf.key,
      cert: leaf.cert,
      chain: ca.cert,
      input: {
        privateKeyPkcs8: pkcs8Of(leaf.key),
        certificate: derOf(leaf.cert),
        chain: [derOf(ca.cert)],
        friendlyName: `seal ${alg}`,
      },
    };
  }
});

describe.each(["rsa", "ec"] as const)("PKCS#12 with an %s seal key", (alg) => {
  it("exports what OpenSSL 3 makes by default: PBES2/AES-256-CBC/PBKDF2-SHA256 bags and an HMAC-SHA256 MAC", async () => {
    const p12 = writeTemp(dir, `${alg}-ours.p12`, await exportPkcs12(material[alg].input, "s3cret"));
    const info = openssl(["pkcs12", "-info", "-nokeys", "-in", p12, "-passin", "pass:s3cret"]);
    expect(info.status).toBe(0);
    expect(info.stderr).toContain("MAC: sha256");
    expect(info.stderr).toMatch(/PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/);
    expect(info.stderr).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/);
    expect(info.stdout).toContain(`friendlyName: seal ${alg}`);
    expect(info.stdout.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  });

  it("exports a key that `openssl pkcs12 -nodes` hands back intact", async () => {
    const p12 = writeTemp(dir, `${alg}-ours2.p12`, await exportPkcs12(material[alg].input, "s3cret"));
    const pem = opensslOk(["pkcs12", "-in", p12, "-nodes", "-nocerts", "-passin", "pass:s3cret"]);
    const key = new Uint8Array(createPrivateKey(pem).export({ type: "pkcs8", format: "der" }));
    expect(spki(key, "private")).toBe(spki(material[alg].input.certificate, "cert"));
  });

  it("imports what `openssl pkcs12 -export` makes by default, with friendly name and chain", async () => {
    const out = join(dir, `${alg}-openssl.p12`);
    const m = material[alg];
    opensslOk([
      "pkcs12",
      "-export",
      "-inkey",
      m.key,
      "-in",
      m.cert,
      "-certfile",
      m.chain,
      "-name",
      "openssl made",
      "-passout",
      "pass:pw",
      "-out",
      out,
    ]);
    const bundle = await importPkcs12(new Uint8Array(readFileSync(out)), "pw");
    expect(bundle.certificate).toEqual(m.input.certificate);
    expect(bundle.chain).toEqual(m.input.chain);
    expect(bundle.friendlyName).toBe("openssl made");
    expect(spki(bundle.privateKeyPkcs8, "private")).toBe(spki(m.input.certificate, "cert"));
  });

  it("imports legacy PBE files (SHA1-3DES, SHA-1 MAC) through node-forge", async () => {
    const out = join(dir, `${alg}-legacy.p12`);
    const m = material[alg];
    opensslOk([
      "pkcs12",
      "-export",
      "-inkey",
      m.key,
      "-in",
      m.cert,
      "-certfile",
      m.chain,
      "-keypbe",
      "PBE-SHA1-3DES",
      "-certpbe",
      "PBE-SHA1-3DES",
      "-macalg",
      "sha1",
      "-passout",
      "pass:pw",
      "-out",
      out,
    ]);
    const bundle = await importPkcs12(new Uint8Array(readFileSync(out)), "pw");
    expect(bundle.certificate).toEqual(m.input.certificate);
    expect(bundle.chain).toHaveLength(1);
    expect(spki(bundle.privateKeyPkcs8, "private")).toBe(spki(m.input.certificate, "cert"));
  });

  it("round-trips through its own export", async () => {
    const bundle = await importPkcs12(await exportPkcs12(material[alg].input, "密码 pw"), "密码 pw");
    expect(bundle).toEqual({ ...material[alg].input, privateKeyPkcs8: bundle.privateKeyPkcs8 });
    expect(spki(bundle.privateKeyPkcs8, "private")).toBe(spki(material[alg].input.certificate, "cert"));
  });

  it("reports a wrong password as KEY_PASSWORD_WRONG, for its own files and OpenSSL's", async () => {
    expect(await codeOf(importPkcs12(await exportPkcs12(material[alg].input, "right"), "wrong"))).toBe(
      "KEY_PASSWORD_WRONG",
    );
    expect(await codeOf(importPkcs12(new Uint8Array(readFileSync(join(dir, `${alg}-openssl.p12`))), "wrong"))).toBe(
      "KEY_PASSWORD_WRONG",
    );
  });
});

describe("importPkcs12 on damaged input", () => {
  it("reports garbage as KEY_UNREADABLE", async () => {
    expect(await codeOf(importPkcs12(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x03]), "pw"))).toBe("KEY_UNREADABLE");
    expect(await codeOf(importPkcs12(new TextEncoder().encode("not a p12"), "pw"))).toBe("KEY_UNREADABLE");
  });

  it("reports a flipped byte as a coded error (MAC failure or unreadable), never a crash", async () => {
    const p12 = await exportPkcs12(material.ec.input, "pw");
    p12[200] = p12[200]! ^ 0xff;
    expect(["KEY_PASSWORD_WRONG", "KEY_UNREADABLE"]).toContain(await codeOf(importPkcs12(p12, "pw")));
  });
});
