import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli/commands/calendar.ts";
import { UsageError, type CliIo } from "../../src/cli/io.ts";

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t) };
}

function configFile(config: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), "jiexu-calendar-")), "calendar.json");
  writeFileSync(file, typeof config === "string" ? config : JSON.stringify(config));
  return file;
}

describe("jiexu calendar due", () => {
  it("prints the deadline across 国庆 2025 as JSON", async () => {
    const io = capture();
    expect(await run(["due", "--from", "2025-09-26", "--days", "15", "--json"], io)).toBe(0);
    expect(JSON.parse(io.stdout.join(""))).toEqual({ due: "2025-10-23", calendarCoverage: "official" });
  });

  it("prints the deadline and its basis as text", async () => {
    const io = capture();
    expect(await run(["due", "--from", "2025-01-20", "--days", "15"], io)).toBe(0);
    expect(io.stdout.join("\n")).toMatch(/^2025-02-14\n.*official/);
  });

  it("flags an extrapolated deadline", async () => {
    const io = capture();
    await run(["due", "--from", "2026-12-20", "--days", "15", "--json"], io);
    expect(JSON.parse(io.stdout.join(""))).toEqual({ due: "2027-01-08", calendarCoverage: "extrapolated" });
  });

  it("applies --config emergency windows for --region", async () => {
    const config = configFile({
      emergencyWindows: [{ region: "420000", from: "2025-06-16", to: "2025-06-27", reason: "防汛" }],
    });
    const io = capture();
    await run(["due", "--from", "2025-06-09", "--days", "15", "--region", "420100", "--config", config, "--json"], io);
    expect(JSON.parse(io.stdout.join(""))).toMatchObject({ due: "2025-07-14" });
  });

  it.each([
    [["due", "--days", "15"]],
    [["due", "--from", "2025-01-20"]],
    [["due", "--from", "2025-01-20", "--days", "x"]],
    [["due", "--from", "2025-02-30", "--days", "1"]],
    [["due", "--from", "2025-01-20", "--days", "1", "--region", "44"]],
    [["later"]],
    [[]],
  ])("treats %j as a usage mistake", async (args) => {
    await expect(run(args, capture())).rejects.toThrow(UsageError);
  });

  it("exits 65 on an invalid --config and 66 on a missing one", async () => {
    const io = capture();
    expect(
      await run(["due", "--from", "2025-01-20", "--days", "1", "--config", configFile({ emergencyWindows: [{}] })], io),
    ).toBe(65);
    expect(await run(["due", "--from", "2025-01-20", "--days", "1", "--config", configFile("{")], io)).toBe(65);
    expect(await run(["due", "--from", "2025-01-20", "--days", "1", "--config", "/nonexistent/cal.json"], io)).toBe(66);
  });
});

describe("jiexu calendar workday", () => {
  it.each([
    ["2025-09-28", 0], // Sunday 调休上班
    ["2025-10-06", 1], // 中秋
    ["2025-03-03", 0],
    ["2025-03-01", 1],
  ])("%s exits %i", async (date, code) => {
    const io = capture();
    expect(await run(["workday", date], io)).toBe(code);
    expect(io.stdout.join("")).toContain(date);
  });

  it("honours regional extra holidays from --config", async () => {
    const config = configFile({ extraHolidays: [{ region: "650000", date: "2025-06-06", name: "古尔邦节" }] });
    const io = capture();
    expect(await run(["workday", "2025-06-06", "--region", "650100", "--config", config, "--json"], io)).toBe(1);
    expect(JSON.parse(io.stdout.join(""))).toMatchObject({
      working: false,
      kind: "regional-holiday",
      name: "古尔邦节",
    });
    expect(await run(["workday", "2025-06-06", "--config", config], capture())).toBe(0);
  });

  it("needs exactly one date", async () => {
    await expect(run(["workday"], capture())).rejects.toThrow(UsageError);
  });
});

describe("jiexu calendar as a real process", () => {
  const bin = resolve(import.meta.dirname, "../../bin/jiexu.js");

  it("prints the JSON deadline and exits 0", () => {
    const result = spawnSync(
      process.execPath,
      [bin, "calendar", "due", "--from", "2026-02-06", "--days", "15", "--json"],
      { encoding: "utf8" },
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ due: "2026-03-05", calendarCoverage: "official" });
  });

  it("exits 1 for a rest day and 64 for a usage mistake", () => {
    expect(spawnSync(process.execPath, [bin, "calendar", "workday", "2026-02-16"], { encoding: "utf8" }).status).toBe(
      1,
    );
    expect(
      spawnSync(process.execPath, [bin, "calendar", "due", "--from", "2026-02-06"], { encoding: "utf8" }).status,
    ).toBe(64);
  });
});
