import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyError } from "../../src/pki/key-error.ts";
import {
  encodeSm2Pkcs8,
  encodeSm2Spki,
  generateSm2Key,
  readSm2PrivateKey,
  readSm2Spki,
  signSm2,
  verifySm2,
} from "../../src/pki/sm2.ts";

const DISTID = "distid:1234567812345678";
const pem = (label: string, der: Uint8Array) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n")}\n-----END ${label}-----\n`;

/**
 * SM2 with SM3 and the standard signer ID against the `openssl` binary (issue 16 item 1): keys it makes load
 * here, keys made here load there, and signatures verify both ways; a wrong ID, message or key fails.
 */
describe("SM2 signatures, interoperable with openssl", () => {
  let dir: string;
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const message = new TextEncoder().encode("联系函 ZJ-LXH-2024-000815\n");

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "jiexu-sm2-"));
    writeFileSync(join(dir, "m.txt"), message);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("verifies what openssl signs with an openssl-made key (PKCS#8 and SEC1 alike), and openssl verifies ours", () => {
    openssl("genpkey", "-algorithm", "SM2", "-out", "k.pem");
    openssl("pkey", "-in", "k.pem", "-pubout", "-outform", "DER", "-out", "pub.der");
    openssl("dgst", "-sm3", "-sign", "k.pem", "-sigopt", DISTID, "-out", "m.sig", "m.txt");
    const key = readSm2PrivateKey(readFileSync(join(dir, "k.pem")));
    const pub = readSm2Spki(readFileSync(join(dir, "pub.der")));
    expect(key.publicKeyHex).toBe(pub.publicKeyHex);
    expect(verifySm2(message, readFileSync(join(dir, "m.sig")), pub)).toBe(true);

    writeFileSync(join(dir, "ours.sig"), signSm2(message, key));
    const ok = openssl(
      "dgst",
      "-sm3",
      "-verify",
      "pub.der",
      "-keyform",
      "DER",
      "-sigopt",
      DISTID,
      "-signature",
      "ours.sig",
      "m.txt",
    );
    expect(ok.toString()).toContain("Verified OK");

    openssl("ec", "-in", "k.pem", "-out", "k.sec1.pem");
    expect(readFileSync(join(dir, "k.sec1.pem"), "utf8")).toContain("BEGIN SM2 PRIVATE KEY"); // OpenSSL 3 labels SEC1 SM2 keys so
    expect(readSm2PrivateKey(readFileSync(join(dir, "k.sec1.pem")))).toEqual(key);
  });

  it("writes keys openssl reads: PKCS#8 and SubjectPublicKeyInfo", () => {
    const key = generateSm2Key();
    writeFileSync(join(dir, "ours.key.pem"), pem("PRIVATE KEY", encodeSm2Pkcs8(key)));
    writeFileSync(join(dir, "ours.pub.pem"), pem("PUBLIC KEY", encodeSm2Spki(key)));
    openssl("dgst", "-sm3", "-sign", "ours.key.pem", "-sigopt", DISTID, "-out", "by-ours-key.sig", "m.txt");
    expect(verifySm2(message, readFileSync(join(dir, "by-ours-key.sig")), key)).toBe(true);
    const ok = openssl(
      "dgst",
      "-sm3",
      "-verify",
      "ours.pub.pem",
      "-sigopt",
      DISTID,
      "-signature",
      "by-ours-key.sig",
      "m.txt",
    );
    expect(ok.toString()).toContain("Verified OK");
    expect(readSm2PrivateKey(encodeSm2Pkcs8(key))).toEqual(key);
  });

  it("fails a signature made with another signer ID, over other bytes, by another key, or malformed", () => {
    openssl("dgst", "-sm3", "-sign", "k.pem", "-sigopt", "distid:0000000000000000", "-out", "other-id.sig", "m.txt");
    const pub = readSm2Spki(readFileSync(join(dir, "pub.der")));
    expect(verifySm2(message, readFileSync(join(dir, "other-id.sig")), pub)).toBe(false);
    const good = readFileSync(join(dir, "m.sig"));
    expect(verifySm2(new TextEncoder().encode("联系函 ZJ-LXH-2024-000816\n"), good, pub)).toBe(false);
    expect(verifySm2(message, good, generateSm2Key())).toBe(false);
    expect(verifySm2(message, good.subarray(0, 20), pub)).toBe(false);
    // One encoding only: what sm-crypto-v2 alone would also accept is refused.
    const flipped = Uint8Array.from(good);
    flipped[0] = 0x31;
    expect(verifySm2(message, flipped, pub)).toBe(false);
    expect(verifySm2(message, Uint8Array.of(...good, 0), pub)).toBe(false);
    expect(verifySm2(message, padR(good), pub)).toBe(false);
  });

  it("refuses a key that is not SM2 with KEY_UNSUPPORTED", () => {
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "p256.pem");
    openssl("pkey", "-in", "p256.pem", "-pubout", "-outform", "DER", "-out", "p256.pub.der");
    const refusal = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return err instanceof KeyError ? err.code : String(err);
      }
      return "accepted";
    };
    expect(refusal(() => readSm2PrivateKey(readFileSync(join(dir, "p256.pem"))))).toBe("KEY_UNSUPPORTED");
    expect(refusal(() => readSm2Spki(readFileSync(join(dir, "p256.pub.der"))))).toBe("KEY_UNSUPPORTED");
    expect(refusal(() => readSm2PrivateKey(new TextEncoder().encode("not a key")))).toBe("KEY_UNREADABLE");
  });
});

/** The same signature with r given a needless leading zero byte (lengths adjusted; short form only). */
function padR(sig: Uint8Array): Uint8Array {
  const rLen = sig[3]!;
  const r = sig.subarray(4, 4 + rLen);
  const rest = sig.subarray(4 + rLen);
  const body = Uint8Array.of(0x02, rLen + 1, 0, ...r, ...rest);
  return Uint8Array.of(0x30, body.length, ...body);
}
