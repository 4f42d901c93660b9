import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli/commands/assess.ts";
import { UsageError, type CliIo } from "../../src/cli/io.ts";

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t) };
}

function inputFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), "jiexu-assess-")), "person.json");
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

/** The example from the contract: 130 months in 广东 (hukou), now moving to 浙江 at 52. */
const example = {
  hukouProvince: "440000",
  currentProvince: "330000",
  gender: "male",
  birthDate: "1973-04-01",
  moveDate: "2025-06-01",
  approvedTransfer: false,
  history: [{ region: "440000", months: 130, temporaryAccount: false }],
};

describe("jiexu assess", () => {
  it("prints the contract JSON with --json", async () => {
    const io = capture();
    expect(await run([inputFile(example), "--json"], io)).toBe(0);
    const result = JSON.parse(io.stdout.join(""));
    expect(result).toEqual({
      benefitPlace: {
        region: "440000",
        rule: "A3",
        hukouProvince: "440000",
        reason: expect.stringContaining("66号文第六条第三项"),
      },
      temporaryAccount: {
        required: true,
        rule: "AGE_LIMIT_REACHED",
        reason: expect.stringContaining("66号文第五条第二项"),
      },
    });
  });

  it("prints readable text by default", async () => {
    const io = capture();
    expect(await run([inputFile(example)], io)).toBe(0);
    const text = io.stdout.join("\n");
    expect(text).toContain("440000 (A3)");
    expect(text).toContain("需要建立");
  });

  it("exits 65 with coded problems for input that breaks the contract", async () => {
    const io = capture();
    expect(await run([inputFile({ ...example, gender: "m" }), "--json"], io)).toBe(65);
    expect(JSON.parse(io.stdout.join(""))).toMatchObject({
      error: { code: "ASSESSMENT_INPUT_INVALID", problems: [{ path: "/gender" }] },
    });
  });

  it("exits 65 for a file that is not JSON and 66 for a missing file", async () => {
    expect(await run([inputFile("{ nope")], capture())).toBe(65);
    expect(await run(["/nonexistent/person.json"], capture())).toBe(66);
  });

  it.each([[[]], [["a.json", "b.json"]]])("treats %j as a usage mistake", async (args) => {
    await expect(run(args, capture())).rejects.toThrow(UsageError);
  });

  it("runs as a real process", () => {
    const bin = resolve(import.meta.dirname, "../../bin/jiexu.js");
    const result = spawnSync(process.execPath, [bin, "assess", inputFile(example), "--json"], { encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).benefitPlace.rule).toBe("A3");
  });
});

const EXAMPLES = resolve(import.meta.dirname, "../../schemas/examples/assess");

/** The rule each sample input is written to show; README's "Assessing a transfer" lists the same files. */
const SAMPLES: Record<string, { place: [string, string]; temp: string; convertedTo?: string; hukou?: string }> = {
  "A1.json": { place: ["A1", "440000"], temp: "HUKOU_RETURN" },
  "A2.json": { place: ["A2", "330000"], temp: "UNDER_AGE_LIMIT" },
  "A3.json": { place: ["A3", "440000"], temp: "UNDER_AGE_LIMIT" },
  "A4.json": { place: ["A4", "430000"], temp: "UNDER_AGE_LIMIT" },
  "temporary-account-required.json": { place: ["A3", "440000"], temp: "AGE_LIMIT_REACHED" },
  "temporary-account-not-required.json": { place: ["A4", "510000"], temp: "UNDER_AGE_LIMIT" },
  "approved-transfer.json": { place: ["A3", "440000"], temp: "APPROVED_TRANSFER" },
  "hukou-moved-in.json": { place: ["A1", "330000"], temp: "AGE_LIMIT_REACHED", convertedTo: "330000" },
  // The present 户籍 is 浙江 (A1 there); the one held at benefit age, 湖南, decides: A4.
  "hukou-at-benefit-age.json": { place: ["A4", "430000"], temp: "UNDER_AGE_LIMIT", hukou: "430000" },
};

describe("jiexu assess on schemas/examples/assess", () => {
  it("has an expectation for every sample file", () => {
    expect(readdirSync(EXAMPLES).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it.each(Object.entries(SAMPLES))("%s lands on its rule", async (file, expected) => {
    const io = capture();
    expect(await run([join(EXAMPLES, file), "--json"], io)).toBe(0);
    const { benefitPlace, temporaryAccount } = JSON.parse(io.stdout.join(""));
    expect([benefitPlace.rule, benefitPlace.region]).toEqual(expected.place);
    expect(temporaryAccount.rule).toBe(expected.temp);
    expect(temporaryAccount.conversion?.region).toBe(expected.convertedTo);
    if (expected.hukou !== undefined) expect(benefitPlace.hukouProvince).toBe(expected.hukou);
  });
});

describe("jiexu assess --help", () => {
  it("documents the input and the exit codes, 65 for bad input among them", async () => {
    const io = capture();
    expect(await run(["--help"], io)).toBe(0);
    const text = io.stdout.join("\n");
    expect(text).toMatch(/\b65\b.*ASSESSMENT_INPUT_INVALID/);
    expect(text).toContain("hukouHistory");
    expect(text).toContain("benefitAgeDate");
  });
});
