import { relative } from "node:path";
import type { ArchiveHead, AuditReport } from "../../usecases/index.ts";
import type { CliIo } from "../io.ts";
import { renderAuditReport } from "./archive-report.ts";

/** What `backup create|verify` found in a copy. */
export interface BackupReport {
  file: string;
  bytes: number;
  sha256: string;
  integrity: string[];
  archive: ArchiveHead;
  audit?: AuditReport;
  ok: boolean;
}

/** The verdict first (zh-CN and English), then what an operator records beside the copy; or the JSON. */
export function printBackupReport(io: CliIo, r: BackupReport, json: boolean): void {
  if (json) {
    io.out(JSON.stringify(r, null, 2));
    return;
  }
  const head = r.archive.checkpoint;
  io.out(`${r.ok ? "✓ 备份已验证 VERIFIED" : "✗ 备份未通过验证 NOT VERIFIED"} — ${shown(r.file)}`);
  io.out(`  bytes      ${r.bytes}`);
  io.out(`  sha256     ${r.sha256}`);
  io.out(
    `  sqlite     integrity_check ${r.integrity.length === 1 ? r.integrity[0] : `${r.integrity.length} problems`}`,
  );
  io.out(
    `  archive    ${r.archive.size} leaves; ${
      head ? `newest checkpoint ${head.size} (${head.at}, root ${head.rootHex.slice(0, 16)}…)` : "no checkpoint cut yet"
    }${r.archive.problems.length === 0 ? (head ? " holds" : "") : ""}`,
  );
  for (const p of r.archive.problems) io.out(`  ✗ ${p.code}: ${p.message}`);
  for (const line of r.integrity.length === 1 ? [] : r.integrity.slice(0, 20)) io.out(`  ✗ ${line}`);
  if (r.audit) io.out(renderAuditReport(r.audit, false));
}

/** A path under the working directory as typed relative to it. */
export const shown = (path: string) => (path.startsWith(process.cwd()) ? relative(process.cwd(), path) || path : path);
