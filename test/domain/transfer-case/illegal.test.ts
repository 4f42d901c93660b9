import { describe, it } from "vitest";
import type { Actor, CaseCommand, CaseCommandType, CaseView } from "../../../src/domain/transfer-case/index.ts";
import {
  asIn,
  asOut,
  command,
  completionClockIn,
  fundsReceived,
  histories,
  letterReceived,
  letterSent,
  OUT,
  IN,
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
 * The legal (history, command) pairs; transfer-in.test.ts, transfer-out.test.ts and the discrepancy tests check
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
  // Held with the funds not yet moved: they may still arrive (sent before the discrepancy reached the sender).
  "in: discrepancy-raised, record in": ["ReceiveFundTransfer", "DeclareEmergency"],
  "out: contact-letter-received": ["SendInsuranceRecord", "SendFundTransfer", "SendReturn", "DeclareEmergency"],
  "out: contact-letter-received, record out": ["SendFundTransfer", "ReceiveDiscrepancy", "DeclareEmergency"],
  "out: contact-letter-received, funds out": ["SendInsuranceRecord", "ReceiveDiscrepancy", "DeclareEmergency"],
  "out: awaiting-completion": ["ReceiveCompletion", "ReceiveDiscrepancy", "DeclareEmergency"],
  "out: discrepancy-raised": ["DeclareEmergency"],
  "out: discrepancy-raised, record out": ["SendFundTransfer", "DeclareEmergency"],
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

  it("a stray completion clock is never emitted twice", () => {
    spec
      .given([registered, letterSent, recordReceived, fundsReceived, completionClockIn])
      .when(command("ReceiveFundTransfer", { documentId: "FT-9" }, asIn))
      .then("ILLEGAL_TRANSITION");
  });

  it("completion of a completed case is CASE_CLOSED", () => {
    spec
      .given(histories["in: completed"]!)
      .when(command("SendCompletion", { documentId: "CP-9" }, asIn))
      .then("CASE_CLOSED");
  });
});
