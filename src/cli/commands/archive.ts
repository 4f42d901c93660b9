import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadCertificates } from "../../pki/index.ts";
import { openGateway, type OpenOptions } from "../../runtime/open.ts";
import {
  exportEvidence,
  runAudit,
  verifyEvidencePack,
  type AuditReport,
  type PackReport,
} from "../../usecases/index.ts";
import { UsageError, type CliIo } from "../io.ts";

const USAGE = [
  "usage: jiexu archive export --case ID [--agency ID] --out FILE.zip [--config FILE] [--archive-key KEY.pem --origin NAME]",
  "       jiexu archive verify FILE.zip [--trust ROOT.pem]… [--key VKEY|FILE] [--json]",
  "       jiexu archive audit [--config FILE] [--archive-key KEY.pem --origin NAME] [--json]",
].join("\n");

/** Exit codes: 0 everything holds, 1 a check failed, 64 usage. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "export") return exportCommand(rest, io);
  if (sub === "verify") return verifyCommand(rest, io);
  if (sub === "audit") return auditCommand(rest, io);
  throw new UsageError(USAGE);
}

/** The gateway's configuration or database is missing or wrong: the operator's mistake (64), not a failed check. */
async function open(options: OpenOptions) {
  try {
    return await openGateway(options);
  } catch (err) {
    if ((err as Error).name === "ConfigError") throw new UsageError((err as Error).message);
    throw err;
  }
}

const gatewayOptions = {
  config: { type: "string" },
  data: { type: "string" },
  "archive-key": { type: "string" },
  origin: { type: "string" },
} as const;

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
  const { values } = parseArgs({
    args,
    options: { ...gatewayOptions, case: { type: "string" }, agency: { type: "string" }, out: { type: "string" } },
  });
  if (!values.case || !values.out) throw new UsageError(USAGE);
  const opened = await open(openOptions(values));
  try {
    // The operator acts with compliance reach: any agency's view, named with --agency unless only one is hosted.
    const hosted = opened.gateway.deps.agencies.hostedIds();
    const agency = values.agency ?? (hosted.length === 1 ? hosted[0] : undefined);
    if (!agency)
      throw new UsageError(
        `this gateway hosts ${hosted.join(", ")}: name the agency whose view to export with --agency`,
      );
    const zip = await exportEvidence(opened.gateway.deps, { tokenId: "cli", role: "compliance" }, values.case, agency);
    writeFileSync(values.out, zip);
    io.out(`wrote ${values.out} (${zip.length} bytes): case ${values.case}, agency ${agency}`);
    return 0;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code && /^[A-Z_]+$/.test(code)) {
      io.err(`jiexu archive export: ${code}: ${(err as Error).message}`);
      return 1;
    }
    throw err;
  } finally {
    await opened.close();
  }
}

async function verifyCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { trust: { type: "string", multiple: true }, key: { type: "string" }, json: { type: "boolean" } },
  });
  if (positionals.length !== 1) throw new UsageError(USAGE);
  const zip = new Uint8Array(readFileSync(positionals[0]!));
  const trustAnchors = values.trust?.flatMap((f) => loadCertificates(new Uint8Array(readFileSync(f))));
  const verifierKey =
    values.key === undefined
      ? undefined
      : existsSync(values.key)
        ? readFileSync(values.key, "utf8").trim()
        : values.key;
  let shown = 0;
  const report = verifyEvidencePack(zip, {
    ...(trustAnchors ? { trustAnchors } : {}),
    ...(verifierKey ? { verifierKey } : {}),
    onProgress: (done, total) => {
      // Progress on stderr for large packs, every tenth or so, so stdout stays the report.
      if (total >= 50 && (done === total || done - shown >= Math.ceil(total / 10))) {
        shown = done;
        io.err(`verifying item ${done}/${total}`);
      }
    },
  });
  io.out(values.json ? JSON.stringify(report, null, 2) : renderPackReport(report));
  return report.ok ? 0 : 1;
}

async function auditCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { ...gatewayOptions, json: { type: "boolean" } } });
  const opened = await open(openOptions(values));
  try {
    let shown = 0;
    const report = await runAudit(opened.gateway.deps, (done, total) => {
      if (total >= 10_000 && done - shown >= total / 20) {
        shown = done;
        io.err(`audited ${done}/${total} leaves`);
      }
    });
    io.out(values.json ? JSON.stringify(report, null, 2) : renderAuditReport(report));
    return report.ok ? 0 : 1;
  } finally {
    await opened.close();
  }
}

/** Human renderings of the evidence-pack and audit reports (`--json` prints the reports themselves). */
const MARK = { pass: "✓", fail: "✗", warn: "!" } as const;

export function renderPackReport(r: PackReport): string {
  const failed = r.checks.filter((c) => c.status === "fail").length;
  const warned = r.checks.filter((c) => c.status === "warn").length;
  const lines = [
    `evidence pack: case ${r.caseId ?? "?"}, agency ${r.agencyId ?? "?"}, ${r.items} item(s)${r.generatedAt ? `, exported ${r.generatedAt}` : ""}`,
    ...(r.checkpoint
      ? [`checkpoint:    ${r.checkpoint.origin} size ${r.checkpoint.size} root ${r.checkpoint.rootHex}`]
      : []),
    `trust anchors: ${r.trust === "supplied" ? "supplied with --trust" : "the pack's own (pass --trust to use yours)"}`,
    `checkpoint key: ${r.key === "supplied" ? "supplied with --key" : "the pack's own (pass --key to use yours)"}`,
    "",
  ];
  for (const c of r.checks) lines.push(`${MARK[c.status]} ${c.subject.padEnd(36)} ${c.code.padEnd(24)} ${c.message}`);
  lines.push(
    "",
    r.ok
      ? `VERIFIED: ${r.checks.length} checks, ${warned} warning(s)`
      : `NOT VERIFIED: ${failed} of ${r.checks.length} checks failed`,
  );
  return lines.join("\n");
}

export function renderAuditReport(r: AuditReport): string {
  const lines = [
    `四性检测 integrity audit of ${r.origin ?? "the archive"}: ${r.treeSize} leaves, ${r.checkpoints} checkpoint(s), ${r.generatedAt}`,
    "",
  ];
  for (const item of r.items) {
    lines.push(
      `${item.failed ? MARK.fail : MARK.pass} ${item.property} ${item.id.padEnd(32)} checked ${String(item.checked).padStart(8)}  failed ${String(item.failed).padStart(6)}  ${item.name}`,
    );
    for (const f of item.failures) {
      const where = [
        f.table,
        f.level !== undefined ? `level ${f.level}` : "",
        f.index !== undefined ? `index ${f.index}` : "",
        f.size !== undefined ? `size ${f.size}` : "",
        f.field,
      ]
        .filter(Boolean)
        .join(" ");
      lines.push(`      ${f.code.padEnd(22)} ${where}: ${f.message}`);
    }
    if (item.failed > item.failures.length) lines.push(`      … and ${item.failed - item.failures.length} more`);
  }
  lines.push(
    "",
    r.ok ? "PASSED: every item holds" : `FAILED: ${r.items.filter((i) => i.failed).length} item(s) with failures`,
  );
  return lines.join("\n");
}
