import { renameSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { OpenedGateway } from "../../runtime/open.ts";
import { CommandFailure, EXIT, type CliIo } from "../io.ts";
import { createProgress, type Progress } from "../progress.ts";
import { parseCommand, runGroup, type CommandSpec, type GroupSpec } from "../spec.ts";
import { type BackupReport, printBackupReport, shown } from "./backup-report.ts";

const gatewayOptions = { config: { type: "string" }, data: { type: "string" }, json: { type: "boolean" } } as const;
const GATEWAY_HELP = [
  ["--config FILE", "the gateway's configuration (default data/config.json): its database and checkpoint key"],
  ["--data DIR", "the gateway's data directory (default data)"],
  ["--json", "print the report as JSON"],
] as const;
const CONFIG_EXIT = [EXIT.CONFIG, "the gateway's configuration or database is missing or invalid"] as const;

const CREATE_SPEC = {
  name: "backup create",
  usage: ["backup create [--out FILE] [--config FILE] [--data DIR] [--json]"],
  about: [
    "Copy the gateway's database while it runs (a consistent snapshot of every committed change), make the copy",
    "durable, then check it as `backup verify` does. Record the printed SHA-256 beside the copy.",
  ],
  options: { ...gatewayOptions, out: { type: "string" } },
  optionHelp: [
    ["--out FILE", "where to write the copy (default <dataDir>/backups/jiexu-<UTC time>.db)"],
    ...GATEWAY_HELP,
  ],
  exits: [
    [EXIT.OK, "written and verified"],
    [EXIT.FAILED, "written, but the copy does not verify (kept for inspection as FILE.unverified)"],
    [EXIT.CANTCREAT, "the output exists (a backup is never overwritten) or cannot be written"],
    CONFIG_EXIT,
  ],
} satisfies CommandSpec;

const VERIFY_SPEC = {
  name: "backup verify",
  usage: ["backup verify FILE [--audit] [--config FILE] [--data DIR] [--json]"],
  about: [
    "Check a copy: SQLite's integrity check of every page and index; the newest checkpoint's signature by the",
    "gateway's key, and its root given again by the stored subtrees and by every stored leaf hash. The entries,",
    "seals and case indexes are re-read only by --audit (the whole 四性 audit of the copy). Nothing is written: the",
    "copy is unchanged, and a missing checkpoint key is an error, not a new key.",
  ],
  options: { ...gatewayOptions, audit: { type: "boolean" } },
  optionHelp: [["--audit", "also run the 四性 integrity audit of the copy's whole archive"], ...GATEWAY_HELP],
  positionals: { min: 1, max: 1, name: "FILE" },
  exits: [
    [EXIT.OK, "the copy verifies"],
    [EXIT.FAILED, "a check failed"],
    [EXIT.NOINPUT, "FILE cannot be read"],
    CONFIG_EXIT,
  ],
} satisfies CommandSpec;

const RESTORE_SPEC = {
  name: "backup restore",
  usage: ["backup restore FILE [--audit] [--config FILE] [--data DIR] [--json]"],
  about: [
    "Put a verified copy in the place of the gateway's database. Refused while anything has the database open (a",
    "running gateway, wherever it listens). The database it replaces is kept as <name>.replaced-<UTC time>, its WAL",
    "folded in first; the copy is renamed over it in one step, so a crash leaves one database or the other whole.",
  ],
  options: { ...gatewayOptions, audit: { type: "boolean" } },
  optionHelp: [["--audit", "run the whole 四性 audit of the copy first"], ...GATEWAY_HELP],
  positionals: { min: 1, max: 1, name: "FILE" },
  exits: [
    [EXIT.OK, "restored"],
    [EXIT.FAILED, "the copy does not verify, changed since, or is the database itself: nothing changed"],
    [EXIT.NOINPUT, "FILE cannot be read"],
    [EXIT.UNAVAILABLE, "the database is open elsewhere (BACKUP_DATABASE_IN_USE): stop the gateway; nothing changed"],
    [EXIT.CANTCREAT, "the copy cannot be written beside the database (space, permissions): nothing changed"],
    CONFIG_EXIT,
  ],
} satisfies CommandSpec;

const GROUP: GroupSpec = {
  name: "backup",
  about: ["Copies of the gateway's database (the electronic archive): make one, check one, restore one."],
  subcommands: {
    create: { spec: CREATE_SPEC, run: createCommand },
    verify: { spec: VERIFY_SPEC, run: verifyCommand },
    restore: { spec: RESTORE_SPEC, run: restoreCommand },
  },
};

/** `jiexu backup create|verify|restore`. */
export async function run(args: string[], io: CliIo): Promise<number> {
  return runGroup(GROUP, args, io);
}

type GatewayValues = { config?: string; data?: string };

/** The configuration's options for runtime/load-config.ts and runtime/open.ts. */
const gatewayOf = (values: GatewayValues) => ({
  ...(values.config ? { configPath: values.config } : {}),
  ...(values.data ? { dataDir: values.data } : {}),
});

/** The configured data directory and database; a missing or invalid configuration is exit 78. */
async function gatewayFiles(values: GatewayValues) {
  const { configPathOf, databasePathOf, readConfigFile, resolvePath } = await import("../../runtime/load-config.ts");
  try {
    const loaded = readConfigFile(configPathOf(gatewayOf(values)));
    return { dataDir: resolvePath(loaded, loaded.config.dataDir), database: databasePathOf(loaded) };
  } catch (err) {
    if ((err as Error).name === "ConfigError") throw new CommandFailure((err as Error).message, EXIT.CONFIG);
    throw err;
  }
}

async function createCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(CREATE_SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values } = parsed;
  const files = await gatewayFiles(values);
  const out = resolve(values.out ?? join(files.dataDir, "backups", `jiexu-${stamp(new Date())}.db`));
  const { writeBackup } = await import("../../runtime/backup.ts");
  const progress = createProgress(io, "backup create");
  try {
    progress.phase("copying the database");
    writeBackup(files.database, out);
  } catch (err) {
    throw asFailure(err);
  } finally {
    progress.end();
  }
  let report: BackupReport | undefined;
  try {
    report = await checkCopy(values, out, false, progress);
  } finally {
    // A copy that did not verify, or could not be checked (a missing key, say), is never left under a backup's name.
    if (!report?.ok) {
      renameSync(out, `${out}.unverified`);
      if (report) report.file = `${out}.unverified`;
    }
  }
  printBackupReport(io, report, values.json === true);
  return report.ok ? EXIT.OK : EXIT.FAILED;
}

async function verifyCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(VERIFY_SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values, positionals } = parsed;
  const report = await checkCopy(
    values,
    resolve(positionals[0]!),
    values.audit === true,
    createProgress(io, "backup verify"),
  );
  printBackupReport(io, report, values.json === true);
  return report.ok ? EXIT.OK : EXIT.FAILED;
}

async function restoreCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(RESTORE_SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values, positionals } = parsed;
  const files = await gatewayFiles(values);
  const file = resolve(positionals[0]!);
  const report = await checkCopy(values, file, values.audit === true, createProgress(io, "backup restore"));
  if (!report.ok) {
    printBackupReport(io, report, values.json === true);
    io.err("jiexu backup restore: the copy does not verify; nothing changed");
    return EXIT.FAILED;
  }
  const { restoreBackup } = await import("../../runtime/backup.ts");
  let replaced: string | undefined;
  try {
    ({ replaced } = restoreBackup(file, files.database, report.sha256, stamp(new Date())));
  } catch (err) {
    throw asFailure(err);
  }
  const result = { restored: file, database: files.database, sha256: report.sha256, ...(replaced ? { replaced } : {}) };
  if (values.json) io.out(JSON.stringify(result, null, 2));
  else {
    io.out(`✓ 已恢复 RESTORED — ${shown(file)} → ${shown(files.database)} (sha256 ${report.sha256})`);
    if (replaced) io.out(`  the database it replaces is kept as ${shown(replaced)}`);
  }
  return EXIT.OK;
}

/** A coded backup error as the exit code its help names, with the code in the message. */
function asFailure(err: unknown): unknown {
  const code = (err as { code?: string }).code;
  if ((err as Error).name !== "BackupError" || !code) return err;
  const exit =
    code === "BACKUP_EXISTS" || code === "BACKUP_CANNOT_WRITE"
      ? EXIT.CANTCREAT
      : code === "BACKUP_DATABASE_IN_USE"
        ? EXIT.UNAVAILABLE
        : code === "BACKUP_SOURCE_MISSING"
          ? EXIT.CONFIG
          : EXIT.FAILED;
  return new CommandFailure(`${code}: ${(err as Error).message}`, exit);
}

/** Opens the copy with the configuration's keys, nothing written, and checks it; a damaged file is a failed check. */
async function checkCopy(
  values: GatewayValues,
  file: string,
  audit: boolean,
  progress: Progress,
): Promise<BackupReport> {
  const { fileSha256 } = await import("../../runtime/backup.ts");
  const found = { file, bytes: statSync(file).size, sha256: fileSha256(file) };
  progress.phase("checking the copy");
  try {
    return Object.assign(found, await checkDatabase(values, file, audit, progress));
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    // Not a sound database of this gateway's schema (damaged pages, another file, another schema): not verified.
    if (typeof code !== "string" || !code.startsWith("SQLITE_")) throw err;
    return Object.assign(found, {
      integrity: [`${code}: ${(err as Error).message}`],
      archive: { size: 0, problems: [] },
      ok: false,
    });
  } finally {
    progress.end();
  }
}

async function checkDatabase(values: GatewayValues, file: string, audit: boolean, progress: Progress) {
  const [{ openGateway }, { runAudit, verifyArchiveHead }] = await Promise.all([
    import("../../runtime/open.ts"),
    import("../../usecases/index.ts"),
  ]);
  let opened: OpenedGateway;
  try {
    opened = await openGateway({ ...gatewayOf(values), databasePath: file, readOnly: true });
  } catch (err) {
    if ((err as Error).name === "ConfigError") throw new CommandFailure((err as Error).message, EXIT.CONFIG);
    throw err;
  }
  try {
    const integrity = opened.integrityCheck();
    const archive = await verifyArchiveHead(opened.gateway.deps);
    const audited = audit
      ? await runAudit(opened.gateway.deps, (done, total) => progress.count("audited leaves", done, total, 10_000))
      : undefined;
    const ok =
      integrity.length === 1 && integrity[0] === "ok" && archive.problems.length === 0 && (audited?.ok ?? true);
    return Object.assign({ integrity, archive }, audited ? { audit: audited } : {}, { ok });
  } finally {
    await opened.close();
  }
}

const stamp = (at: Date) =>
  at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
