import { describe, expect, it } from "vitest";
import {
  asOut,
  command,
  completionClockOut,
  completionReceived,
  fundsSent,
  IN,
  letterReceived,
  OUT,
  recordSent,
  returnSent,
  spec,
} from "./fixtures.ts";

/** The transfer-out agency's case (66号 art 8 (三)). */
describe("transfer-out case", () => {
  it("ReceiveContactLetter opens it with its own 15-WD record-and-funds clock", () => {
    const { state } = spec
      .given([])
      .when(command("ReceiveContactLetter", { documentId: "CL-1", counterpartId: IN }, asOut, "2025-03-06"))
      .then([letterReceived]);
    expect(state).toMatchObject({
      status: "contact-letter-received",
      view: "transfer-out",
      agencyId: OUT,
      documents: { "contact-letter": "CL-1" },
    });
  });

  it("ReceiveContactLetter keeps the priority reason and temporary-account flag from the letter", () => {
    const { state } = spec
      .given([])
      .when(
        command(
          "ReceiveContactLetter",
          { documentId: "CL-1", counterpartId: IN, priority: { reasonCode: "HARDSHIP" }, temporaryAccount: true },
          asOut,
          "2025-03-06",
        ),
      )
      .then([
        {
          ...letterReceived,
          data: {
            ...letterReceived.data,
            priority: { reasonCode: "HARDSHIP" },
            temporaryAccount: true,
            // The legal 15 WD stay (→ 03-27); the target is 5 WD (→ 03-13).
            deadline: { ...letterReceived.data.deadline, target: { workingDays: 5, due: "2025-03-13" } },
          },
        },
      ]);
    expect(state).toMatchObject({ flags: { priority: { reasonCode: "HARDSHIP" }, temporaryAccount: true } });
  });

  it("SendInsuranceRecord alone keeps the step open", () => {
    const { state } = spec
      .given([letterReceived])
      .when(command("SendInsuranceRecord", { documentId: "IR-1" }, asOut, "2025-03-10"))
      .then([recordSent]);
    expect(state).toMatchObject({ status: "contact-letter-received", documents: { "insurance-record": "IR-1" } });
  });

  it("SendFundTransfer alone keeps the step open", () => {
    spec
      .given([letterReceived])
      .when(command("SendFundTransfer", { documentId: "FT-1" }, asOut, "2025-03-12"))
      .then([fundsSent]);
  });

  it("the second of record and funds opens the completion step, owed by the transfer-in agency", () => {
    const { state } = spec
      .given([letterReceived, recordSent])
      .when(command("SendFundTransfer", { documentId: "FT-1" }, asOut, "2025-03-12"))
      .then([fundsSent, completionClockOut]);
    expect(state).toMatchObject({ status: "awaiting-completion", deadline: { step: "completion", owedBy: IN } });
  });

  it("the record after the funds opens it too", () => {
    spec
      .given([letterReceived, fundsSent])
      .when(command("SendInsuranceRecord", { documentId: "IR-1" }, asOut, "2025-03-12"))
      .then([{ ...recordSent, at: fundsSent.at }, completionClockOut]);
  });

  it("SendReturn closes it with a reason code", () => {
    const data = { documentId: "RT-1", reasonCode: "ARREARS", explanation: "存在欠缴，须先补缴" };
    const { state } = spec
      .given([letterReceived])
      .when(command("SendReturn", data, asOut, "2025-03-07"))
      .then([returnSent]);
    expect(state).toMatchObject({ status: "returned", reasonCode: "ARREARS" });
  });

  it("ReceiveCompletion closes it as completed", () => {
    const { state } = spec
      .given([letterReceived, recordSent, fundsSent, completionClockOut])
      .when(command("ReceiveCompletion", { documentId: "CP-1" }, asOut, "2025-03-20"))
      .then([completionReceived]);
    expect(state).toMatchObject({ status: "completed", documents: { completion: "CP-1" } });
  });
});
