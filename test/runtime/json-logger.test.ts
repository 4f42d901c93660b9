import { describe, expect, it } from "vitest";
import { maskIdNumbersIn } from "../../src/domain/identifiers/index.ts";
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

/** The logger before issue 12: every value through the masking replacer, then the whole line masked. */
function referenceLine(fields: Record<string, unknown>): string {
  const entry = { time: at.now().toISOString(), level: "error", event: "http.error", ...fields };
  const replacer = (_key: string, value: unknown) => (typeof value === "string" ? maskIdNumbersIn(value) : value);
  return maskIdNumbersIn(JSON.stringify(entry, replacer));
}

describe("jsonLogger's line without masking when nothing is to mask", () => {
  const values: unknown[] = [
    "r-110105194912310029",
    "110105\n19491231\t0029",
    "１１０１０５１９４９１２３１００２９",
    "plain",
    "110105\u300019491231\u20280029",
    '1101051949\u00a012310029 and a "quote"',
    "a\\b 110105194912310029",
    "\uD800 110105194912310029",
    "",
    12.5,
    110105194912310030,
    Number.NaN,
    true,
    null,
    undefined,
    () => 1,
    { nested: "110105\n19491231\t0029" },
    ["110105\t19491231\t0029", 3],
    ["event.a", "110105 19491231 0029", null, () => 1],
    ["x", { nested: "110105\n19491231\t0029" }],
    [],
    new Date("2026-01-02T03:04:05.000Z"),
  ];
  const keys = ["requestId", "path", "level", "time", "k-11010519491231002X", "__proto__", "ms"];

  it("writes what the replacer wrote, flat or nested, fields overriding the head or not", () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 3_000; i++) {
      const fields: Record<string, unknown> = {};
      const n = Math.floor(next() * 5);
      for (let j = 0; j < n; j++)
        Object.defineProperty(fields, keys[Math.floor(next() * keys.length)]!, {
          value: values[Math.floor(next() * values.length)],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      expect(logLine(fields)).toBe(referenceLine(fields));
    }
  });
});
