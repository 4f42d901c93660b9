import { describe, expect, it } from "vitest";
import { jsonLogger } from "../../src/runtime/basics.ts";

const at = { now: () => new Date("2026-01-02T03:04:05.000Z") };

function logLine(fields: Record<string, unknown>): string {
  const lines: string[] = [];
  jsonLogger((l) => lines.push(l), at).error("http.error", fields);
  return lines[0]!;
}

/** The gateway's structured log (stderr): no 公民身份号码 in any field, whatever surrounds it. */
describe("jsonLogger", () => {
  it("masks ID numbers in messages, error stacks, request ids and paths, joined or split (issue 9 item 11)", () => {
    const err = new Error("no case ID110105194912310029 for 11010519491231002XA");
    const line = logLine({
      requestId: "r-110105194912310029",
      path: "/v1/cases/110105194912310029A",
      message: err.message,
      stack: `${err.stack}\n    near 110105\n19491231\t0029`,
      "key-11010519491231002X": 1,
      amount: 110105194912310029n.toString(),
    });
    expect(line).not.toMatch(/19491231/);
    expect(line).not.toMatch(/491231/);
    const entry = JSON.parse(line);
    expect(entry).toMatchObject({
      level: "error",
      event: "http.error",
      requestId: "r-110105********0029",
      path: "/v1/cases/110105********0029A",
    });
    expect(entry.message).toBe("no case ID110105********0029 for 110105********002XA");
    expect(entry.stack).toContain("near 110105\n********\t0029");
  });

  it("keeps ordinary fields as they are", () => {
    expect(JSON.parse(logLine({ requestId: "req-7", ms: 12.5, peer: "440000" }))).toEqual({
      time: "2026-01-02T03:04:05.000Z",
      level: "error",
      event: "http.error",
      requestId: "req-7",
      ms: 12.5,
      peer: "440000",
    });
  });
});
