import { describe, expect, it } from "vitest";
import { concatBytes } from "../../../src/domain/bytes.ts";
import {
  computeKeyId,
  formatNote,
  openNote,
  parseNote,
  signNoteText,
  toBase64,
  type NoteSigner,
  type NoteVerifier,
} from "../../../src/domain/archive/index.ts";
import { sha256 } from "../../../src/pki/merkle-hasher.ts";

/** A stand-in signature scheme (SHA-256 of secret ‖ message) to test the note format without Ed25519. */
function fakeKey(name: string, secret: string): NoteSigner & NoteVerifier {
  const s = new TextEncoder().encode(secret);
  const keyId = computeKeyId(sha256, name, 0x01, sha256(s));
  const sign = (m: Uint8Array) => sha256(concatBytes([s, m]));
  return { name, keyId, sign, verify: (m, sig) => toBase64(sign(m)) === toBase64(sig) };
}

const TEXT = "jiexu.example/archive\n42\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
const alice = fakeKey("alice.example", "a");
const bob = fakeKey("bob.example", "b");
const code = (c: string) => expect.objectContaining({ code: c });

describe("signed notes", () => {
  it("round-trip: the text comes back with every known signer", () => {
    const note = signNoteText(TEXT, [alice, bob]);
    expect(note.startsWith(`${TEXT}\n— alice.example `)).toBe(true);
    expect(openNote(note, [alice, bob])).toEqual({
      text: TEXT,
      verifiedBy: ["alice.example", "bob.example"],
      unverified: [],
    });
    expect(openNote(new TextEncoder().encode(note), [bob]).verifiedBy).toEqual(["bob.example"]);
  });

  describe("when a signature is by a key not in the list", () => {
    it("is ignored, and the note opens on the known key", () => {
      const opened = openNote(signNoteText(TEXT, [alice, bob]), [bob]);
      expect(opened.verifiedBy).toEqual(["bob.example"]);
      expect(opened.unverified.map((s) => s.name)).toEqual(["alice.example"]);
    });
    it("throws ARCHIVE_NOTE_UNVERIFIED when no known key signed", () => {
      expect(() => openNote(signNoteText(TEXT, [alice]), [bob])).toThrow(code("ARCHIVE_NOTE_UNVERIFIED"));
    });
  });

  describe("when a known key's signature does not verify", () => {
    it("throws ARCHIVE_SIGNATURE_INVALID even if another known key signed", () => {
      const forged = formatNote(TEXT, [
        { name: bob.name, keyId: bob.keyId, signature: bob.sign(new TextEncoder().encode(TEXT)) },
        { name: alice.name, keyId: alice.keyId, signature: new Uint8Array(32) },
      ]);
      expect(() => openNote(forged, [alice, bob])).toThrow(code("ARCHIVE_SIGNATURE_INVALID"));
      const altered = signNoteText(TEXT, [alice]).replace("\n42\n", "\n43\n");
      expect(() => openNote(altered, [alice])).toThrow(code("ARCHIVE_SIGNATURE_INVALID"));
    });
  });

  describe("when lines repeat or keys are ambiguous", () => {
    it("drops repeated signatures and refuses two verifiers with one name and key ID", () => {
      const note = signNoteText(TEXT, [alice]);
      const sigLine = note.slice(TEXT.length + 1);
      expect(openNote(note + sigLine, [alice]).verifiedBy).toEqual(["alice.example"]);
      expect(() => openNote(note, [alice, { ...alice }])).toThrow(code("ARCHIVE_KEY_AMBIGUOUS"));
      expect(() => openNote(TEXT + "\n" + sigLine.repeat(101), [alice])).toThrow(code("ARCHIVE_NOTE_MALFORMED"));
    });
  });

  describe("when the note is malformed", () => {
    const note = signNoteText(TEXT, [alice]);
    const sigLine = note.slice(TEXT.length + 1);
    const b64 = sigLine.slice(sigLine.lastIndexOf(" ") + 1, -1);
    it.each([
      ["text only", TEXT],
      ["text and a blank line", `${TEXT}\n`],
      ["no final newline", note.slice(0, -1)],
      ["no blank line", TEXT + sigLine],
      ["a control character", `\u0001${note}`],
      ["a lone surrogate", `\ud800${note}`],
      ["a hyphen instead of the em dash", `${TEXT}\n- alice.example ${b64}\n`],
      ["an en dash", `${TEXT}\n\u2013 alice.example ${b64}\n`],
      ["a name with a space", `${TEXT}\n— alice example ${b64}\n`],
      ["a name with a plus", `${TEXT}\n— alice+x ${b64}\n`],
      ["bad base64", `${TEXT}\n— alice.example ${b64.slice(1)}\n`],
      ["a signature under 5 bytes", `${TEXT}\n— alice.example AAAAAA==\n`],
      ["a line after the signatures", `${note}Unexpected line.\n`],
    ])("with %s, throws ARCHIVE_NOTE_MALFORMED", (_, bad) => {
      expect(() => parseNote(bad)).toThrow(code("ARCHIVE_NOTE_MALFORMED"));
      expect(() => openNote(bad, [alice])).toThrow(code("ARCHIVE_NOTE_MALFORMED"));
    });
    it("refuses bytes that are not UTF-8", () => {
      expect(() => parseNote(Uint8Array.of(0xff, 0x0a, 0x0a))).toThrow(code("ARCHIVE_NOTE_MALFORMED"));
    });
    it("refuses to sign text without a final newline", () => {
      expect(() => signNoteText("abc", [alice])).toThrow(code("ARCHIVE_NOTE_MALFORMED"));
    });
  });
});
