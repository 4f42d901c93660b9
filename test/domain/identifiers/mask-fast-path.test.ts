import { describe, expect, it } from "vitest";
import { maskDigitRuns } from "../../../src/domain/identifiers/id-number.ts";
import { containsIdNumber, maskIdNumbersIn } from "../../../src/domain/identifiers/index.ts";
import { seededRandom as random } from "../../support/random.ts";

/**
 * maskIdNumbersIn skips the replace when no 15-digit run occurs (issue 12 item 1): over fuzzed text made of
 * digits (ASCII and full-width), every gap character, check characters and ordinary text, it must give exactly
 * what the full replace gives.
 */
const PIECES = [
  "0",
  "1",
  "5",
  "9",
  "\uFF10",
  "\uFF19",
  " ",
  "\t",
  "\n",
  "\u3000",
  "\u200B",
  "\uFEFF",
  "X",
  "x",
  "\uFF38",
  "\uFF58",
  "a",
  "-",
  "*",
  '"',
  "110105",
  "19491231",
  "0029",
  "2026-01-02T03:04:05.000Z",
];

function text(next: () => number): string {
  let s = "";
  const length = Math.floor(next() * 40);
  for (let i = 0; i < length; i++) s += PIECES[Math.floor(next() * PIECES.length)];
  return s;
}

describe("maskIdNumbersIn's pre-check", () => {
  it("gives what the full replace gives, over fuzzed text", () => {
    const next = random(12);
    let masked = 0;
    for (let i = 0; i < 50_000; i++) {
      const t = text(next);
      const full = maskDigitRuns(t);
      expect(maskIdNumbersIn(t)).toBe(full);
      if (full !== t) masked++;
    }
    // The fuzz must reach both sides of the pre-check.
    expect(masked).toBeGreaterThan(1_000);
  });

  it("passes log lines without long runs as they are, and masks those with one", () => {
    const line =
      '{"time":"2026-01-02T03:04:05.000Z","level":"info","event":"http.request","requestId":"6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f","ms":1.2}';
    expect(maskIdNumbersIn(line)).toBe(line);
    expect(containsIdNumber(`${line} 11010519491231002X`)).toBe(true);
    expect(maskIdNumbersIn("a 11010519 4912\u200B3100\u30002X b")).toBe(
      maskDigitRuns("a 11010519 4912\u200B3100\u30002X b"),
    );
    expect(maskIdNumbersIn("12345678901234")).toBe("12345678901234");
    expect(maskIdNumbersIn("123456789012345")).toBe("123456*****2345");
  });
});
