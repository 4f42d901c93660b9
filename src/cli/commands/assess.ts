import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { AssessmentError, assess, type AssessmentResult } from "../../domain/assessment/index.ts";
import { UsageError, type CliIo } from "../io.ts";

// sysexits.h: the input file cannot be read / its content is not acceptable.
const EXIT_NOINPUT = 66;
const EXIT_DATAERR = 65;

const USAGE = "usage: jiexu assess FILE.json [--json]";

function render(result: AssessmentResult): string {
  const { benefitPlace: place, temporaryAccount: temp } = result;
  return [
    `待遇领取地 benefit place: ${place.region} (${place.rule})`,
    `  ${place.reason}`,
    `临时账户 temporary account: ${temp.required ? "需要建立 required" : "不需要 not required"}`,
    `  ${temp.reason}`,
  ].join("\n");
}

function reportInvalid(error: AssessmentError, json: boolean, io: CliIo): number {
  const problems = (error.details as { problems?: unknown } | undefined)?.problems ?? [];
  if (json) io.out(JSON.stringify({ error: { code: error.code, message: error.message, problems } }, null, 2));
  else io.err(`jiexu assess: ${error.message}`);
  return EXIT_DATAERR;
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
 * (66号 arts 5–6). Exit 0 with the result, 65 when the input does not fit the contract,
 * 66 when the file cannot be read.
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: "boolean" } }, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError(USAGE);
  const json = values.json === true;
  try {
    const raw = await readJson(positionals[0]!, io);
    if (raw === undefined) return EXIT_NOINPUT;
    const result = assess(raw);
    io.out(json ? JSON.stringify(result, null, 2) : render(result));
    return 0;
  } catch (err) {
    if (err instanceof AssessmentError) return reportInvalid(err, json, io);
    throw err;
  }
}
