import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli/commands/check.ts";
import type { EmergencyWindow } from "../../src/domain/calendar/index.ts";
import { UsageError, type CliIo } from "../../src/cli/io.ts";
import { BROKEN_DIR, EXAMPLES_DIR, brokenCases } from "../domain/documents/fixtures.ts";

const root = resolve(import.meta.dirname, "../..");

/** A CliIo that keeps what the command printed. */
function capture(): CliIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    stdout: () => out.join("\n"),
    stderr: () => err.join("\n"),
  };
}

async function check(...args: string[]) {
  const io = capture();
  const code = await run(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

const ex = (name: string) => join(EXAMPLES_DIR, name);

/** A calendar configuration file declaring `windows`, as `--calendar` reads it. */
function calendarFile(windows: EmergencyWindow[]): string {
  const file = join(mkdtempSync(join(tmpdir(), "jiexu-check-")), "calendar.json");
  writeFileSync(file, JSON.stringify({ emergencyWindows: windows }));
  return file;
}

describe("jiexu check", () => {
  describe("when every file is valid", () => {
    it("exits 0 and says so per file", async () => {
      const { code, stdout } = await check(ex("insurance-record.json"), ex("fund-transfer.json"));
      expect(code).toBe(0);
      expect(stdout).toContain("✓");
      expect(stdout).toContain("信息表 GD-XXB-2024-004321");
      expect(stdout).toContain("2 个通过");
    });

    it("prints exactly { valid, problems } with --json", async () => {
      const { code, stdout } = await check("--json", ex("contact-letter.json"));
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual({ valid: true, problems: [] });
    });
  });

  describe("when a file breaks a rule", () => {
    it.each(brokenCases())("exits 1 for %s with its expected codes in --json", async (file, expected) => {
      const others = (expected.with ?? []).map((w) => join(BROKEN_DIR, w));
      const calendar = expected.emergencyWindows ? ["--calendar", calendarFile(expected.emergencyWindows)] : [];
      const { code, stdout } = await check(join(BROKEN_DIR, file), ...others, ...calendar, "--json");
      const report = JSON.parse(stdout) as {
        valid: boolean;
        problems: { code: string; path: string; message: string }[];
      };
      expect(code).toBe(1);
      expect(report.valid).toBe(false);
      expect([...new Set(report.problems.map((p) => p.code))].sort()).toEqual([...expected.codes].sort());
      for (const p of report.problems)
        expect(Object.keys(p)).toEqual(expect.arrayContaining(["code", "path", "message"]));
    });

    // Issue 11 item 4: one example per problem code the issue added, each the broken twin that shows it.
    it.each([
      ["POOLED_FUND_MISMATCH", "insurance-record.pooled-over.json"],
      ["POOLED_FUND_MISMATCH", "insurance-record.temporary-12.json"],
      ["PRE_1998_BALANCE_MISMATCH", "insurance-record.pre-1998.json"],
      ["CARRIED_BALANCE_MISMATCH", "insurance-record.current-year.json"],
      ["CURRENT_YEAR_PRINCIPAL_MISMATCH", "insurance-record.current-year.json"],
      ["CURRENT_YEAR_INTEREST", "insurance-record.current-year-interest.json"],
      ["ACCOUNT_BALANCE_MISMATCH", "contribution-voucher.balance.json"],
      ["BALANCE_CHAIN_BROKEN", "insurance-record.balance-chain.json"],
      ["CREDIT_MISMATCH", "insurance-record.credit.json"],
      ["PAID_MONTHS_MISMATCH", "insurance-record.paid-months.json"],
      ["LOCAL_PERIOD_MISMATCH", "insurance-record.local-period.json"],
      ["EMERGENCY_DEFERRAL_NO_WINDOW", "insurance-record.deferral-no-window.json"],
      ["EMERGENCY_DEFERRAL_UNDATED", "insurance-record.deferral-undated.json"],
      ["EMERGENCY_DEFERRAL_MAKE_UP", "insurance-record.deferral-make-up.json"],
      ["EMERGENCY_DEFERRAL_LATE", "insurance-record.deferral-late.json"],
      ["PAYEE_MISMATCH", "fund-transfer.payee.json"],
      ["RECEIVED_TOTAL_MISMATCH", "completion.total.json"],
      ["REFERENCE_NOT_IN_CASE", "return.reference.json"],
      ["PERSON_MISMATCH", "fund-transfer.person.json"],
      ["SOCIAL_SECURITY_NUMBER_MISMATCH", "contribution-voucher.ssn.json"],
      ["VOUCHER_NOT_STANDALONE", "contribution-voucher.standalone.json"],
      ["VOUCHER_ISSUER_MISMATCH", "contribution-voucher.issuer.json"],
    ])("shows %s on %s in the readable output", async (problemCode, file) => {
      const expected = Object.fromEntries(brokenCases())[file]!;
      const others = (expected.with ?? []).map((w) => join(BROKEN_DIR, w));
      const calendar = expected.emergencyWindows ? ["--calendar", calendarFile(expected.emergencyWindows)] : [];
      const { code, stdout } = await check(join(BROKEN_DIR, file), ...others, ...calendar);
      expect(code).toBe(1);
      expect(stdout).toContain(`[错误] ${problemCode} /`);
    });

    it("accepts a deferred row paid in time only with the windows of --calendar", async () => {
      const windows = Object.fromEntries(brokenCases())["insurance-record.deferral-late.json"]!.emergencyWindows!;
      const dir = mkdtempSync(join(tmpdir(), "jiexu-check-"));
      const record = JSON.parse(readFileSync(join(BROKEN_DIR, "insurance-record.deferral-late.json"), "utf8"));
      record.body.contributions.find((r: { emergencyDeferred?: boolean }) => r.emergencyDeferred).paidOn = "2020-09-30";
      writeFileSync(join(dir, "record.json"), JSON.stringify(record));
      const without = await check(join(dir, "record.json"));
      const withWindows = await check(join(dir, "record.json"), "--calendar", calendarFile(windows));
      expect(without.stdout).toContain("EMERGENCY_DEFERRAL_NO_WINDOW");
      expect(withWindows.code).toBe(0);
    });

    it("names the new document types in its verdict lines", async () => {
      const { code, stdout } = await check(ex("contribution-voucher.json"), ex("discrepancy.json"));
      expect(code).toBe(0);
      expect(stdout).toContain("参保缴费凭证 GD-PZ-2024-000321");
      expect(stdout).toContain("核对不符通知 ZJ-HDBF-2024-000815");
    });

    it("reconciles a fund-transfer only with the record given alongside", async () => {
      const alone = await check(join(BROKEN_DIR, "fund-transfer.mismatch.json"));
      const together = await check(join(BROKEN_DIR, "fund-transfer.mismatch.json"), ex("insurance-record.json"));
      expect(alone.code).toBe(0);
      expect(together.code).toBe(1);
      expect(together.stdout).toContain("FUND_TRANSFER_MISMATCH /body/pooledFundFen");
    });

    it("prints readable zh-CN lines with code and pointer by default", async () => {
      const { code, stdout } = await check(join(BROKEN_DIR, "insurance-record.pooled.json"));
      expect(code).toBe(1);
      expect(stdout).toMatch(/✗ .*insurance-record\.pooled\.json.*未通过，1 个错误/);
      expect(stdout).toContain("[错误] POOLED_FUND_MISMATCH /body/fund/pooledFundFen");
      expect(stdout).toContain("元");
    });

    it("checks the document inside a sealed file, pointing under /document", async () => {
      const dir = mkdtempSync(join(tmpdir(), "jiexu-check-"));
      const sealed = join(dir, "sealed.json");
      const document = JSON.parse(readFileSync(join(BROKEN_DIR, "insurance-record.total-sum.json"), "utf8"));
      writeFileSync(sealed, JSON.stringify({ document, seal: "MIAGCSqGSIb3DQEHAqCAMIACAQEx" }));
      const report = JSON.parse((await check(sealed, "--json")).stdout);
      expect(report.problems.map((p: { code: string; path: string }) => `${p.code} ${p.path}`)).toEqual([
        "FUND_SUM_MISMATCH /document/body/fund/totalFen",
      ]);
    });
  });

  describe("when a file cannot be read", () => {
    it.each([
      { name: "missing", content: undefined, code: "FILE_UNREADABLE", exit: 66 },
      { name: "not JSON", content: "{ nope", code: "JSON_INVALID", exit: 65 },
    ])(
      "reports a $name file as $code and exits $exit, not 1 (an invalid document)",
      async ({ content, code, exit }) => {
        const dir = mkdtempSync(join(tmpdir(), "jiexu-check-"));
        const file = join(dir, "input.json");
        if (content !== undefined) writeFileSync(file, content);
        const result = await check(file, "--json");
        expect(result.code).toBe(exit);
        expect(JSON.parse(result.stdout).problems[0].code).toBe(code);
      },
    );
  });

  describe("when used wrongly", () => {
    it("throws a UsageError without files", async () => {
      await expect(run([], capture())).rejects.toBeInstanceOf(UsageError);
    });

    it.each([
      { name: "missing", content: undefined, exit: 66 },
      { name: "not a calendar configuration", content: '{"emergencyWindows":[{"region":"x"}]}', exit: 65 },
    ])("exits $exit when the --calendar file is $name", async ({ content, exit }) => {
      const dir = mkdtempSync(join(tmpdir(), "jiexu-check-"));
      const file = join(dir, "calendar.json");
      if (content !== undefined) writeFileSync(file, content);
      const result = await check(ex("insurance-record.json"), "--calendar", file);
      expect(result.code).toBe(exit);
      expect(result.stderr).toContain("calendar.json");
    });
  });
});

describe("jiexu check as a real process", () => {
  const exec = promisify(execFile);

  it("exits 0 for the examples and 1 with --json for a broken twin", async () => {
    const ok = await exec("node", ["bin/jiexu.js", "check", ex("insurance-record.json"), ex("receipt.json")], {
      cwd: root,
    });
    expect(ok.stdout).toContain("2 个通过");
    const failed = await exec(
      "node",
      ["bin/jiexu.js", "check", join(BROKEN_DIR, "insurance-record.uscc.json"), "--json"],
      { cwd: root },
    ).then(
      () => undefined,
      (err: { code: number; stdout: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(JSON.parse(failed!.stdout).problems[0]).toMatchObject({ code: "USCC_INVALID", path: "/body/employer/uscc" });
  });

  it("exits 64 on a usage mistake", async () => {
    const failed = await exec("node", ["bin/jiexu.js", "check"], { cwd: root }).catch((err: { code: number }) => err);
    expect((failed as { code: number }).code).toBe(64);
  });
});

describe("the README's jiexu check table", () => {
  // Each row: a command line and the codes it is said to print; the README stays true.
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const rows = [...readme.matchAll(/^\| `jiexu check ([^`]+)` \| (.+) \|$/gm)]
    .map((m) => [m[1]!, [...m[2]!.matchAll(/`([A-Z_0-9]+)`/g)].map((c) => c[1]!)] as const)
    .filter(([args]) => !args.includes("FILE.json…")); // the command table's synopsis, not an example

  it("has rows", () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
  });

  it.each(rows)("jiexu check %s", async (args, codes) => {
    const { code, stdout } = await check(...args.split(" ").map((f) => join(root, f)), "--json");
    const found = new Set((JSON.parse(stdout).problems as { code: string }[]).map((p) => p.code));
    expect(code).toBe(1);
    for (const c of codes) expect(found).toContain(c);
  });
});
