import { describe, expect, it } from "vitest";
import type { CaseEvent, DiscrepancyResolved } from "../../../src/domain/transfer-case/index.ts";
import { iso } from "./discrepancy-fixtures.ts";
import {
  asIn,
  asOut,
  CASE,
  command,
  deadline,
  decider,
  histories,
  IN,
  letterSent,
  OUT,
  recordDisputeSent,
  recordReceived,
  registered,
  spec,
} from "./fixtures.ts";

/**
 * Funds crossing a discrepancy: 杭州 disputes the record on 03-11 before the funds arrive; 广州 sends the
 * funds on 03-12 and only then receives the dispute (03-13). Both records must end up holding the funds,
 * and the correction of the record then opens the completion clock on both sides alike.
 */
const disputeRecord = { documentId: "DC-1", reasonCode: "AMOUNT_MISMATCH", disputedDocumentIds: ["IR-1"] };
const heldIn = histories["in: discrepancy-raised, record in"]!;
const awaitingOut = histories["out: awaiting-completion"]!;

const fundsArrive: CaseEvent = {
  type: "FundTransferReceived",
  caseId: CASE,
  at: iso("2025-03-13"),
  data: { documentId: "FT-1" },
};
// Correction from 03-13, owed by 广州: 14 (1), 17–21 (6), 24–28 (11), 31–04-03 (15).
const disputeReachesOut: CaseEvent = {
  type: "DiscrepancyReceived",
  caseId: CASE,
  at: iso("2025-03-13"),
  data: {
    documentId: "DC-1",
    reasonCode: "AMOUNT_MISMATCH",
    disputed: [{ kind: "insurance-record", documentId: "IR-1" }],
    deadline: deadline("correction", OUT, "2025-03-13", "2025-04-03"),
  },
};
const correction = { documentId: "IR-2", supersedes: "IR-1" };
const recordCorrected = (type: "InsuranceRecordReceived" | "InsuranceRecordSent"): CaseEvent =>
  ({ type, caseId: CASE, at: iso("2025-03-18"), data: correction }) as CaseEvent;
// Completion afresh from 03-18, owed by 杭州: 19–21 (3), 24–28 (8), 31–04-03 (12), 清明 04-04 off, 07–09 (15).
const resolved: DiscrepancyResolved = {
  type: "DiscrepancyResolved",
  caseId: CASE,
  at: iso("2025-03-18"),
  data: { documentId: "DC-1", deadline: deadline("completion", IN, "2025-03-18", "2025-04-09") },
};

describe("funds crossing a discrepancy", () => {
  it("transfer-out: funds sent, then the dispute arrives: awaiting-completion → discrepancy-raised", () => {
    const { state } = spec
      .given(awaitingOut)
      .when(command("ReceiveDiscrepancy", disputeRecord, asOut, "2025-03-13"))
      .then([disputeReachesOut]);
    expect(state).toMatchObject({
      status: "discrepancy-raised",
      documents: { "insurance-record": "IR-1", "fund-transfer": "FT-1" },
      deadline: { step: "correction", owedBy: OUT, due: "2025-04-03" },
    });
  });

  it("transfer-in: the first funds arrive during the hold and are recorded; the case stays held", () => {
    const { state } = spec
      .given(heldIn)
      .when(command("ReceiveFundTransfer", { documentId: "FT-1" }, asIn, "2025-03-13"))
      .then([fundsArrive]);
    expect(state).toMatchObject({
      status: "discrepancy-raised",
      documents: { "insurance-record": "IR-1", "fund-transfer": "FT-1" },
      deadline: recordDisputeSent.data.deadline,
    });
    spec
      .given([...heldIn, fundsArrive])
      .when(command("SendCompletion", { documentId: "CP-1" }, asIn, "2025-03-14"))
      .then("ILLEGAL_TRANSITION");
  });

  it("the transfer-out side may send the first funds during the hold too", () => {
    const heldOut = histories["out: discrepancy-raised, record out"]!;
    const { state } = spec
      .given(heldOut)
      .when(command("SendFundTransfer", { documentId: "FT-1" }, asOut, "2025-03-13"))
      .then([{ ...fundsArrive, type: "FundTransferSent" } as CaseEvent]);
    expect(state).toMatchObject({ status: "discrepancy-raised", documents: { "fund-transfer": "FT-1" } });
  });

  it("after the correction both sides await completion on the same fresh clock", () => {
    const inSide = spec
      .given([...heldIn, fundsArrive])
      .when(command("ReceiveInsuranceRecord", correction, asIn, "2025-03-18"))
      .then([recordCorrected("InsuranceRecordReceived"), resolved]);
    const outSide = spec
      .given([...awaitingOut, disputeReachesOut])
      .when(command("SendInsuranceRecord", correction, asOut, "2025-03-18"))
      .then([recordCorrected("InsuranceRecordSent"), resolved]);
    const documents = { "insurance-record": "IR-2", "fund-transfer": "FT-1" };
    expect(inSide.state).toMatchObject({ status: "awaiting-completion", documents, deadline: resolved.data.deadline });
    expect(outSide.state).toMatchObject({ status: "awaiting-completion", documents, deadline: resolved.data.deadline });
  });

  it("the funds that crossed are the case's current ones: a later discrepancy may dispute them", () => {
    const state = decider.replay([registered, letterSent, recordReceived, recordDisputeSent, fundsArrive]);
    const after = [recordCorrected("InsuranceRecordReceived"), resolved].reduce(decider.evolve, state);
    const dispute = { ...disputeRecord, documentId: "DC-2", disputedDocumentIds: ["FT-1"] };
    const [event] = decider.decide(command("SendDiscrepancy", dispute, asIn, "2025-03-20"), after);
    expect(event).toMatchObject({ type: "DiscrepancySent", data: { disputed: [{ kind: "fund-transfer" }] } });
  });
});
