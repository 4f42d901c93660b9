import { describe, expect, it } from "vitest";
import type { CaseEvent, DiscrepancyResolved } from "../../../src/domain/transfer-case/index.ts";
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
  histories,
  IN,
  letterReceived,
  letterSent,
  on,
  OUT,
  recordReceived,
  recordSent,
  registered,
  spec,
} from "./fixtures.ts";

const iso = (date: string) => on(date).toISOString();
const awaitingIn = histories["in: awaiting-completion"]!;
const awaitingOut = histories["out: awaiting-completion"]!;
const disputeFunds = { documentId: "DC-1", reasonCode: "AMOUNT_MISMATCH", disputedDocumentIds: ["FT-1"] };

const fundsCorrected: CaseEvent = {
  type: "FundTransferReceived",
  caseId: CASE,
  at: iso("2025-03-18"),
  data: { documentId: "FT-2", supersedes: "FT-1" },
};
// Completion clock afresh from 03-18, owed by 杭州: 19–21 (3), 24–28 (8), 31–04-03 (12), 清明 04-04 off, 07–09 (15).
const resolvedToCompletion: DiscrepancyResolved = {
  type: "DiscrepancyResolved",
  caseId: CASE,
  at: iso("2025-03-18"),
  data: { documentId: "DC-1", deadline: deadline("completion", IN, "2025-03-18", "2025-04-09") },
};

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

  it("a record or fund transfer that is not a correction is ILLEGAL_TRANSITION", () => {
    spec
      .given(held)
      .when(command("ReceiveFundTransfer", { documentId: "FT-2" }, asIn, "2025-03-17"))
      .then("ILLEGAL_TRANSITION");
  });
});

describe("corrections", () => {
  it("a correction outside a discrepancy is ILLEGAL_TRANSITION", () => {
    spec
      .given(awaitingIn)
      .when(command("ReceiveFundTransfer", { documentId: "FT-2", supersedes: "FT-1" }, asIn, "2025-03-17"))
      .then("ILLEGAL_TRANSITION");
  });

  it("the last disputed kind corrected clears the hold: awaiting-completion with a fresh completion clock", () => {
    const { state } = spec
      .given([...awaitingIn, discrepancySent])
      .when(command("ReceiveFundTransfer", { documentId: "FT-2", supersedes: "FT-1" }, asIn, "2025-03-18"))
      .then([fundsCorrected, resolvedToCompletion]);
    expect(state).toMatchObject({
      status: "awaiting-completion",
      deadline: resolvedToCompletion.data.deadline,
      documents: { "insurance-record": "IR-1", "fund-transfer": "FT-2", discrepancy: "DC-1" },
      superseded: [
        {
          kind: "fund-transfer",
          documentId: "FT-1",
          supersededBy: "FT-2",
          discrepancyId: "DC-1",
          at: iso("2025-03-18"),
        },
      ],
    });
    expect(state).not.toHaveProperty("discrepancy");
    spec
      .given([...awaitingIn, discrepancySent, fundsCorrected, resolvedToCompletion])
      .when(command("SendCompletion", { documentId: "CP-1" }, asIn, "2025-03-20"))
      .then([{ type: "CompletionSent", caseId: CASE, at: iso("2025-03-20"), data: { documentId: "CP-1" } }]);
  });

  it("the transfer-out side sends the correction and clears its view the same way", () => {
    const sent = { ...fundsCorrected, type: "FundTransferSent" } as CaseEvent;
    spec
      .given([...awaitingOut, discrepancyReceived])
      .when(command("SendFundTransfer", { documentId: "FT-2", supersedes: "FT-1" }, asOut, "2025-03-18"))
      .then([sent, resolvedToCompletion]);
  });

  it("with both kinds disputed, the hold lasts until both are corrected", () => {
    const both = { ...disputeFunds, disputedDocumentIds: ["FT-1", "IR-1"] };
    const raised = spec.given(awaitingIn).when(command("SendDiscrepancy", both, asIn, "2025-03-14"));
    const [dispute] = raised.then([
      {
        ...discrepancySent,
        data: {
          ...discrepancySent.data,
          disputed: [
            { kind: "insurance-record", documentId: "IR-1" },
            { kind: "fund-transfer", documentId: "FT-1" },
          ],
        },
      },
    ]).events;
    const firstFix = { ...fundsCorrected, at: iso("2025-03-17") };
    const { state } = spec
      .given([...awaitingIn, dispute!])
      .when(command("ReceiveFundTransfer", { documentId: "FT-2", supersedes: "FT-1" }, asIn, "2025-03-17"))
      .then([firstFix]);
    expect(state).toMatchObject({ status: "discrepancy-raised", discrepancy: { corrected: ["fund-transfer"] } });
    spec
      .given([...awaitingIn, dispute!, firstFix])
      .when(command("ReceiveFundTransfer", { documentId: "FT-3", supersedes: "FT-2" }, asIn, "2025-03-17"))
      .then("ILLEGAL_TRANSITION");
    spec
      .given([...awaitingIn, dispute!, firstFix])
      .when(command("ReceiveInsuranceRecord", { documentId: "IR-2", supersedes: "IR-1" }, asIn, "2025-03-18"))
      .then([
        {
          type: "InsuranceRecordReceived",
          caseId: CASE,
          at: iso("2025-03-18"),
          data: { documentId: "IR-2", supersedes: "IR-1" },
        },
        resolvedToCompletion,
      ]);
  });

  it("when the funds had not moved, the case goes back to awaiting record and funds with a fresh clock", () => {
    const dispute: CaseEvent = {
      type: "DiscrepancySent",
      caseId: CASE,
      at: iso("2025-03-11"),
      data: {
        documentId: "DC-1",
        reasonCode: "RECORD_INCONSISTENT",
        disputed: [{ kind: "insurance-record", documentId: "IR-1" }],
        deadline: deadline("correction", OUT, "2025-03-11", "2025-04-01"),
      },
    };
    // Record and funds afresh from 03-13, owed by 广州: 14 (1), 17–21 (6), 24–28 (11), 31–04-03 (15).
    const { state } = spec
      .given([registered, letterSent, recordReceived, dispute])
      .when(command("ReceiveInsuranceRecord", { documentId: "IR-2", supersedes: "IR-1" }, asIn, "2025-03-13"))
      .then([
        {
          type: "InsuranceRecordReceived",
          caseId: CASE,
          at: iso("2025-03-13"),
          data: { documentId: "IR-2", supersedes: "IR-1" },
        },
        {
          type: "DiscrepancyResolved",
          caseId: CASE,
          at: iso("2025-03-13"),
          data: { documentId: "DC-1", deadline: deadline("record-and-funds", OUT, "2025-03-13", "2025-04-03") },
        },
      ]);
    expect(state).toMatchObject({ status: "contact-letter-sent", documents: { "insurance-record": "IR-2" } });
  });

  it("a second discrepancy after the correction is allowed, on the corrected document only", () => {
    const corrected = [...awaitingIn, discrepancySent, fundsCorrected, resolvedToCompletion];
    spec
      .given(corrected)
      .when(command("SendDiscrepancy", { ...disputeFunds, documentId: "DC-2" }, asIn, "2025-03-20"))
      .then("CASE_COMMAND_INVALID");
    // Correction from 03-20: 21 (1), 24–28 (6), 31–04-03 (10), 07–11 (15).
    const { state } = spec
      .given(corrected)
      .when(
        command(
          "SendDiscrepancy",
          { ...disputeFunds, documentId: "DC-2", disputedDocumentIds: ["FT-2"] },
          asIn,
          "2025-03-20",
        ),
      )
      .then([
        {
          type: "DiscrepancySent",
          caseId: CASE,
          at: iso("2025-03-20"),
          data: {
            documentId: "DC-2",
            reasonCode: "AMOUNT_MISMATCH",
            disputed: [{ kind: "fund-transfer", documentId: "FT-2" }],
            deadline: deadline("correction", OUT, "2025-03-20", "2025-04-11"),
          },
        },
      ]);
    expect(state).toMatchObject({ status: "discrepancy-raised", documents: { discrepancy: "DC-2" } });
  });
});
