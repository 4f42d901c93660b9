import { describe, expect, it } from "vitest";
import { bytesEqual, compareBytes, concatBytes, fromHex, sameBytes, toHex } from "../../src/domain/bytes.ts";

/** The one bytes module: the two equalities agree on every input, whichever path sameBytes takes. */
const bytes = (...values: number[]) => Uint8Array.from(values);
const long = (last: number) => Uint8Array.from({ length: 1024 }, (_, i) => (i === 1023 ? last : i & 0xff));

describe("sameBytes and bytesEqual", () => {
  describe("when the inputs are short (the loop) or long (Buffer.compare where there is one)", () => {
    it("agree: equal, differing in the last byte, differing in length", () => {
      const cases: [Uint8Array, Uint8Array, boolean][] = [
        [bytes(1, 2, 3), bytes(1, 2, 3), true],
        [bytes(1, 2, 3), bytes(1, 2, 4), false],
        [bytes(1, 2, 3), bytes(1, 2), false],
        [long(7), long(7), true],
        [long(7), long(8), false],
        [long(7).subarray(1), long(7).subarray(1), true],
        [new Uint8Array(0), new Uint8Array(0), true],
      ];
      for (const [a, b, equal] of cases) {
        expect(sameBytes(a, b)).toBe(equal);
        expect(bytesEqual(a, b)).toBe(equal);
      }
    });
  });
});

describe("compareBytes", () => {
  it("orders by the first differing byte, then a shorter prefix first (X.690 §11.6)", () => {
    const sorted = [bytes(2), bytes(1, 0xff), bytes(1), bytes(1, 0)].sort(compareBytes);
    expect(sorted.map(toHex)).toEqual(["01", "0100", "01ff", "02"]);
  });
});

describe("concatBytes", () => {
  it("joins any number of parts, including none and far more than a spread could pass", () => {
    expect(concatBytes([])).toEqual(new Uint8Array(0));
    expect(toHex(concatBytes([bytes(1), new Uint8Array(0), bytes(2, 3)]))).toBe("010203");
    expect(concatBytes(Array.from({ length: 200_000 }, () => bytes(9))).length).toBe(200_000);
  });
});

describe("toHex and fromHex", () => {
  it("round-trip in lowercase and refuse odd lengths", () => {
    expect(toHex(fromHex("00A1ff")!)).toBe("00a1ff");
    expect(fromHex("abc")).toBeUndefined();
  });
});
