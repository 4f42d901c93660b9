import { DirectoryError, type Directory } from "../../../domain/directory/index.ts";
import {
  DEFAULT_POLICY,
  OFFLINE_DEV_POLICY,
  createRevocationStore,
  createTrustStore,
  decodeCrlFile,
  loadCertificates,
  openSealedDirectory,
  type OpenedDirectory,
  type VerificationReport,
} from "../../../pki/index.ts";
import { checkDirectoryCandidate } from "../../../usecases/index.ts";
import { EXIT, UsageError, type CliIo } from "../../io.ts";
import { parseCommand, usageText, type CommandSpec } from "../../spec.ts";
import { renderReport } from "../verify.ts";
import { NOINPUT_EXIT, dateOption, readInput } from "./input.ts";

/**
 * `jiexu directory verify FILE`: whether a gateway with no directory yet would load this one at `--at`.
 * The seal must verify (else only the refusal and the pki's report are shown); then the gateway's own
 * check (checkDirectoryCandidate) decides, and the listing is shown either way. Exit 0 valid, 1 not.
 */
export const VERIFY_SPEC = {
  name: "directory verify",
  usage: [
    "directory verify FILE --trust ROOT.pem [--trust …] [--crl FILE]… [--at ISO] [--revocation required|optional] [--json]",
  ],
  about: ["Whether a gateway with no directory yet would load this sealed directory at --at; the listing is shown."],
  options: {
    trust: { type: "string", multiple: true },
    crl: { type: "string", multiple: true },
    at: { type: "string" },
    revocation: { type: "string", default: "required" },
    json: { type: "boolean" },
  },
  optionHelp: [
    ["--trust ROOT.pem", "trust anchor(s) (repeatable)"],
    ["--crl FILE", "CRLs (repeatable)"],
    ["--at ISO", "the time to judge it at (default now)"],
    ["--revocation R", "required (default) or optional"],
    ["--json", "print { valid, code?, directory, report } as JSON"],
  ],
  positionals: { min: 1, max: 1, name: "FILE" },
  exits: [
    [EXIT.OK, "valid"],
    [EXIT.FAILED, "invalid, not yet valid or expired, or its seal does not verify"],
    NOINPUT_EXIT,
  ],
} satisfies CommandSpec;

export async function verify(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(VERIFY_SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values, positionals } = parsed;
  if (!values.trust?.length) throw new UsageError(`--trust is required\n${usageText(VERIFY_SPEC)}`);
  if (values.revocation !== "required" && values.revocation !== "optional")
    throw new UsageError("--revocation is required or optional");
  const at = dateOption(values.at, "at");
  const bytes = await readInput(positionals[0]!);
  const trust = createTrustStore((await Promise.all(values.trust.map(readInput))).flatMap((b) => loadCertificates(b)));
  const crls = createRevocationStore(
    (await Promise.all((values.crl ?? []).map(readInput))).flatMap((b) => decodeCrlFile(b)),
  );
  const policy = values.revocation === "optional" ? OFFLINE_DEV_POLICY : DEFAULT_POLICY;
  let opened: OpenedDirectory;
  try {
    opened = openSealedDirectory(bytes, { trust, crls, at, policy });
  } catch (err) {
    if (!(err instanceof DirectoryError)) throw err;
    io.out(renderSealRefusal(err, values.json === true));
    return 1;
  }
  const update = checkDirectoryCandidate(undefined, opened.directory, at);
  const error = update.ok ? undefined : update.error;
  io.out(values.json ? renderJson(opened, error) : renderListing(opened.directory, error));
  return error ? 1 : 0;
}

function renderJson({ directory, report }: OpenedDirectory, error: DirectoryError | undefined): string {
  const verdict = { valid: !error, ...(error ? { code: error.code, message: error.message } : {}) };
  return JSON.stringify({ ...verdict, directory, report }, null, 2);
}

/** A seal that does not verify: the refusal, with the pki's full report when there is one. */
function renderSealRefusal(err: DirectoryError, json: boolean): string {
  // openSealedDirectory attaches the pki's full report to DIRECTORY_SEAL_INVALID.
  const report = err.report as VerificationReport | undefined;
  if (!json) return [`✗ ${err.code}: ${err.message}`, ...(report ? [renderReport(report)] : [])].join("\n");
  const refusal = {
    valid: false,
    code: err.code,
    message: err.message,
    ...(err.problems ? { problems: err.problems } : {}),
    ...(report ? { report } : {}),
  };
  return JSON.stringify(refusal, null, 2);
}

function renderListing(d: Directory, error: DirectoryError | undefined): string {
  const head = error
    ? `✗ ${error.code}: ${error.message}`
    : `✓ directory ${d.sequence} is valid (sealed by a directory operator)`;
  const lines = [
    head,
    `operator:  ${d.operator}`,
    `issued:    ${d.issuedAt}`,
    `expires:   ${d.expiresAt}`,
    `agencies:  ${d.agencies.length}`,
  ];
  for (const a of d.agencies) {
    lines.push(`  ${a.id.padEnd(10)} ${a.gatewayUrl}  ${a.name}`);
    // Issue 16: which seal formats count for the agency, and whose seal makers (else the gateway's anchors).
    const makers = a.sealMakers ? `, ${a.sealMakers.length} seal-maker anchor(s)` : "";
    lines.push(`    formats  ${(a.sealFormats ?? ["cades"]).join(", ")}${makers}`);
    for (const [role, list] of [
      ["seal", a.sealCertificates],
      ["receipt", a.receiptCertificates],
    ] as const) {
      for (const c of list)
        lines.push(`    ${role.padEnd(8)} ${c.sha256.slice(0, 16)}…  ${c.notBefore} → ${c.notAfter}`);
    }
    for (const k of a.checkpoint?.keys ?? []) lines.push(`    log      ${k.vkey}  ${k.notBefore} → ${k.notAfter}`);
  }
  return lines.join("\n");
}
