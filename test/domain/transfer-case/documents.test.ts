import { describe, expect, it } from "vitest";
import {
  CaseError,
  commandForDocument,
  type CaseDocument,
  type CaseState,
  type DocumentType,
} from "../../../src/domain/transfer-case/index.ts";
import { CASE, decider, IN, on, OUT } from "./fixtures.ts";

function doc(type: DocumentType, from: string, to: string, body: unknown = {}): CaseDocument {
  return { id: `${type}-1`, type, caseId: CASE, from, to, body };
}

describe("commandForDocument", () => {
  it.each([
    ["contact-letter", "sent", IN, OUT, "SendContactLetter", IN, "transfer-in"],
    ["contact-letter", "received", IN, OUT, "ReceiveContactLetter", OUT, "transfer-out"],
    ["insurance-record", "sent", OUT, IN, "SendInsuranceRecord", OUT, "transfer-out"],
    ["insurance-record", "received", OUT, IN, "ReceiveInsuranceRecord", IN, "transfer-in"],
    ["fund-transfer", "sent", OUT, IN, "SendFundTransfer", OUT, "transfer-out"],
    ["fund-transfer", "received", OUT, IN, "ReceiveFundTransfer", IN, "transfer-in"],
    ["return", "sent", OUT, IN, "SendReturn", OUT, "transfer-out"],
    ["return", "received", OUT, IN, "ReceiveReturn", IN, "transfer-in"],
    ["completion", "sent", IN, OUT, "SendCompletion", IN, "transfer-in"],
    ["completion", "received", IN, OUT, "ReceiveCompletion", OUT, "transfer-out"],
  ] as const)("%s %s → %s by %s as %s", (type, direction, from, to, commandType, agencyId, role) => {
    const now = on("2025-03-05");
    const cmd = commandForDocument(doc(type, from, to), direction, { now });
    expect(cmd).toMatchObject({
      type: commandType,
      caseId: CASE,
      data: { documentId: `${type}-1` },
      metadata: { now, actor: { agencyId, role } },
    });
  });

  it("takes the counterpart, the envelope's green channel (reason OTHER) and the body's temporary-account flag", () => {
    const letter: CaseDocument = { ...doc("contact-letter", IN, OUT, { temporaryAccount: true }), priority: "green" };
    const cmd = commandForDocument(letter, "received", { now: on("2025-03-05") });
    expect(cmd?.data).toEqual({
      documentId: "contact-letter-1",
      counterpartId: IN,
      priority: { reasonCode: "OTHER" },
      temporaryAccount: true,
    });
  });

  it("takes the priority reason, the person and the voucher (with the context's check) from the letter's body", () => {
    const voucher = { id: "GD-PZ-1", sha256: "a".repeat(64) };
    const body = {
      priority: { reasonCode: "SERIOUS_ILLNESS", note: "重病" },
      person: { name: "陈志强", idNumber: "33010619760815123X" },
      voucher,
    };
    const letter: CaseDocument = { ...doc("contact-letter", IN, OUT, body), priority: "green" };
    const cmd = commandForDocument(letter, "received", { now: on("2025-03-05"), voucherCheck: "digest-mismatch" });
    expect(cmd?.data).toEqual({
      documentId: "contact-letter-1",
      counterpartId: IN,
      priority: { reasonCode: "SERIOUS_ILLNESS", note: "重病" },
      person: { name: "陈志强", idNumber: "33010619760815123X" },
      voucher: { ...voucher, check: "digest-mismatch" },
      temporaryAccount: false,
    });
  });

  it('treats priority "normal" as no priority and lets the context override the body', () => {
    const letter: CaseDocument = { ...doc("contact-letter", IN, OUT, { temporaryAccount: true }), priority: "normal" };
    const cmd = commandForDocument(letter, "received", { now: on("2025-03-05"), temporaryAccount: false });
    expect(cmd?.data).toMatchObject({ temporaryAccount: false });
    expect(cmd?.data).not.toHaveProperty("priority");
  });

  it("takes the reason code and the disputed ids from a discrepancy's body", () => {
    const body = { reasonCode: "AMOUNT_MISMATCH", disputedDocumentIds: ["FT-1"], explanation: "金额不符" };
    expect(commandForDocument(doc("discrepancy", IN, OUT, body), "sent", { now: on("2025-03-14") })).toMatchObject({
      type: "SendDiscrepancy",
      data: { documentId: "discrepancy-1", reasonCode: "AMOUNT_MISMATCH", disputedDocumentIds: ["FT-1"] },
      metadata: { actor: { agencyId: IN, role: "transfer-in" } },
    });
    expect(commandForDocument(doc("discrepancy", IN, OUT, body), "received", { now: on("2025-03-14") })).toMatchObject({
      type: "ReceiveDiscrepancy",
      metadata: { actor: { agencyId: OUT, role: "transfer-out" } },
    });
  });

  it("passes a correction's supersedes, and a record's voucher", () => {
    const voucher = { id: "GD-PZ-1", sha256: "b".repeat(64) };
    const record = doc("insurance-record", OUT, IN, { supersedes: "IR-1", voucher });
    expect(commandForDocument(record, "received", { now: on("2025-03-18") })?.data).toEqual({
      documentId: "insurance-record-1",
      supersedes: "IR-1",
      voucher,
    });
    const funds = doc("fund-transfer", OUT, IN, { supersedes: "FT-1", voucher });
    expect(commandForDocument(funds, "sent", { now: on("2025-03-18") })?.data).toEqual({
      documentId: "fund-transfer-1",
      supersedes: "FT-1",
    });
  });

  it("takes the reason code and explanation from a return's body", () => {
    const cmd = commandForDocument(doc("return", OUT, IN, { reasonCode: "ARREARS", explanation: "欠缴" }), "received", {
      now: on("2025-03-05"),
    });
    expect(cmd?.data).toEqual({ documentId: "return-1", reasonCode: "ARREARS", explanation: "欠缴" });
  });

  it("maps receipts and contribution vouchers to no case step", () => {
    expect(commandForDocument(doc("contribution-voucher", OUT, OUT), "sent", { now: on("2025-03-05") })).toBeNull();
    expect(commandForDocument(doc("receipt", IN, OUT), "received", { now: on("2025-03-05") })).toBeNull();
    expect(commandForDocument(doc("business-receipt", IN, OUT), "sent", { now: on("2025-03-05") })).toBeNull();
  });

  it.each(["memo", "toString"])("rejects the unknown document type %s with CASE_COMMAND_INVALID", (type) => {
    const bad = { ...doc("completion", IN, OUT), type };
    expect(() => commandForDocument(bad, "sent", { now: on("2025-03-05") })).toThrow(CaseError);
    expect(() => commandForDocument(bad, "sent", { now: on("2025-03-05") })).toThrow(
      expect.objectContaining({ code: "CASE_COMMAND_INVALID" }),
    );
  });
});

describe("both parties' views of one transfer, driven by documents", () => {
  it("end completed on both sides with matching document ids", () => {
    let inCase: CaseState = decider.replay(
      decider.decide(
        {
          type: "RegisterApplication",
          caseId: CASE,
          data: { counterpartId: OUT },
          metadata: { now: on("2025-03-03"), actor: { agencyId: IN, role: "transfer-in" } },
        },
        decider.initialState(),
      ),
    );
    let outCase: CaseState = decider.initialState();
    const exchange = (type: DocumentType, from: string, to: string, date: string) => {
      const d = doc(type, from, to);
      const [mine, theirs] = from === IN ? [inCase, outCase] : [outCase, inCase];
      const sent = commandForDocument(d, "sent", { now: on(date) })!;
      const received = commandForDocument(d, "received", { now: on(date, "10:05") })!;
      const newMine = decider.decide(sent, mine).reduce(decider.evolve, mine);
      const newTheirs = decider.decide(received, theirs).reduce(decider.evolve, theirs);
      if (from === IN) [inCase, outCase] = [newMine, newTheirs];
      else [outCase, inCase] = [newMine, newTheirs];
    };
    exchange("contact-letter", IN, OUT, "2025-03-05");
    exchange("fund-transfer", OUT, IN, "2025-03-10");
    exchange("insurance-record", OUT, IN, "2025-03-12");
    expect([inCase.status, outCase.status]).toEqual(["awaiting-completion", "awaiting-completion"]);
    exchange("completion", IN, OUT, "2025-03-20");
    expect(inCase).toMatchObject({
      status: "completed",
      view: "transfer-in",
      documents: { "contact-letter": "contact-letter-1", completion: "completion-1" },
    });
    expect(outCase).toMatchObject({ status: "completed", view: "transfer-out", agencyId: OUT, counterpartId: IN });
  });
});
