import { describe, expect, it } from "vitest";
import type { CaseEvent, CaseState } from "../../../src/domain/transfer-case/index.ts";
import { iso } from "./discrepancy-fixtures.ts";
import {
  asIn,
  asOut,
  CASE,
  command,
  deadline,
  decider,
  histories,
  letterReceived,
  letterSent,
  on,
  OUT,
  spec,
  window440,
} from "./fixtures.ts";

/**
 * The clock after a hold when record or funds are still missing: the record-and-funds deadline that was
 * open before the discrepancy resumes (66号 art 8(三) counts from the contact letter; a correction does not
 * extend it). With both present the completion clock starts afresh (corrections.test.ts).
 */
const heldIn = histories["in: discrepancy-raised, record in"]!;
const heldOut = histories["out: discrepancy-raised, record out"]!;
const correction = { documentId: "IR-2", supersedes: "IR-1" };

const corrected = (type: "InsuranceRecordReceived" | "InsuranceRecordSent", date: string): CaseEvent =>
  ({ type, caseId: CASE, at: iso(date), data: correction }) as CaseEvent;
const resolvedWith = (date: string, d: ReturnType<typeof deadline>): CaseEvent => ({
  type: "DiscrepancyResolved",
  caseId: CASE,
  at: iso(date),
  data: { documentId: "DC-1", deadline: d },
});

describe("resolving a discrepancy with the funds not yet moved", () => {
  it("transfer-in: the record-and-funds deadline from the contact letter resumes (03-05 → 03-26)", () => {
    const { state } = spec
      .given(heldIn)
      .when(command("ReceiveInsuranceRecord", correction, asIn, "2025-03-13"))
      .then([corrected("InsuranceRecordReceived", "2025-03-13"), resolvedWith("2025-03-13", letterSent.data.deadline)]);
    expect(state).toMatchObject({
      status: "contact-letter-sent",
      documents: { "insurance-record": "IR-2" },
      deadline: { step: "record-and-funds", owedBy: OUT, startedOn: "2025-03-05", due: "2025-03-26" },
    });
  });

  it("transfer-out: its own deadline from receiving the letter resumes (03-06 → 03-27)", () => {
    const { state } = spec
      .given(heldOut)
      .when(command("SendInsuranceRecord", correction, asOut, "2025-03-13"))
      .then([corrected("InsuranceRecordSent", "2025-03-13"), resolvedWith("2025-03-13", letterReceived.data.deadline)]);
    expect(state).toMatchObject({ status: "contact-letter-received", deadline: letterReceived.data.deadline });
  });

  it("a correction after that deadline leaves the case overdue", () => {
    const { state } = spec
      .given(heldIn)
      .when(command("ReceiveInsuranceRecord", correction, asIn, "2025-03-31"))
      .then([corrected("InsuranceRecordReceived", "2025-03-31"), resolvedWith("2025-03-31", letterSent.data.deadline)]);
    expect(decider.isOverdue(state, on("2025-03-31"))).toBe(true);
  });

  it("an emergency declared during the hold pauses the resumed deadline too", () => {
    const [declared] = decider.decide(
      command("DeclareEmergency", { window: window440 }, asIn, "2025-03-12"),
      decider.replay(heldIn),
    );
    // From 03-05 with 03-17–21 paused: 06–07 (2), 10–14 (7), 24–28 (12), 31 (13), 04-01 (14), 04-02 (15).
    const resumed = deadline("record-and-funds", OUT, "2025-03-05", "2025-04-02", { emergencyDeferred: true });
    spec
      .given([...heldIn, declared!])
      .when(command("ReceiveInsuranceRecord", correction, asIn, "2025-03-13"))
      .then([corrected("InsuranceRecordReceived", "2025-03-13"), resolvedWith("2025-03-13", resumed)]);
  });

  it("a hold stored before the held deadline was kept gets a fresh record-and-funds clock", () => {
    const held = decider.replay(heldIn) as Extract<CaseState, { status: "discrepancy-raised" }>;
    const { heldDeadline: _absent, ...discrepancy } = held.discrepancy;
    const events = decider.decide(command("ReceiveInsuranceRecord", correction, asIn, "2025-03-13"), {
      ...held,
      discrepancy,
    });
    // Record and funds afresh from 03-13, owed by 广州: 14 (1), 17–21 (6), 24–28 (11), 31–04-03 (15).
    expect(events[1]).toEqual(
      resolvedWith("2025-03-13", deadline("record-and-funds", OUT, "2025-03-13", "2025-04-03")),
    );
  });
});
