import { describe, expect, it } from "vitest";
import {
  checkAgencyId,
  isIdNumberProvincePrefix,
  isKnownDivision,
  lookupDivision,
  provinceOf,
  sameProvince,
} from "../../../src/domain/identifiers/index.ts";

describe("lookupDivision", () => {
  it.each([
    { code: "440000", level: "province", name: "广东省", province: "440000" },
    { code: "440100", level: "prefecture", name: "广州市", province: "440000" },
    { code: "440106", level: "county", name: "天河区", province: "440000" },
    { code: "330000", level: "province", name: "浙江省", province: "330000" },
    { code: "110100", level: "prefecture", name: "市辖区", province: "110000" },
  ])("finds $code as a $level", ({ code, level, name, province }) => {
    expect(lookupDivision(code)).toMatchObject({ code, level, name, provinceCode: province });
  });

  it.each(["449999", "990000", "44010", "4401000", "abcdef", "000000"])("does not know %s", (code) => {
    expect(lookupDivision(code)).toBeUndefined();
    expect(isKnownDivision(code)).toBe(false);
  });

  it('covers all 31 mainland provinces of docs/references.md "Identifiers" from the package data', () => {
    const prefixes =
      "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65".split(" ");
    expect(prefixes.filter((p) => !isKnownDivision(`${p}0000`))).toEqual([]);
  });
});

describe("province helpers", () => {
  it("derives provinces and compares them", () => {
    expect(provinceOf("440106")).toBe("440000");
    expect(sameProvince("440300", "440000")).toBe(true);
    expect(sameProvince("440000", "330000")).toBe(false);
  });

  it("accepts 港澳台 prefixes in ID numbers only", () => {
    expect(isIdNumberProvincePrefix("81")).toBe(true);
    expect(isKnownDivision("810000")).toBe(false);
  });
});

describe("checkAgencyId", () => {
  it.each([
    { id: "440000", division: "440000", suffix: undefined },
    { id: "440100", division: "440100", suffix: undefined },
    { id: "650000-BT", division: "650000", suffix: "BT" },
    { id: "330106-XH01", division: "330106", suffix: "XH01" },
  ])("accepts $id", ({ id, division, suffix }) => {
    const verdict = checkAgencyId(id);
    expect(verdict).toMatchObject({ ok: true, divisionCode: division });
    expect(verdict.ok && verdict.suffix).toBe(suffix);
  });

  it.each([
    { id: "990000", reason: "division-unknown" },
    { id: "449999-A", reason: "division-unknown" },
    { id: "44000", reason: "format" },
    { id: "440000-", reason: "format" },
    { id: "440000-bt", reason: "format" },
    { id: "440000-ABCDEFGHI", reason: "format" },
  ])("rejects $id as $reason", ({ id, reason }) => {
    expect(checkAgencyId(id)).toMatchObject({ ok: false, reason });
  });
});
