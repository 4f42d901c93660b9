import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ArchiveError, formatCheckpoint, fromBase64, parseCheckpoint } from "../../src/domain/archive/index.ts";
import {
  createNoteSigner,
  exportNoteKeyPem,
  formatVerifierKey,
  generateNoteKey,
  loadNoteKeyPem,
  noteKeyFromSeed,
  parseVerifierKey,
  publicKeyBytes,
  signNote,
  verifyNote,
} from "../../src/pki/note-signer.ts";

/**
 * Published vectors of golang.org/x/mod/sumdb/note `note_test.go` (commit 02c99138): the PeterNeumann
 * signer key (0x01 ‖ Ed25519 seed), its verifier key, the EnochRoot verifier key and their signatures.
 */
const PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG =
  "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG =
  "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";
const code = (c: string) => expect.objectContaining({ code: c });

const peterKey = () => noteKeyFromSeed(fromBase64(PETER_SKEY.split("+").slice(4).join("+"))!.subarray(1));

describe("note signing against the golang.org/x/mod/sumdb/note vectors", () => {
  it("derives the published verifier key (key ID c74f20a3) from the PeterNeumann seed", () => {
    expect(formatVerifierKey("PeterNeumann", peterKey())).toBe(PETER_VKEY);
    const parsed = parseVerifierKey(PETER_VKEY);
    expect(parsed).toMatchObject({ name: "PeterNeumann", type: 1 });
    expect(Array.from(parsed.keyId)).toEqual([0xc7, 0x4f, 0x20, 0xa3]);
    expect(parsed.publicKey).toEqual(publicKeyBytes(peterKey()));
  });

  it("signs the published note byte for byte", () => {
    expect(signNote(TEXT, { name: "PeterNeumann", privateKey: peterKey() })).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  it("opens the published two-signature note, ignoring the unknown key", () => {
    const note = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
    const one = verifyNote(note, [PETER_VKEY]);
    expect(one.text).toBe(TEXT);
    expect(one.verifiedBy).toEqual(["PeterNeumann"]);
    expect(one.unverified.map((s) => s.name)).toEqual(["EnochRoot"]);
    expect(verifyNote(note, [PETER_VKEY, ENOCH_VKEY]).verifiedBy).toEqual(["PeterNeumann", "EnochRoot"]);
    expect(() => verifyNote(note, [])).toThrow(code("ARCHIVE_NOTE_UNVERIFIED"));
  });

  it("rejects the published note with four characters inserted into Peter's signature", () => {
    const at = PETER_SIG.length - 50;
    const bad = `${TEXT}\n${PETER_SIG.slice(0, at)}ABCD${PETER_SIG.slice(at)}`;
    expect(() => verifyNote(bad, [PETER_VKEY])).toThrow(code("ARCHIVE_SIGNATURE_INVALID"));
  });

  it("refuses every truncation and every single-character change of the verifier key", () => {
    const bad: string[] = [];
    for (let i = 0; i <= PETER_VKEY.length; i++) {
      for (let j = i + 1; j <= PETER_VKEY.length; j++)
        if (i !== 0 || j !== PETER_VKEY.length) bad.push(PETER_VKEY.slice(i, j));
    }
    for (let i = 0; i < PETER_VKEY.length; i++) {
      bad.push(PETER_VKEY.slice(0, i) + String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1) + PETER_VKEY.slice(i + 1));
    }
    bad.push("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==");
    for (const vkey of bad) expect(() => parseVerifierKey(vkey), vkey).toThrow(ArchiveError);
    expect(() => parseVerifierKey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")).toThrow(
      code("ARCHIVE_KEY_UNSUPPORTED"),
    );
  });
});

describe("gateway checkpoint notes", () => {
  const key = generateNoteKey();
  const name = "jiexu.example.gov.cn/archive";
  const vkey = formatVerifierKey(name, key);
  const body = formatCheckpoint({ origin: name, size: 12345, root: new Uint8Array(32).fill(9) });

  it("round-trip: sign, verify against the vkey, parse the checkpoint", () => {
    const opened = verifyNote(signNote(body, { name, privateKey: key }), [vkey]);
    expect(opened.verifiedBy).toEqual([name]);
    expect(parseCheckpoint(opened.text)).toMatchObject({ origin: name, size: 12345 });
  });

  describe("when the note is signed by another key", () => {
    it("throws ARCHIVE_NOTE_UNVERIFIED, even under the same key name", () => {
      const impostor = signNote(body, { name, privateKey: generateNoteKey() });
      expect(() => verifyNote(impostor, [vkey])).toThrow(code("ARCHIVE_NOTE_UNVERIFIED"));
    });
  });

  describe("when the checkpoint text is altered after signing", () => {
    it("throws ARCHIVE_SIGNATURE_INVALID", () => {
      const note = signNote(body, { name, privateKey: key }).replace("\n12345\n", "\n12346\n");
      expect(() => verifyNote(note, [vkey])).toThrow(code("ARCHIVE_SIGNATURE_INVALID"));
    });
  });

  it("exports and reloads the key as PKCS#8 PEM with the same key ID", () => {
    const pem = exportNoteKeyPem(key);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const reloaded = loadNoteKeyPem(pem);
    expect(formatVerifierKey(name, reloaded)).toBe(vkey);
    expect(createNoteSigner({ name, privateKey: reloaded }).keyId).toEqual(parseVerifierKey(vkey).keyId);
  });

  describe("when the key file is not an Ed25519 PKCS#8 PEM", () => {
    it("throws KEY_UNREADABLE or KEY_UNSUPPORTED", () => {
      expect(() => loadNoteKeyPem("not a key")).toThrow(code("KEY_UNREADABLE"));
      const ec = generateKeyPairSync("ec", { namedCurve: "P-256" })
        .privateKey.export({ type: "pkcs8", format: "pem" })
        .toString();
      expect(() => loadNoteKeyPem(ec)).toThrow(code("KEY_UNSUPPORTED"));
    });
  });
});
