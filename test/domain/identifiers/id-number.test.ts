import { describe, expect, it } from "vitest";
import {
  checkIdNumber,
  containsIdNumber,
  idNumberCheckChar,
  maskIdNumber,
  maskIdNumbersIn,
  upgradeIdNumber,
} from "../../../src/domain/identifiers/index.ts";
import { mintIdNumber, withWrongCheck } from "./reference.ts";

describe("checkIdNumber", () => {
  describe("when the number is valid", () => {
    it.each([
      // GB 11643-1999's own worked example (not a person).
      { id: "11010519491231002X", birthDate: "1949-12-31", gender: "female", province: "110000" },
      { id: mintIdNumber("44010619850704123"), birthDate: "1985-07-04", gender: "male", province: "440000" },
      { id: mintIdNumber("33010620000229004"), birthDate: "2000-02-29", gender: "female", province: "330000" },
      { id: mintIdNumber("65010219700101001"), birthDate: "1970-01-01", gender: "male", province: "650000" },
      { id: mintIdNumber("81000019900515002"), birthDate: "1990-05-15", gender: "female", province: "810000" },
    ])("accepts $id and decodes birth date and gender", ({ id, birthDate, gender, province }) => {
      expect(checkIdNumber(id)).toEqual({
        ok: true,
        normalized: id,
        provinceCode: province,
        birthDate,
        gender,
        legacy: false,
      });
    });

    it("accepts a lowercase x with a warning and normalises it", () => {
      const verdict = checkIdNumber("11010519491231002x");
      expect(verdict).toMatchObject({ ok: true, normalized: "11010519491231002X" });
      expect(verdict.ok && verdict.warning).toBeTruthy();
    });
  });

  describe("when the number is invalid", () => {
    it.each([
      { name: "bad check digit", id: withWrongCheck(mintIdNumber("44010619850704123")), reason: "check-digit" },
      { name: "check digit of the standard example altered", id: "110105194912310021", reason: "check-digit" },
      { name: "30 February", id: mintIdNumber("44010619850230123"), reason: "birth-date" },
      { name: "29 February in a common year", id: mintIdNumber("44010619010229123"), reason: "birth-date" },
      { name: "month 13", id: mintIdNumber("44010619851301123"), reason: "birth-date" },
      { name: "born before 1900", id: mintIdNumber("44010618991231123"), reason: "birth-date" },
      { name: "unknown province prefix 99", id: mintIdNumber("99010619850704123"), reason: "province" },
      { name: "unknown province prefix 10", id: mintIdNumber("10010619850704123"), reason: "province" },
      { name: "17 digits", id: "44010619850704123", reason: "format" },
      { name: "letter inside", id: "4401061985070412AX", reason: "format" },
      { name: "empty", id: "", reason: "format" },
    ])("rejects $name as $reason", ({ id, reason }) => {
      expect(checkIdNumber(id)).toMatchObject({ ok: false, reason });
    });

    it("rejects a birth date after the given today", () => {
      const id = mintIdNumber("44010620300101123");
      expect(checkIdNumber(id, { today: "2025-01-01" })).toMatchObject({ ok: false, reason: "birth-date" });
    });
  });

  describe("when the number is a legacy 15-digit one", () => {
    it("accepts it with a warning and its 18-digit form", () => {
      const verdict = checkIdNumber("440106850704123");
      expect(verdict).toMatchObject({ ok: true, legacy: true, birthDate: "1985-07-04", gender: "male" });
      expect(verdict.ok && verdict.normalized).toBe(mintIdNumber("44010619850704123"));
      expect(verdict.ok && verdict.warning).toContain("15 位");
    });

    it("still rejects an impossible birth date", () => {
      expect(checkIdNumber("440106850231123")).toMatchObject({ ok: false, reason: "birth-date" });
    });
  });
});

describe("idNumberCheckChar and upgradeIdNumber", () => {
  it("agree with the reference implementation", () => {
    for (const first17 of ["11010519491231002", "44010619850704123", "33010619760815123", "51010219991231999"]) {
      expect(first17 + idNumberCheckChar(first17)).toBe(mintIdNumber(first17));
    }
    expect(upgradeIdNumber("110105491231002")).toBe("11010519491231002X");
  });
});

describe("maskIdNumber", () => {
  it.each([
    { id: "11010519491231002X", masked: "110105********002X" },
    { id: "440106850704123", masked: "440106*****4123" },
    { id: "ABC12345", masked: "****2345" },
  ])("keeps the region and the last 4 of $id, hiding the birth date", ({ id, masked }) => {
    expect(maskIdNumber(id)).toBe(masked);
  });
});

describe("maskIdNumbersIn", () => {
  it.each([
    { text: "/v1/cases/11010519491231002X", masked: "/v1/cases/110105********002X" },
    { text: "/v1/cases/ID110105194912310029", masked: "/v1/cases/ID110105********0029" },
    { text: "/v1/cases/110105194912310029A", masked: "/v1/cases/110105********0029A" },
    { text: "ID11010519491231002XA", masked: "ID110105********002XA" },
    { text: "legacy 440106850704123Z", masked: "legacy 440106*****4123Z" },
    { text: "110105 19491231 0029", masked: "110105 ******** 0029" },
    { text: "1101 0519 4912 3100 2X", masked: "1101 05** **** **00 2X" },
    { text: "line\n110105\t19491231\n0029", masked: "line\n110105\t********\n0029" },
    { text: "１１０１０５１９４９１２３１００２Ｘ", masked: "１１０１０５********００２Ｘ" },
  ])(
    "masks an ID number joined to letters or digits or split by spaces: $text (issue 9 item 11)",
    ({ text, masked }) => {
      expect(maskIdNumbersIn(text)).toBe(masked);
      expect(containsIdNumber(text)).toBe(true);
    },
  );

  it("masks every 17-digit-and-check run inside a longer run of digits, hiding all but the last 4 (issue 9 item 11)", () => {
    expect(maskIdNumbersIn("order 9911010519491231002999")).toBe(`order ${"*".repeat(18)}2999`);
    expect(maskIdNumbersIn("a 1101051949123100291 b")).not.toMatch(/19491231/);
  });

  it("leaves shorter numbers, timestamps and ordinary text alone", () => {
    for (const text of [
      "2026-12-01T07:51:26.123Z",
      "case CASE-330000-2025-100001",
      "ms 12345678901234",
      "req-42",
      "1 2 3",
    ]) {
      expect(maskIdNumbersIn(text)).toBe(text);
      expect(containsIdNumber(text)).toBe(false);
    }
  });
});
