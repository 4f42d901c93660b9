import type { AuditReport, PackReport } from "../../usecases/index.ts";

type PackCheck = PackReport["checks"][number];
type AuditFailure = AuditReport["items"][number]["failures"][number];

/**
 * Human renderings of the evidence-pack and audit reports (issue 15 item 5): the verdict first, in zh-CN
 * and English, then one line per item, every check only with --verbose. `--json` prints the reports as they are.
 */
const MARK = { pass: "✓", fail: "✗", warn: "!" } as const;

export function renderPackReport(r: PackReport, verbose = false): string {
  const failed = r.checks.filter((c) => c.status === "fail").length;
  const warned = r.checks.filter((c) => c.status === "warn").length;
  const what = `evidence pack of case ${r.caseId ?? "?"}, agency ${r.agencyId ?? "?"}: ${r.items} item(s), ${r.checks.length} checks`;
  const verdict = r.ok
    ? `✓ 证据包验证通过 VERIFIED — ${what}, ${warned} warning(s)`
    : `✗ 证据包验证未通过 NOT VERIFIED — ${failed} of ${r.checks.length} checks failed; ${what}`;
  const lines = [
    verdict,
    ...(r.generatedAt ? [`  exported        ${r.generatedAt}`] : []),
    ...(r.checkpoint
      ? [`  checkpoint      ${r.checkpoint.origin} size ${r.checkpoint.size} root ${r.checkpoint.rootHex}`]
      : []),
    `  trust anchors   ${r.trust === "supplied" ? "supplied with --trust" : "the pack's own (pass --trust to use yours)"}`,
    `  checkpoint key  ${r.key === "supplied" ? "supplied with --key" : "the pack's own (pass --key to use yours)"}`,
    "",
  ];
  if (verbose) for (const c of r.checks) lines.push(checkLine(c));
  else for (const [key, checks] of byItem(r.checks)) lines.push(...itemLines(key, checks));
  if (!verbose) lines.push("", "(--verbose lists every check)");
  return lines.join("\n");
}

function checkLine(c: PackCheck): string {
  return `${MARK[c.status]} ${c.subject.padEnd(36)} ${c.code.padEnd(24)} ${c.message}`;
}

/**
 * The report's items: a document with its receipt is one item (its id), the inclusion proofs of the archive
 * leaves one more, and each other subject (checkpoint, trust, chain, index, pack) its own.
 */
function byItem(checks: PackCheck[]): Map<string, PackCheck[]> {
  const groups = new Map<string, PackCheck[]>();
  for (const c of checks) {
    const key = c.subject.startsWith("leaf:")
      ? "leaf"
      : (/^(?:document|receipt):(.+)$/.exec(c.subject)?.[1] ?? c.subject);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return groups;
}

/** An item that held is one line; one that did not shows each failed or warned check. */
function itemLines(key: string, checks: PackCheck[]): string[] {
  const notable = checks.filter((c) => c.status !== "pass");
  if (notable.length > 0) return notable.map(checkLine);
  const kinds = [...new Set(checks.map((c) => /^(document|receipt):/.exec(c.subject)?.[1]).filter(Boolean))];
  const label = key === "leaf" ? `${checks.length} archive leaves` : key;
  const what = key === "leaf" ? "inclusion proofs: " : kinds.length ? `${kinds.join(", ")}: ` : "";
  return [`${MARK.pass} ${label.padEnd(36)} ${what}${checks.length} check(s) hold`];
}

export function renderAuditReport(r: AuditReport, verbose = false): string {
  const failing = r.items.filter((i) => i.failed);
  const what = `integrity audit of ${r.origin ?? "the archive"}: ${r.treeSize} leaves, ${r.checkpoints} checkpoint(s), ${r.generatedAt}`;
  const lines = [
    r.ok
      ? `✓ 四性检测通过 PASSED — every item holds; ${what}`
      : `✗ 四性检测未通过 FAILED — ${failing.length} of ${r.items.length} item(s) with failures; ${what}`,
    "",
  ];
  for (const item of r.items) {
    lines.push(
      `${item.failed ? MARK.fail : MARK.pass} ${item.property} ${item.id.padEnd(32)} checked ${String(item.checked).padStart(8)}  failed ${String(item.failed).padStart(6)}  ${item.name}`,
    );
    // Without --verbose, the first failure of an item says what is wrong; the rest are details.
    const shown = verbose ? item.failures : item.failures.slice(0, 1);
    for (const f of shown) lines.push(`      ${f.code.padEnd(22)} ${whereOf(f)}: ${f.message}`);
    if (item.failed > shown.length)
      lines.push(`      … and ${item.failed - shown.length} more${verbose ? "" : " (--verbose lists them)"}`);
  }
  return lines.join("\n");
}

function whereOf(f: AuditFailure): string {
  return [
    f.table,
    f.level !== undefined ? `level ${f.level}` : "",
    f.index !== undefined ? `index ${f.index}` : "",
    f.size !== undefined ? `size ${f.size}` : "",
    f.field,
  ]
    .filter(Boolean)
    .join(" ");
}
