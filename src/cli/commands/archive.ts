import { existsSync, readFileSync } from "node:fs";
import { loadCertificates } from "../../pki/index.ts";
import type { OpenOptions } from "../../runtime/open.ts";
import { exportEvidence, runAudit, verifyEvidencePack } from "../../usecases/index.ts";
import { CommandFailure, EXIT, UsageError, writeOutput, type CliIo } from "../io.ts";
import { createProgress, type Progress } from "../progress.ts";
import { parseCommand, runGroup, usageText, type CommandSpec, type GroupSpec } from "../spec.ts";
import { renderAuditReport, renderPackReport } from "./archive-report.ts";

const gatewayOptions = {
  config: { type: "string" },
  data: { type: "string" },
  "archive-key": { type: "string" },
  origin: { type: "string" },
} as const;

const GATEWAY_HELP = [
  ["--config FILE", "the gateway's configuration (default data/config.json)"],
  ["--data DIR", "the gateway's data directory (default data)"],
  ["--archive-key KEY.pem", "the checkpoint key, with --origin (default: the configured one)"],
  ["--origin NAME", "the log origin the key signs for"],
] as const;

const CONFIG_EXIT = [EXIT.CONFIG, "the gateway's configuration is missing or invalid"] as const;

const EXPORT_SPEC = {
  name: "archive export",
  usage: [
    "archive export --case ID [--agency ID] --out FILE.zip [--config FILE] [--archive-key KEY.pem --origin NAME]",
  ],
  about: ["Export one agency's view of a case as an evidence pack, verifiable offline with `archive verify`."],
  options: { ...gatewayOptions, case: { type: "string" }, agency: { type: "string" }, out: { type: "string" } },
  optionHelp: [
    ["--case ID", "the case"],
    ["--agency ID", "whose view (required when the gateway hosts several agencies)"],
    ["--out FILE.zip", "where to write the pack"],
    ...GATEWAY_HELP,
  ],
  exits: [[EXIT.OK, "written"], [EXIT.FAILED, "the gateway refused (e.g. NOT_FOUND: no such case)"], CONFIG_EXIT],
} satisfies CommandSpec;

const VERIFY_SPEC = {
  name: "archive verify",
  usage: ["archive verify FILE.zip [--trust ROOT.pem]… [--maker-trust PEM]… [--key VKEY|FILE] [--json] [--verbose]"],
  about: [
    "Verify an evidence pack offline (no database, no network): seals, receipts, inclusion proofs, the signed",
    "checkpoint and the pack's completeness. The verdict comes first, then one line per item.",
  ],
  options: {
    trust: { type: "string", multiple: true },
    "maker-trust": { type: "string", multiple: true },
    key: { type: "string" },
    json: { type: "boolean" },
    verbose: { type: "boolean", short: "v" },
  },
  optionHelp: [
    ["--trust ROOT.pem", "your trust anchor(s) instead of the pack's own (repeatable)"],
    ["--maker-trust PEM", "trust anchor(s) of SES seal makers, e.g. the directory's sealMakers (repeatable)"],
    ["--key VKEY|FILE", "the gateway's checkpoint verifier key instead of the pack's own"],
    ["--json", "print the report as JSON"],
    ["-v, --verbose", "list every check"],
  ],
  positionals: { min: 1, max: 1, name: "FILE.zip" },
  exits: [
    [EXIT.OK, "every check holds"],
    [EXIT.FAILED, "a check failed"],
    [EXIT.NOINPUT, "a file cannot be read"],
  ],
} satisfies CommandSpec;

const AUDIT_SPEC = {
  name: "archive audit",
  usage: ["archive audit [--config FILE] [--archive-key KEY.pem --origin NAME] [--json] [--verbose]"],
  about: ["The 四性 integrity audit (DA/T 70-2018) of the gateway's whole archive; the verdict comes first."],
  options: { ...gatewayOptions, json: { type: "boolean" }, verbose: { type: "boolean", short: "v" } },
  optionHelp: [...GATEWAY_HELP, ["--json", "print the report as JSON"], ["-v, --verbose", "list every failure"]],
  exits: [[EXIT.OK, "every item holds"], [EXIT.FAILED, "an item has failures"], CONFIG_EXIT],
} satisfies CommandSpec;

const GROUP: GroupSpec = {
  name: "archive",
  about: ["Evidence packs (export, offline verification) and the 四性 integrity audit of the archive."],
  subcommands: {
    export: { spec: EXPORT_SPEC, run: exportCommand },
    verify: { spec: VERIFY_SPEC, run: verifyCommand },
    audit: { spec: AUDIT_SPEC, run: auditCommand },
  },
};

/** `jiexu archive export|verify|audit`. */
export async function run(args: string[], io: CliIo): Promise<number> {
  return runGroup(GROUP, args, io);
}

/** The gateway's configuration or database is missing or wrong: exit 78, not a failed check. */
async function open(options: OpenOptions, progress: Progress) {
  progress.phase("opening the gateway's archive");
  const { openGateway } = await import("../../runtime/open.ts");
  try {
    return await openGateway(options);
  } catch (err) {
    if ((err as Error).name === "ConfigError") throw new CommandFailure((err as Error).message, EXIT.CONFIG);
    throw err;
  }
}

function openOptions(values: { config?: string; data?: string; "archive-key"?: string; origin?: string }): OpenOptions {
  if ((values["archive-key"] === undefined) !== (values.origin === undefined))
    throw new UsageError("--archive-key and --origin go together");
  return {
    ...(values.config ? { configPath: values.config } : {}),
    ...(values.data ? { dataDir: values.data } : {}),
    ...(values["archive-key"] ? { archiveKey: { path: values["archive-key"], origin: values.origin! } } : {}),
  };
}

async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(EXPORT_SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values } = parsed;
  if (!values.case || !values.out) throw new UsageError(`--case and --out are required\n${usageText(EXPORT_SPEC)}`);
  const options = openOptions(values);
  const progress = createProgress(io, "archive export");
  const opened = await open(options, progress).finally(() => progress.end());
  try {
    // The operator acts with compliance reach: any agency's view, named with --agency unless only one is hosted.
    const hosted = opened.gateway.deps.agencies.hostedIds();
    const agency = values.agency ?? (hosted.length === 1 ? hosted[0] : undefined);
    if (!agency)
      throw new UsageError(
        `this gateway hosts ${hosted.join(", ")}: name the agency whose view to export with --agency`,
      );
    progress.phase(`collecting case ${values.case}`);
    const zip = await exportEvidence(opened.gateway.deps, { tokenId: "cli", role: "compliance" }, values.case, agency);
    progress.end();
    writeOutput(values.out, zip);
    io.out(`wrote ${values.out} (${zip.length} bytes): case ${values.case}, agency ${agency}`);
    return EXIT.OK;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code && /^[A-Z_]+$/.test(code)) {
      io.err(`jiexu archive export: ${code}: ${(err as Error).message}`);
      return EXIT.FAILED;
    }
    throw err;
  } finally {
    progress.end();
    await opened.close();
  }
}

async function verifyCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(VERIFY_SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values, positionals } = parsed;
  const zip = new Uint8Array(readFileSync(positionals[0]!));
  const trustAnchors = values.trust?.flatMap((f) => loadCertificates(new Uint8Array(readFileSync(f))));
  const makerTrust = values["maker-trust"]?.flatMap((f) => loadCertificates(new Uint8Array(readFileSync(f))));
  const verifierKey =
    values.key === undefined
      ? undefined
      : existsSync(values.key)
        ? readFileSync(values.key, "utf8").trim()
        : values.key;
  const progress = createProgress(io, "archive verify");
  const report = (() => {
    try {
      return verifyEvidencePack(zip, {
        ...(trustAnchors ? { trustAnchors } : {}),
        ...(makerTrust ? { makerTrust } : {}),
        ...(verifierKey ? { verifierKey } : {}),
        onProgress: (done, total) => progress.count("verifying item", done, total),
      });
    } finally {
      progress.end();
    }
  })();
  io.out(values.json ? JSON.stringify(report, null, 2) : renderPackReport(report, values.verbose === true));
  return report.ok ? EXIT.OK : EXIT.FAILED;
}

async function auditCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(AUDIT_SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values } = parsed;
  const options = openOptions(values);
  const progress = createProgress(io, "archive audit");
  const opened = await open(options, progress).finally(() => progress.end());
  try {
    progress.phase("reading the archive");
    const report = await runAudit(opened.gateway.deps, (done, total) =>
      progress.count("audited leaves", done, total, 10_000),
    );
    progress.end();
    io.out(values.json ? JSON.stringify(report, null, 2) : renderAuditReport(report, values.verbose === true));
    return report.ok ? EXIT.OK : EXIT.FAILED;
  } finally {
    progress.end();
    await opened.close();
  }
}
