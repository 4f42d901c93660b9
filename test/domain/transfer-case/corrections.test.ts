import { describe, expect, it } from "vitest";
import type { CaseEvent } from "../../../src/domain/transfer-case/index.ts";
import { asIn, asOut, CASE, command, deadline, discrepancyReceived, discrepancySent, OUT, spec } from "./fixtures.ts";
import {
  awaitingIn,
  awaitingOut,
  disputeFunds,
  fundsCorrected,
  iso,
  resolvedToCompletion,
} from "./discrepancy-fixtures.ts";

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
