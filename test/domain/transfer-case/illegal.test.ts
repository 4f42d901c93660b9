import { describe, it } from "vitest";
import type { Actor, CaseCommand, CaseCommandType, CaseView } from "../../../src/domain/transfer-case/index.ts";
import {
  asIn,
  asOut,
  CASE,
  command,
  completionClockIn,
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

const reason = { reasonCode: "ARREARS", explanation: "存在欠缴" };
const window = { region: "330000", from: "2025-03-10", to: "2025-03-14", reason: "应急" };

/** One well-formed instance of every command, with the side that issues it. */
const samples: Record<CaseCommandType, { side: CaseView; data: CaseCommand["data"] }> = {
  RegisterApplication: { side: "transfer-in", data: { counterpartId: OUT } },
  SendContactLetter: { side: "transfer-in", data: { documentId: "CL-2" } },
  ReceiveContactLetter: { side: "transfer-out", data: { documentId: "CL-2", counterpartId: IN } },
  SendInsuranceRecord: { side: "transfer-out", data: { documentId: "IR-2" } },
  ReceiveInsuranceRecord: { side: "transfer-in", data: { documentId: "IR-2" } },
  SendFundTransfer: { side: "transfer-out", data: { documentId: "FT-2" } },
  ReceiveFundTransfer: { side: "transfer-in", data: { documentId: "FT-2" } },
  SendDiscrepancy: {
    side: "transfer-in",
    data: { documentId: "DC-2", reasonCode: "AMOUNT_MISMATCH", disputedDocumentIds: ["IR-1"] },
  },
  ReceiveDiscrepancy: {
    side: "transfer-out",
    data: { documentId: "DC-2", reasonCode: "AMOUNT_MISMATCH", disputedDocumentIds: ["IR-1"] },
  },
  SendReturn: { side: "transfer-out", data: { documentId: "RT-2", ...reason } },
  ReceiveReturn: { side: "transfer-in", data: { documentId: "RT-2", ...reason } },
  SendCompletion: { side: "transfer-in", data: { documentId: "CP-2" } },
  ReceiveCompletion: { side: "transfer-out", data: { documentId: "CP-2" } },
  Refuse: { side: "transfer-in", data: reason },
  Cancel: { side: "transfer-in", data: { reason: "撤回" } },
  DeclareEmergency: { side: "transfer-in", data: { window } },
};

/**
 * The legal (history, command) pairs; transfer-in.test.ts, transfer-out.test.ts and discrepancy.test.ts check
 * their events (a discrepancy naming a record the case lacks is CASE_COMMAND_INVALID, also checked there).
 */
const legal: Record<string, CaseCommandType[]> = {
  empty: ["RegisterApplication", "ReceiveContactLetter"],
  "in: application-registered": ["SendContactLetter", "Refuse", "Cancel", "DeclareEmergency"],
  "in: contact-letter-sent": [
    "ReceiveInsuranceRecord",
    "ReceiveFundTransfer",
    "ReceiveReturn",
    "Cancel",
    "DeclareEmergency",
  ],
  "in: contact-letter-sent, record in": ["ReceiveFundTransfer", "SendDiscrepancy", "DeclareEmergency"],
  "in: contact-letter-sent, funds in": ["ReceiveInsuranceRecord", "SendDiscrepancy", "DeclareEmergency"],
  "in: awaiting-completion": ["SendCompletion", "SendDiscrepancy", "DeclareEmergency"],
  "in: discrepancy-raised": ["DeclareEmergency"],
  "out: contact-letter-received": ["SendInsuranceRecord", "SendFundTransfer", "SendReturn", "DeclareEmergency"],
  "out: contact-letter-received, record out": ["SendFundTransfer", "ReceiveDiscrepancy", "DeclareEmergency"],
  "out: contact-letter-received, funds out": ["SendInsuranceRecord", "ReceiveDiscrepancy", "DeclareEmergency"],
  "out: awaiting-completion": ["ReceiveCompletion", "ReceiveDiscrepancy", "DeclareEmergency"],
  "out: discrepancy-raised": ["DeclareEmergency"],
};

/** The spec-level rule for which refusal an illegal pair must get, checked in this order. */
function expectedCode(history: string, type: CaseCommandType, side: CaseView): string {
  if (history === "empty") return "CASE_NOT_OPENED";
  if (/completed|returned|refused|cancelled/.test(history)) return "CASE_CLOSED";
  const view: CaseView = history.startsWith("in:") ? "transfer-in" : "transfer-out";
  if (side !== view && type !== "DeclareEmergency") return "WRONG_PARTY";
  if (type === "RegisterApplication" || type === "ReceiveContactLetter") return "CASE_ALREADY_OPENED";
  return "ILLEGAL_TRANSITION";
}

const illegalPairs = Object.keys(histories).flatMap((history) =>
  (Object.keys(samples) as CaseCommandType[])
    .filter((type) => !(legal[history] ?? []).includes(type))
    .map((type) => [history, type] as const),
);

describe("every illegal transition", () => {
  it.each(illegalPairs)("%s + %s is refused", (history, type) => {
    const { side, data } = samples[type];
    const events = histories[history]!;
    // The case's own agency issues it (so only the state decides), except on an empty case.
    const view = history.startsWith("out:") ? "transfer-out" : history.startsWith("in:") ? "transfer-in" : side;
    const actor: Actor = view === "transfer-in" ? asIn : asOut;
    spec
      .given(events)
      .when(command(type, data as never, actor, "2025-03-20"))
      .then(expectedCode(history, type, side));
  });
});

describe("named refusals", () => {
  it("a second insurance record is ILLEGAL_TRANSITION", () => {
    spec
      .given([registered, letterSent, recordReceived])
      .when(command("ReceiveInsuranceRecord", { documentId: "IR-9" }, asIn))
      .then("ILLEGAL_TRANSITION");
  });

  it("a return after the record arrived is ILLEGAL_TRANSITION", () => {
    spec
      .given([letterReceived, recordSent])
      .when(command("SendReturn", { documentId: "RT-9", ...reason }, asOut))
      .then("ILLEGAL_TRANSITION");
  });

  it("cancelling after money moved is ILLEGAL_TRANSITION", () => {
    spec
      .given([registered, letterSent, fundsReceived])
      .when(command("Cancel", { reason: "撤回" }, asIn))
      .then("ILLEGAL_TRANSITION");
  });

  it("completion before record and funds is ILLEGAL_TRANSITION", () => {
    spec
      .given([registered, letterSent, recordReceived])
      .when(command("SendCompletion", { documentId: "CP-9" }, asIn))
      .then("ILLEGAL_TRANSITION");
  });

  it("refusing after the contact letter is ILLEGAL_TRANSITION", () => {
    spec
      .given([registered, letterSent])
      .when(command("Refuse", reason, asIn))
      .then("ILLEGAL_TRANSITION");
  });

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

  it("completion of a completed case is CASE_CLOSED", () => {
    spec
      .given(histories["in: completed"]!)
      .when(command("SendCompletion", { documentId: "CP-9" }, asIn))
      .then("CASE_CLOSED");
  });
});

describe("malformed commands are CASE_COMMAND_INVALID", () => {
  it.each([
    ["another case's id", command("SendContactLetter", { documentId: "CL-1" }, asIn, "2025-03-05", "case-other")],
    [
      "an invalid instant",
      { ...command("SendContactLetter", { documentId: "CL-1" }, asIn), metadata: { now: new Date("x"), actor: asIn } },
    ],
    [
      "a malformed agency id",
      command("SendContactLetter", { documentId: "CL-1" }, { agencyId: "hz", role: "transfer-in" }),
    ],
    ["an empty document id", command("SendContactLetter", { documentId: "" }, asIn)],
    ["an empty reason code", command("Refuse", { reasonCode: "", explanation: "x" }, asIn)],
    ["an unknown command type", { ...command("SendContactLetter", { documentId: "CL-1" }, asIn), type: "Teleport" }],
    ["missing data", { ...command("SendContactLetter", { documentId: "CL-1" }, asIn), data: null }],
    [
      "a missing actor",
      { ...command("SendContactLetter", { documentId: "CL-1" }, asIn), metadata: { now: new Date(0) } },
    ],
    [
      "an inverted emergency window",
      command("DeclareEmergency", { window: { ...window, from: "2025-03-14", to: "2025-03-10" } }, asIn),
    ],
  ] as const)("%s", (_what, cmd) => {
    spec
      .given([registered])
      .when(cmd as CaseCommand)
      .then("CASE_COMMAND_INVALID");
  });

  it("registering with oneself as counterpart", () => {
    spec
      .given([])
      .when(command("RegisterApplication", { counterpartId: IN }, asIn))
      .then("CASE_COMMAND_INVALID");
  });

  it("a stray completion clock is never emitted twice", () => {
    spec
      .given([registered, letterSent, recordReceived, fundsReceived, completionClockIn])
      .when(command("ReceiveFundTransfer", { documentId: "FT-9" }, asIn))
      .then("ILLEGAL_TRANSITION");
  });
});
