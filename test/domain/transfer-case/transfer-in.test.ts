import { describe, expect, it } from "vitest";
import {
  asIn,
  CASE,
  cancelled,
  command,
  completionClockIn,
  completionSent,
  deadline,
  fundsReceived,
  IN,
  letterSent,
  OUT,
  recordReceived,
  refused,
  registered,
  returnReceived,
  spec,
  decider,
} from "./fixtures.ts";

/** The transfer-in agency's case (66号 art 8 (一), (二), (四)). */
describe("transfer-in case", () => {
  it("RegisterApplication opens it with the 15-WD contact-letter clock", () => {
    const { state } = spec
      .given([])
      .when(command("RegisterApplication", { counterpartId: OUT }, asIn, "2025-03-03"))
      .then([registered]);
    expect(state).toMatchObject({
      status: "application-registered",
      view: "transfer-in",
      agencyId: IN,
      counterpartId: OUT,
    });
  });

  it("SendContactLetter starts the transfer-out agency's record-and-funds clock", () => {
    const { state } = spec
      .given([registered])
      .when(command("SendContactLetter", { documentId: "CL-1" }, asIn, "2025-03-05"))
      .then([letterSent]);
    expect(state).toMatchObject({ status: "contact-letter-sent", documents: { "contact-letter": "CL-1" } });
  });

  it("Refuse closes it with a written explanation instead of a contact letter", () => {
    const data = { reasonCode: "NOT_PAYING", explanation: "未在本地参保缴费" };
    const { state } = spec
      .given([registered])
      .when(command("Refuse", data, asIn, "2025-03-05"))
      .then([refused]);
    expect(state).toMatchObject({ status: "refused", ...data, closedAt: refused.at });
    expect(state).not.toHaveProperty("deadline");
  });

  it("Cancel closes it before the contact letter", () => {
    const { state } = spec
      .given([registered])
      .when(command("Cancel", { reason: "申请人撤回" }, asIn, "2025-03-05"))
      .then([cancelled]);
    expect(state.status).toBe("cancelled");
  });

  it("Cancel closes it after the contact letter while nothing has moved", () => {
    spec
      .given([registered, letterSent])
      .when(command("Cancel", { reason: "申请人撤回" }, asIn, "2025-03-05"))
      .then([cancelled]);
  });

  it("ReceiveInsuranceRecord alone keeps waiting for the funds", () => {
    const { state } = spec
      .given([registered, letterSent])
      .when(command("ReceiveInsuranceRecord", { documentId: "IR-1" }, asIn, "2025-03-10"))
      .then([recordReceived]);
    expect(state).toMatchObject({ status: "contact-letter-sent", deadline: letterSent.data.deadline });
  });

  it("ReceiveFundTransfer alone keeps waiting for the record", () => {
    const { state } = spec
      .given([registered, letterSent])
      .when(command("ReceiveFundTransfer", { documentId: "FT-1" }, asIn, "2025-03-12"))
      .then([fundsReceived]);
    expect(state.status).toBe("contact-letter-sent");
  });

  it("the funds after the record start the 15-WD completion clock", () => {
    const { state } = spec
      .given([registered, letterSent, recordReceived])
      .when(command("ReceiveFundTransfer", { documentId: "FT-1" }, asIn, "2025-03-12"))
      .then([fundsReceived, completionClockIn]);
    expect(state).toMatchObject({
      status: "awaiting-completion",
      deadline: { step: "completion", owedBy: IN, due: "2025-04-02" },
    });
  });

  it("the record after the funds starts the completion clock too (either order)", () => {
    const record = { ...recordReceived, at: completionClockIn.at };
    spec
      .given([registered, letterSent, fundsReceived])
      .when(command("ReceiveInsuranceRecord", { documentId: "IR-1" }, asIn, "2025-03-12"))
      .then([record, completionClockIn]);
  });

  it("ReceiveReturn closes it as returned with the reason code", () => {
    const data = { documentId: "RT-1", reasonCode: "ARREARS", explanation: "存在欠缴，须先补缴" };
    const { state } = spec
      .given([registered, letterSent])
      .when(command("ReceiveReturn", data, asIn, "2025-03-07"))
      .then([returnReceived]);
    expect(state).toMatchObject({ status: "returned", reasonCode: "ARREARS", documents: { return: "RT-1" } });
  });

  it("SendCompletion closes it as completed", () => {
    const { state } = spec
      .given([registered, letterSent, recordReceived, fundsReceived, completionClockIn])
      .when(command("SendCompletion", { documentId: "CP-1" }, asIn, "2025-03-20"))
      .then([completionSent]);
    expect(state).toMatchObject({
      status: "completed",
      closedAt: completionSent.at,
      documents: { completion: "CP-1" },
    });
  });

  describe("flags", () => {
    it("priority keeps the legal 15 WD on every step and adds the target (no shortened clock)", () => {
      const priority = { reasonCode: "NEAR_RETIREMENT" as const, note: "60 岁" };
      const target = { workingDays: 5, due: "2025-03-10" };
      const opened = {
        ...registered,
        data: { ...registered.data, priority, deadline: { ...registered.data.deadline, target } },
      };
      spec
        .given([])
        .when(command("RegisterApplication", { counterpartId: OUT, priority }, asIn, "2025-03-03"))
        .then([opened]);
      const sent = {
        ...letterSent,
        data: {
          documentId: "CL-1",
          deadline: deadline("record-and-funds", OUT, "2025-03-05", "2025-03-26", {
            target: { workingDays: 5, due: "2025-03-12" },
          }),
        },
      };
      const { state } = spec
        .given([opened])
        .when(command("SendContactLetter", { documentId: "CL-1" }, asIn, "2025-03-05"))
        .then([sent]);
      expect(state).toMatchObject({ flags: { priority } });
    });

    it.each([[{ reasonCode: "VIP" }], [true], [{ note: "急" }]])(
      "a priority %o without a listed reason is CASE_COMMAND_INVALID",
      (priority) => {
        spec
          .given([])
          .when(command("RegisterApplication", { counterpartId: OUT, priority: priority as never }, asIn))
          .then("CASE_COMMAND_INVALID");
      },
    );

    it("a priority stored as a boolean before issue 11 replays as the reason OTHER", () => {
      const old = { ...registered, data: { ...registered.data, priority: true } } as unknown as typeof registered;
      expect(decider.replay([old])).toMatchObject({ flags: { priority: { reasonCode: "OTHER" } } });
    });

    it("temporaryAccount is kept from the application", () => {
      const { state } = spec
        .given([])
        .when(command("RegisterApplication", { counterpartId: OUT, temporaryAccount: true }, asIn, "2025-03-03"))
        .then([{ ...registered, data: { ...registered.data, temporaryAccount: true } } as typeof registered]);
      expect(state).toMatchObject({ flags: { temporaryAccount: true, priority: null, emergencyDeferred: false } });
    });
  });

  it("the clock starts on the Shanghai date, not the UTC date", () => {
    // 2025-03-03 00:30 in Shanghai is still 2 March in UTC
    const cmd = {
      ...command("RegisterApplication", { counterpartId: OUT }, asIn),
      metadata: { now: new Date("2025-03-02T16:30:00Z"), actor: asIn },
    };
    const [event] = spec
      .given([])
      .when(cmd)
      .then([{ ...registered, at: "2025-03-02T16:30:00.000Z" }]).events;
    expect(event?.type).toBe("ApplicationRegistered");
  });

  it("is tracked under its case id", () => {
    expect(registered.caseId).toBe(CASE);
  });
});
