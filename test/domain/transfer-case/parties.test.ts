import { describe, it } from "vitest";
import type { Actor, CaseCommand } from "../../../src/domain/transfer-case/index.ts";
import { asIn, CASE, command, histories, IN, letterSent, on, OUT, registered, spec } from "./fixtures.ts";

const reason = { reasonCode: "ARREARS", explanation: "存在欠缴" };

/** WRONG_PARTY: the case's own agency, in the side it plays, with its counterpart (issue 9 item 1). */
describe("refusals to the wrong party", () => {
  it("another agency acting on the case is WRONG_PARTY", () => {
    const stranger: Actor = { agencyId: "320100", role: "transfer-in" };
    spec
      .given([registered])
      .when(command("SendContactLetter", { documentId: "CL-9" }, stranger))
      .then("WRONG_PARTY");
  });

  it("the case's agency claiming the other role is WRONG_PARTY", () => {
    spec
      .given([registered])
      .when(command("SendContactLetter", { documentId: "CL-9" }, { agencyId: IN, role: "transfer-out" }))
      .then("WRONG_PARTY");
  });

  it("opening a case on the wrong side is WRONG_PARTY", () => {
    spec
      .given([])
      .when(command("RegisterApplication", { counterpartId: OUT }, { agencyId: IN, role: "transfer-out" }))
      .then("WRONG_PARTY");
    spec
      .given([])
      .when(
        command(
          "ReceiveContactLetter",
          { documentId: "CL-1", counterpartId: IN },
          { agencyId: OUT, role: "transfer-in" },
        ),
      )
      .then("WRONG_PARTY");
  });

  describe("a document from an agency that is not the counterpart (issue 9 item 1)", () => {
    const from = (counterpartId: string, c: CaseCommand): CaseCommand => ({
      ...c,
      metadata: { ...c.metadata, counterpartId },
    });

    it("a return sealed by a third party is WRONG_PARTY, even though the command is otherwise legal", () => {
      const third = from("110000", command("ReceiveReturn", { documentId: "RT-9", ...reason }, asIn));
      spec.given([registered, letterSent]).when(third).then("WRONG_PARTY");
    });

    it("an insurance record sealed by a third party is WRONG_PARTY", () => {
      spec
        .given([registered, letterSent])
        .when(from("110000", command("ReceiveInsuranceRecord", { documentId: "IR-9" }, asIn)))
        .then("WRONG_PARTY");
    });

    it("a third party is told WRONG_PARTY on a closed case, not CASE_CLOSED", () => {
      spec
        .given(histories["in: returned"]!)
        .when(from("110000", command("ReceiveFundTransfer", { documentId: "FT-9" }, asIn)))
        .then("WRONG_PARTY");
    });

    it("the counterpart itself is accepted", () => {
      const outcome = spec
        .given([registered, letterSent])
        .when(from(OUT, command("ReceiveInsuranceRecord", { documentId: "IR-9" }, asIn, "2025-03-10")));
      outcome.then([
        {
          type: "InsuranceRecordReceived",
          caseId: CASE,
          at: on("2025-03-10").toISOString(),
          data: { documentId: "IR-9" },
        },
      ]);
    });
  });
});
