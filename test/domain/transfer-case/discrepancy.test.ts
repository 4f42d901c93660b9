import { describe, expect, it } from "vitest";
import {
  asIn,
  asOut,
  CASE,
  command,
  deadline,
  decider,
  discrepancyReceived,
  discrepancySent,
  fundsReceived,
  letterReceived,
  letterSent,
  OUT,
  recordReceived,
  recordSent,
  registered,
  spec,
} from "./fixtures.ts";
import { awaitingIn, awaitingOut, disputeFunds, iso } from "./discrepancy-fixtures.ts";

describe("raising a discrepancy (核对不符)", () => {
  it("SendDiscrepancy holds an awaiting-completion case and opens the correction step owed by the transfer-out agency", () => {
    const { state } = spec
      .given(awaitingIn)
      .when(command("SendDiscrepancy", disputeFunds, asIn, "2025-03-14"))
      .then([discrepancySent]);
    expect(state).toMatchObject({
      status: "discrepancy-raised",
      documents: { discrepancy: "DC-1", "fund-transfer": "FT-1" },
      discrepancy: { documentId: "DC-1", disputed: [{ kind: "fund-transfer", documentId: "FT-1" }], corrected: [] },
      deadline: { step: "correction", owedBy: OUT, workingDays: 15, due: "2025-04-07" },
    });
  });

  it("ReceiveDiscrepancy holds the transfer-out view the same way", () => {
    const { state } = spec
      .given(awaitingOut)
      .when(command("ReceiveDiscrepancy", disputeFunds, asOut, "2025-03-14"))
      .then([discrepancyReceived]);
    expect(state).toMatchObject({ status: "discrepancy-raised", deadline: { step: "correction", owedBy: OUT } });
  });

  it("is allowed once only the record has moved, disputing it", () => {
    // Correction from 03-11: 12–14 (3), 17–21 (8), 24–28 (13), 31 (14), 04-01 (15).
    spec
      .given([registered, letterSent, recordReceived])
      .when(command("SendDiscrepancy", { ...disputeFunds, disputedDocumentIds: ["IR-1"] }, asIn, "2025-03-11"))
      .then([
        {
          type: "DiscrepancySent",
          caseId: CASE,
          at: iso("2025-03-11"),
          data: {
            documentId: "DC-1",
            reasonCode: "AMOUNT_MISMATCH",
            disputed: [{ kind: "insurance-record", documentId: "IR-1" }],
            deadline: deadline("correction", OUT, "2025-03-11", "2025-04-01"),
          },
        },
      ]);
  });

  it("before any record or funds moved it is ILLEGAL_TRANSITION", () => {
    spec
      .given([registered, letterSent])
      .when(command("SendDiscrepancy", disputeFunds, asIn, "2025-03-10"))
      .then("ILLEGAL_TRANSITION");
  });

  it.each([
    ["a document the case does not hold", ["FT-9"]],
    ["a record that has not moved", ["IR-1"]],
    ["one known and one unknown id", ["FT-1", "CL-1"]],
    ["no id at all", []],
  ])("disputing %s is CASE_COMMAND_INVALID", (_what, ids) => {
    spec
      .given([registered, letterSent, fundsReceived])
      .when(command("SendDiscrepancy", { ...disputeFunds, disputedDocumentIds: ids }, asIn, "2025-03-14"))
      .then("CASE_COMMAND_INVALID");
  });

  it("a second discrepancy while one is open is ILLEGAL_TRANSITION", () => {
    spec
      .given([...awaitingIn, discrepancySent])
      .when(command("SendDiscrepancy", { ...disputeFunds, documentId: "DC-2" }, asIn, "2025-03-17"))
      .then("ILLEGAL_TRANSITION");
  });

  it("a priority case's correction step carries the internal target too", () => {
    const priorityLetter = {
      ...letterReceived,
      data: { ...letterReceived.data, priority: { reasonCode: "OTHER" as const } },
    };
    const state = decider.replay([priorityLetter, recordSent]);
    const dispute = { ...disputeFunds, disputedDocumentIds: ["IR-1"] };
    const [event] = decider.decide(command("ReceiveDiscrepancy", dispute, asOut, "2025-03-11"), state);
    // Legal 15 WD from 03-11 → 04-01; target 5 WD: 12, 13, 14, 17, 18.
    expect(event).toMatchObject({
      data: { deadline: { due: "2025-04-01", target: { workingDays: 5, due: "2025-03-18" } } },
    });
  });
});

describe("while a discrepancy holds the case", () => {
  const held = [...awaitingIn, discrepancySent];

  it("completion is refused on both sides", () => {
    spec
      .given(held)
      .when(command("SendCompletion", { documentId: "CP-1" }, asIn, "2025-03-17"))
      .then("ILLEGAL_TRANSITION");
    spec
      .given([...awaitingOut, discrepancyReceived])
      .when(command("ReceiveCompletion", { documentId: "CP-1" }, asOut, "2025-03-17"))
      .then("ILLEGAL_TRANSITION");
  });

  it("a correction of a kind it does not dispute is ILLEGAL_TRANSITION", () => {
    spec
      .given(held)
      .when(command("ReceiveInsuranceRecord", { documentId: "IR-2", supersedes: "IR-1" }, asIn, "2025-03-17"))
      .then("ILLEGAL_TRANSITION");
  });

  it("a correction that does not name the current document is CASE_COMMAND_INVALID", () => {
    spec
      .given(held)
      .when(command("ReceiveFundTransfer", { documentId: "FT-2", supersedes: "FT-0" }, asIn, "2025-03-17"))
      .then("CASE_COMMAND_INVALID");
    spec
      .given(held)
      .when(command("ReceiveFundTransfer", { documentId: "FT-1", supersedes: "FT-1" }, asIn, "2025-03-17"))
      .then("CASE_COMMAND_INVALID");
  });

  it("a record or fund transfer of a kind already moved that is not a correction is ILLEGAL_TRANSITION", () => {
    spec
      .given(held)
      .when(command("ReceiveFundTransfer", { documentId: "FT-2" }, asIn, "2025-03-17"))
      .then("ILLEGAL_TRANSITION");
  });
});
