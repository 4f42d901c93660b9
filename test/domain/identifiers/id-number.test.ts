import { describe, expect, it } from "vitest";
import { checkIdNumber, idNumberCheckChar, maskIdNumber, upgradeIdNumber } from "../../../src/domain/identifiers/index.ts";
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
      expect(checkIdNumber(id)).toEqual({ ok: true, normalized: id, provinceCode: province, birthDate, gender, legacy: false });
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
