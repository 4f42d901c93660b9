import { readFile } from "node:fs/promises";
import { AssessmentError, assess, type AssessmentResult } from "../../domain/assessment/index.ts";
import { EXIT, type CliIo } from "../io.ts";
import { parseCommand, type CommandSpec } from "../spec.ts";

export const SPEC = {
  name: "assess",
  usage: ["assess FILE.json [--json]"],
  about: [
    "Benefit-receiving place (国办发〔2009〕66号 art 6, rules A1–A4) and temporary account (art 5), with the",
    "户籍 rules of 人社部规〔2016〕5号. FILE.json holds one insured person:",
    '  hukouProvince, currentProvince   6-digit GB/T 2260 codes (compared as provinces), e.g. "440000"',
    '  gender "male"|"female", birthDate, moveDate (YYYY-MM-DD), approvedTransfer (optional, default false)',
    "  history            [{ region, months, temporaryAccount? }], oldest stay first (months: actual + 视同)",
    "  hukouHistory       optional [{ province, from }], oldest first, ending in hukouProvince: the 户籍 at the",
    "                     move decides the temporary account; a later move-in converts it to a normal relation",
    "  benefitAgeDate     optional: the day benefit age (法定退休年龄) is reached, given by the caller (statutory",
    "                     ages are not computed); the 户籍 held that day decides the benefit place",
    "Examples: schemas/examples/assess/*.json",
  ],
  options: { json: { type: "boolean" } },
  optionHelp: [["--json", "print the result as JSON (on bad input: { error: { code, message, problems } })"]],
  positionals: { min: 1, max: 1, name: "FILE.json" },
  exits: [
    [EXIT.OK, "assessed"],
    [EXIT.DATAERR, "the input does not fit the contract (ASSESSMENT_INPUT_INVALID, or not JSON)"],
    [EXIT.NOINPUT, "FILE cannot be read"],
  ],
} satisfies CommandSpec;

function render(result: AssessmentResult): string {
  const { benefitPlace: place, temporaryAccount: temp } = result;
  const lines = [
    `待遇领取地 benefit place: ${place.region} (${place.rule}) · 户籍 ${place.hukouProvince}`,
    `  ${place.reason}`,
    `临时账户 temporary account: ${temp.required ? "需要建立 required" : "不需要 not required"} (${temp.rule})`,
    `  ${temp.reason}`,
  ];
  if (temp.conversion !== undefined) {
    lines.push(`转为一般账户 converted: ${temp.conversion.region}`, `  ${temp.conversion.reason}`);
  }
  return lines.join("\n");
}

function reportInvalid(error: AssessmentError, json: boolean, io: CliIo): number {
  const problems = (error.details as { problems?: unknown } | undefined)?.problems ?? [];
  if (json) io.out(JSON.stringify({ error: { code: error.code, message: error.message, problems } }, null, 2));
  else io.err(`jiexu assess: ${error.message}`);
  return EXIT.DATAERR;
}

async function readJson(file: string, io: CliIo): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    io.err(`jiexu assess: cannot read ${file}: ${(err as Error).message}`);
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new AssessmentError("ASSESSMENT_INPUT_INVALID", `${file} is not JSON: ${(err as Error).message}`, {
      details: { problems: [] },
    });
  }
}

/**
 * `jiexu assess FILE.json [--json]`: benefit-receiving place and temporary-account need
 * (66号 arts 5–6, 人社部规〔2016〕5号). Exit 0 with the result, 65 when the input does not fit
 * the contract, 66 when the file cannot be read.
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values, positionals } = parsed;
  const json = values.json === true;
  try {
    const raw = await readJson(positionals[0]!, io);
    if (raw === undefined) return EXIT.NOINPUT;
    const result = assess(raw);
    io.out(json ? JSON.stringify(result, null, 2) : render(result));
    return EXIT.OK;
  } catch (err) {
    if (err instanceof AssessmentError) return reportInvalid(err, json, io);
    throw err;
  }
}
