import { describe, it } from "vitest";
import type { CaseCommand } from "../../../src/domain/transfer-case/index.ts";
import { asIn, command, IN, registered, spec } from "./fixtures.ts";

const window = { region: "330000", from: "2025-03-10", to: "2025-03-14", reason: "应急" };

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
});
