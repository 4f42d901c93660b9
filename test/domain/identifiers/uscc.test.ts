import { describe, expect, it } from "vitest";
import { checkUscc, usccCheckChar } from "../../../src/domain/identifiers/index.ts";
import { mintUscc } from "./reference.ts";

describe("checkUscc", () => {
  describe("when the code is valid", () => {
    it.each([
      { code: mintUscc("91440106MA59C3K13"), division: "440106", organization: "MA59C3K13" },
      { code: mintUscc("91330106MA2B7Q4D1"), division: "330106", organization: "MA2B7Q4D1" },
      { code: mintUscc("12100000400000626"), division: "100000", organization: "400000626" },
      { code: mintUscc("52440000MJ0000000"), division: "440000", organization: "MJ0000000" },
    ])("accepts $code", ({ code, division, organization }) => {
      expect(checkUscc(code)).toMatchObject({ ok: true, divisionCode: division, organizationCode: organization });
    });
  });

  describe("when the code is invalid", () => {
    const valid = mintUscc("91440106MA59C3K13");
    const wrongCheck = valid.slice(0, 17) + (valid[17] === "1" ? "2" : "1");
    it.each([
      { name: "bad check character", code: wrongCheck, reason: "check-digit" },
      { name: "letter I (not in the alphabet)", code: "91440106MA59C3KI3W", reason: "format" },
      { name: "letter O", code: "91440106MAO9C3K13W", reason: "format" },
      { name: "letter S", code: "91440106MA59S3K13W", reason: "format" },
      { name: "letter V", code: "91440106MA59C3V13W", reason: "format" },
      { name: "letter Z", code: "91440106MA59C3K13Z", reason: "format" },
      { name: "lowercase", code: valid.toLowerCase(), reason: "format" },
      { name: "division with a letter", code: "9144A106MA59C3K13W", reason: "format" },
      { name: "17 characters", code: valid.slice(0, 17), reason: "format" },
    ])("rejects $name as $reason", ({ code, reason }) => {
      expect(checkUscc(code)).toMatchObject({ ok: false, reason });
    });
  });

  it("computes the same check character as the reference", () => {
    for (const first17 of ["91440106MA59C3K13", "11100000000013127", "31110000358343224"]) {
      expect(first17 + usccCheckChar(first17)).toBe(mintUscc(first17));
    }
  });
});
