import { describe, expect, it } from "vitest";
import {
  asIn,
  asOut,
  CASE,
  command,
  IN,
  letterReceived,
  letterSent,
  on,
  OUT,
  recordReceived,
  registered,
  spec,
} from "./fixtures.ts";

const person = { name: "陈志强", idNumber: "33010619760815123X" };
const voucher = { id: "GD-PZ-2025-0001", sha256: "c".repeat(64) };

describe("the person and the contribution voucher a case keeps (issue 11 item 1)", () => {
  it("RegisterApplication keeps the person and the presented voucher (the state keeps the full ID number)", () => {
    const { state } = spec
      .given([])
      .when(command("RegisterApplication", { counterpartId: OUT, person, voucher }, asIn, "2025-03-03"))
      .then([{ ...registered, data: { ...registered.data, person, voucher } }]);
    expect(state).toMatchObject({ person, voucher: { ...voucher, source: "application" } });
    expect(state).not.toHaveProperty("voucher.check");
  });

  it.each(["issued-here", "not-issued-here", "digest-mismatch"] as const)(
    "ReceiveContactLetter keeps the letter's voucher with the check %s",
    (check) => {
      const data = { documentId: "CL-1", counterpartId: IN, person, voucher: { ...voucher, check } };
      const { state } = spec
        .given([])
        .when(command("ReceiveContactLetter", data, asOut, "2025-03-06"))
        .then([{ ...letterReceived, data: { ...letterReceived.data, person, voucher: { ...voucher, check } } }]);
      expect(state).toMatchObject({ person, voucher: { ...voucher, check, source: "contact-letter" } });
    },
  );

  it("a case opened without a voucher gets the one the insurance record carries", () => {
    const { state } = spec
      .given([registered, letterSent])
      .when(command("ReceiveInsuranceRecord", { documentId: "IR-1", voucher }, asIn, "2025-03-10"))
      .then([{ ...recordReceived, data: { documentId: "IR-1", voucher } }]);
    expect(state).toMatchObject({ voucher: { ...voucher, source: "insurance-record" } });
  });

  it("a case opened with a voucher keeps it when the record names one too", () => {
    const opened = { ...registered, data: { ...registered.data, voucher } };
    const other = { id: "GD-PZ-2025-0002", sha256: "d".repeat(64) };
    const { state } = spec
      .given([opened, letterSent])
      .when(command("ReceiveInsuranceRecord", { documentId: "IR-1", voucher: other }, asIn, "2025-03-10"))
      .then([
        {
          type: "InsuranceRecordReceived",
          caseId: CASE,
          at: on("2025-03-10").toISOString(),
          data: { documentId: "IR-1", voucher: other },
        },
      ]);
    expect(state).toMatchObject({ voucher: { ...voucher, source: "application" } });
  });

  it.each([
    ["a voucher digest that is not lowercase hex", { counterpartId: OUT, voucher: { id: "V", sha256: "ABC" } }],
    ["a voucher without an id", { counterpartId: OUT, voucher: { sha256: "c".repeat(64) } }],
    ["a person without an ID number", { counterpartId: OUT, person: { name: "陈志强" } }],
  ])("%s is CASE_COMMAND_INVALID", (_what, data) => {
    spec
      .given([])
      .when(command("RegisterApplication", data as never, asIn, "2025-03-03"))
      .then("CASE_COMMAND_INVALID");
  });

  it("an unknown voucher check is CASE_COMMAND_INVALID", () => {
    const data = { documentId: "CL-1", counterpartId: IN, voucher: { ...voucher, check: "maybe" } };
    spec
      .given([])
      .when(command("ReceiveContactLetter", data as never, asOut, "2025-03-06"))
      .then("CASE_COMMAND_INVALID");
  });

  it("a record's malformed voucher is CASE_COMMAND_INVALID", () => {
    spec
      .given([registered, letterSent])
      .when(command("ReceiveInsuranceRecord", { documentId: "IR-1", voucher: { id: "V", sha256: "x" } }, asIn))
      .then("CASE_COMMAND_INVALID");
  });
});
