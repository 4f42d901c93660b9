import { describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io.ts";
import { createProgress } from "../../src/cli/progress.ts";

/** Progress on stderr (issue 15 item 3): a bar redrawn in place on a terminal, plain lines otherwise. */
function streams(terminal: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  const raw: string[] = [];
  const io: CliIo = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    ...(terminal ? { tty: { write: (t: string) => void raw.push(t), columns: 80 } } : {}),
  };
  return { io, out, err, raw };
}

describe("progress", () => {
  it("prints a plain line at the start and per tenth when stderr is not a terminal, nothing on stdout", () => {
    const s = streams(false);
    const progress = createProgress(s.io, "archive verify");
    for (let done = 1; done <= 200; done++) progress.count("verifying item", done, 200);
    progress.end();
    expect(s.err).toHaveLength(11);
    expect(s.err.slice(0, 2)).toEqual([
      "jiexu archive verify: verifying item 1/200",
      "jiexu archive verify: verifying item 20/200",
    ]);
    expect(s.err.at(-1)).toBe("jiexu archive verify: verifying item 200/200");
    expect(s.out).toEqual([]);
  });

  it("stays silent for a small count that is over at once", () => {
    const s = streams(false);
    const progress = createProgress(s.io, "archive verify");
    for (let done = 1; done <= 12; done++) progress.count("verifying item", done, 12);
    progress.end();
    expect(s.err).toEqual([]);
  });

  it("redraws one line with a count and a bar on a terminal, and clears it at the end", () => {
    const s = streams(true);
    const progress = createProgress(s.io, "archive audit");
    for (let done = 1; done <= 1000; done++) progress.count("audited leaves", done, 1000);
    progress.end();
    expect(s.err).toEqual([]);
    expect(s.raw.length).toBeLessThanOrEqual(102); // once per percent, not per item
    expect(s.raw).toContain(
      `\r\x1b[Kjiexu archive audit: audited leaves 500/1000 [${"#".repeat(12)}${".".repeat(12)}]`,
    );
    expect(s.raw.at(-1)).toBe("\r\x1b[K");
  });
});
