import { describe, expect, it } from "vitest";
import {
  formatCheckpoint,
  fromBase64,
  parseCheckpoint,
  parseNote,
  toBase64,
  toHex,
} from "../../../src/domain/archive/index.ts";

const ROOT = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
const code = (c: string) => expect.objectContaining({ code: c });

describe("formatCheckpoint / parseCheckpoint", () => {
  it("round-trips a checkpoint body, with and without extension lines", () => {
    const plain = { origin: "jiexu.example.gov.cn/archive", size: 1_048_576, root: ROOT };
    const text = formatCheckpoint(plain);
    expect(text).toBe(`jiexu.example.gov.cn/archive\n1048576\n${toBase64(ROOT)}\n`);
    expect(parseCheckpoint(text)).toEqual({ ...plain, extensions: [] });
    const extended = { ...plain, size: 0, extensions: ["Timestamp: 1748000000"] };
    expect(parseCheckpoint(formatCheckpoint(extended))).toEqual(extended);
  });

  it("parses the c2sp.org/tlog-checkpoint example note", () => {
    const note =
      "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n" +
      "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";
    const { text, signatures } = parseNote(note);
    const checkpoint = parseCheckpoint(text);
    expect(checkpoint.origin).toBe("example.com/behind-the-sofa");
    expect(checkpoint.size).toBe(20852163);
    expect(toHex(checkpoint.root)).toBe(toHex(fromBase64("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")!));
    expect(signatures.map((s) => s.name)).toEqual(["example.com/behind-the-sofa"]);
  });

  describe("when the body is malformed", () => {
    const root = toBase64(ROOT);
    it.each([
      ["no final newline", `o\n5\n${root}`],
      ["two lines", "o\n5\n"],
      ["an empty origin", `\n5\n${root}\n`],
      ["a leading zero", `o\n05\n${root}\n`],
      ["a negative size", `o\n-5\n${root}\n`],
      ["an exponent", `o\n1e3\n${root}\n`],
      ["a size past 2^53", `o\n9007199254740993\n${root}\n`],
      ["a padded size", `o\n 5\n${root}\n`],
      ["a 31-byte root", `o\n5\n${toBase64(ROOT.slice(1))}\n`],
      ["unpadded base64", `o\n5\n${root.replace(/=+$/, "")}\n`],
      ["non-canonical base64 bits", `o\n5\n${root.slice(0, 42)}R=\n`],
      ["an empty extension line", `o\n5\n${root}\n\n`],
      ["a carriage return", `o\r\n5\n${root}\n`],
    ])("with %s, throws ARCHIVE_CHECKPOINT_MALFORMED", (_, text) => {
      expect(() => parseCheckpoint(text)).toThrow(code("ARCHIVE_CHECKPOINT_MALFORMED"));
    });
  });

  describe("when asked to encode an impossible checkpoint", () => {
    it("throws ARCHIVE_CHECKPOINT_MALFORMED", () => {
      expect(() => formatCheckpoint({ origin: "a\nb", size: 1, root: ROOT })).toThrow(
        code("ARCHIVE_CHECKPOINT_MALFORMED"),
      );
      expect(() => formatCheckpoint({ origin: "o", size: -1, root: ROOT })).toThrow(
        code("ARCHIVE_CHECKPOINT_MALFORMED"),
      );
      expect(() => formatCheckpoint({ origin: "o", size: 1, root: ROOT, extensions: [""] })).toThrow(
        code("ARCHIVE_CHECKPOINT_MALFORMED"),
      );
    });
  });
});
