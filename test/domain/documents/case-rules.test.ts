import { describe, expect, it } from "vitest";
import type { Document } from "../../../src/domain/documents/index.ts";
import { currentOf } from "../../../src/domain/documents/rules/case.ts";
import { edited, example } from "./fixtures.ts";
import { problemLines } from "./records.ts";

/** The examples of case CASE-330000-2024-000815, fresh for each use. */
const letter = () => example("contact-letter");
const record = () => example("insurance-record");
const transfer = () => example("fund-transfer");
const wholeCase = (): Document[] => [letter(), record(), transfer(), example("completion"), example("discrepancy")];

/** The corrected record of a discrepancy: a new id, later, superseding the example record. */
const corrected = () =>
  edited("insurance-record", (d) => {
    d.id = "GD-XXB-2024-004322";
    d.issuedAt = "2024-08-15T09:00:00+08:00";
    d.body.supersedes = "GD-XXB-2024-004321";
  });

describe("PAYEE_MISMATCH: the fund transfer pays the contact letter's receiving account", () => {
  it.each([
    { field: "accountNumber", value: "33001616735059000816" },
    { field: "accountName", value: "浙江省社会保险事业管理中心" },
    { field: "bankName", value: "中国工商银行杭州分行" },
    { field: "clearingCode", value: "105331000012" },
  ] as const)("flags a different $field", ({ field, value }) => {
    const doc = edited("fund-transfer", (d) => (d.body.payee[field] = value));
    expect(problemLines(doc, { related: [letter(), record()] })).toEqual([`PAYEE_MISMATCH /body/payee/${field}`]);
  });

  it("compares the 联行号 only when both give one", () => {
    const doc = edited("fund-transfer", (d) => delete d.body.payee.clearingCode);
    expect(problemLines(doc, { related: [letter(), record()] })).toEqual([]);
  });

  it("cannot compare without the case's contact letter", () => {
    const doc = edited("fund-transfer", (d) => (d.body.payee.accountNumber = "33001616735059000816"));
    expect(problemLines(doc, { related: [record()] })).toEqual([]);
  });
});

describe("RECEIVED_TOTAL_MISMATCH: the completion states what the fund transfer moved", () => {
  it.each([-1, 1, -27])("flags receivedTotalFen %i fen off ⑥", (delta) => {
    const doc = edited("completion", (d) => (d.body.receivedTotalFen += delta));
    expect(problemLines(doc, { related: wholeCase() })).toEqual(["RECEIVED_TOTAL_MISMATCH /body/receivedTotalFen"]);
  });
});

describe("REFERENCE_NOT_IN_CASE: ids name documents of the case, of the right type", () => {
  it("flags a completion naming a record and a fund transfer the case does not hold", () => {
    const doc = edited("completion", (d) => {
      d.body.insuranceRecordId = "GD-XXB-2024-009999";
      d.body.fundTransferId = "GD-XXB-2024-004321";
    });
    expect(problemLines(doc, { related: wholeCase() })).toEqual([
      "REFERENCE_NOT_IN_CASE /body/insuranceRecordId",
      "REFERENCE_NOT_IN_CASE /body/fundTransferId",
    ]);
  });

  it("flags a completion naming the superseded record, and accepts the corrected one", () => {
    const related = [...wholeCase(), corrected()];
    expect(problemLines(example("completion"), { related })).toEqual(["REFERENCE_NOT_IN_CASE /body/insuranceRecordId"]);
    const doc = edited("completion", (d) => (d.body.insuranceRecordId = "GD-XXB-2024-004322"));
    expect(problemLines(doc, { related })).toEqual([]);
  });

  it("says nothing when the case was not loaded (no other document of the case given)", () => {
    const doc = edited("completion", (d) => (d.body.insuranceRecordId = "GD-XXB-2024-009999"));
    expect(problemLines(doc)).toEqual([]);
    const otherCase = edited("contact-letter", (d) => (d.caseId = "CASE-330000-2024-000999"));
    expect(problemLines(doc, { related: [otherCase] })).toEqual([]);
  });

  it("wants the case's contact letter as the returned document", () => {
    const doc = edited("return", (d) => {
      d.caseId = "CASE-330000-2024-000815";
      d.body.returnedDocumentId = "ZJ-LXH-2024-000815";
    });
    expect(problemLines(doc, { related: [letter()] })).toEqual([]);
    const wrong = edited("return", (d) => {
      d.caseId = "CASE-330000-2024-000815";
      d.body.returnedDocumentId = "GD-XXB-2024-004321";
    });
    expect(problemLines(wrong, { related: [letter(), record()] })).toEqual([
      "REFERENCE_NOT_IN_CASE /body/returnedDocumentId",
    ]);
  });

  it("wants a discrepancy to dispute the case's record or fund transfer", () => {
    const doc = edited("discrepancy", (d) => {
      d.body.disputedDocumentIds = ["GD-XXB-2024-004321", "ZJ-LXH-2024-000815"];
      d.body.findings[0]!.documentId = "GD-HZ-2024-004321";
    });
    expect(problemLines(doc, { related: wholeCase() })).toEqual(["REFERENCE_NOT_IN_CASE /body/disputedDocumentIds/1"]);
  });

  it("wants a correction to supersede a document of its own type in the case", () => {
    expect(problemLines(corrected(), { related: wholeCase() })).toEqual([]);
    const wrongType = edited("insurance-record", (d) => (d.body.supersedes = "GD-HZ-2024-004321"));
    expect(problemLines(wrongType, { related: [letter(), transfer()] })).toEqual([
      "REFERENCE_NOT_IN_CASE /body/supersedes",
    ]);
    const fundCorrection = edited("fund-transfer", (d) => {
      d.id = "GD-HZ-2024-004322";
      d.body.supersedes = "GD-HZ-2024-004321";
    });
    expect(problemLines(fundCorrection, { related: wholeCase() })).toEqual([]);
  });
});

describe("PERSON_MISMATCH: one person per case", () => {
  it.each(["fund-transfer", "completion", "discrepancy", "insurance-record"] as const)(
    "flags a %s for someone else than the contact letter names",
    (type) => {
      const doc = edited(type, (d) => ((d.body as { person: { name: string } }).person.name = "陈志刚"));
      const related = wholeCase().filter((d) => d.type !== type);
      expect(problemLines(doc, { related, codes: ["PERSON_MISMATCH"] })).toEqual(["PERSON_MISMATCH /body/person/name"]);
    },
  );

  it("compares with the contact letter first, else with any other document of the case", () => {
    const doc = edited("completion", (d) => (d.body.person.idNumber = "11010519491231002X"));
    const related = [record(), transfer()];
    expect(problemLines(doc, { related })).toEqual(["PERSON_MISMATCH /body/person/idNumber"]);
  });

  it("accepts every example of the case together", () => {
    const all = wholeCase();
    for (const doc of all) expect(problemLines(doc, { related: all })).toEqual([]);
  });
});

describe("currentOf: the latest issued record that none supersedes", () => {
  it("compares issuedAt as instants, whatever their offsets", () => {
    // 02:00Z is 10:00 in Shanghai, an hour after 09:00+08:00, though it sorts first as a string.
    const nine = edited("insurance-record", (d) => (d.issuedAt = "2024-08-15T09:00:00+08:00"));
    const ten = edited("insurance-record", (d) => {
      d.id = "GD-XXB-2024-004322";
      d.issuedAt = "2024-08-15T02:00:00Z";
    });
    const records = [nine, ten].filter((d) => d.type === "insurance-record");
    expect(currentOf(records)?.id).toBe("GD-XXB-2024-004322");
    expect(currentOf([...records].reverse())?.id).toBe("GD-XXB-2024-004322");
  });
});
