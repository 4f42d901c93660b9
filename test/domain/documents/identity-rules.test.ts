import { describe, expect, it } from "vitest";
import { validateDocument, type Document } from "../../../src/domain/documents/index.ts";
import { mintIdNumber } from "../identifiers/reference.ts";
import { NOW, edited, example } from "./fixtures.ts";

const found = (doc: Document) =>
  validateDocument(doc, { now: NOW }).problems.map((p) => `${p.severity} ${p.code} ${p.path}`);

describe("identity rules", () => {
  it("warns about a legacy 15-digit number without invalidating the document", () => {
    const doc = edited("contact-letter", (d) => (d.body.person.idNumber = "330106760815123"));
    const result = validateDocument(doc, { now: NOW });
    expect(result.valid).toBe(true);
    expect(found(doc)).toEqual(["warning ID_NUMBER_LEGACY /body/person/idNumber"]);
  });

  it.each(["contact-letter", "insurance-record", "fund-transfer", "completion", "return", "discrepancy"] as const)(
    "checks the person's ID number on a %s",
    (type) => {
      const doc = edited(
        type,
        (d) => ((d.body as { person: { idNumber: string } }).person.idNumber = "330106197608151231"),
      );
      expect(found(doc)).toEqual(["error ID_NUMBER_INVALID /body/person/idNumber"]);
    },
  );

  it("flags a gender that disagrees with the ID number", () => {
    const doc = edited("insurance-record", (d) => (d.body.person.gender = "female"));
    expect(found(doc)).toEqual(["error ID_NUMBER_MISMATCH /body/person/gender"]);
  });

  it("accepts a female person whose sequence digit is even", () => {
    const doc = edited("insurance-record", (d) => {
      d.body.person.idNumber = mintIdNumber("33010619760815124");
      d.body.person.gender = "female";
    });
    expect(found(doc)).toEqual([]);
  });

  it("flags the employer's USCC on a contact letter", () => {
    const doc = edited("contact-letter", (d) => (d.body.employer!.uscc = "91330106MA2B7Q4D1A"));
    expect(found(doc)).toEqual(["error USCC_INVALID /body/employer/uscc"]);
  });

  it.each([
    {
      name: "transfer-out division",
      edit: (d: Document) => d.type === "contact-letter" && (d.body.transferOut.divisionCode = "440099"),
      path: "/body/transferOut/divisionCode",
    },
    {
      name: "transfer-in division",
      edit: (d: Document) => d.type === "contact-letter" && (d.body.transferIn.divisionCode = "339900"),
      path: "/body/transferIn/divisionCode",
    },
  ])("flags an unknown $name", ({ edit, path }) => {
    expect(found(edited("contact-letter", edit))).toEqual([`error DIVISION_UNKNOWN ${path}`]);
  });

  it("flags an unknown hukou division on a record", () => {
    const doc = edited("insurance-record", (d) => (d.body.person.hukouDivisionCode = "330199"));
    expect(found(doc)).toEqual(["error DIVISION_UNKNOWN /body/person/hukouDivisionCode"]);
  });

  it("flags an unknown receiving agency on a receipt", () => {
    const doc = edited("receipt", (d) => (d.body.receivingAgency = "339900"));
    expect(found(doc)).toEqual(["error AGENCY_ID_INVALID /body/receivingAgency"]);
  });

  it("flags an agency id that fails the schema pattern as SCHEMA", () => {
    const doc = edited("contact-letter", (d) => (d.to = "44-0000"));
    expect(found(doc)).toEqual(["error SCHEMA /to"]);
  });
});

describe("SAME_PROVINCE", () => {
  it.each([
    { from: "330000", to: "440000", ok: true },
    { from: "330100", to: "440300", ok: true },
    { from: "650000-BT", to: "650000", ok: false },
    { from: "440300", to: "440000", ok: false },
  ])("$from → $to is cross-province: $ok", ({ from, to, ok }) => {
    const doc = edited("contact-letter", (d) => Object.assign(d, { from, to }));
    expect(found(doc)).toEqual(ok ? [] : ["error SAME_PROVINCE /to"]);
  });

  it("does not apply to transport receipts", () => {
    const doc = { ...example("receipt"), from: "330100", to: "330000" };
    expect(found(doc)).toEqual([]);
  });
});
