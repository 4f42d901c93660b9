import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import {
  closeSync,
  copyFileSync,
  createReadStream,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
} from "node:fs";
import { dirname } from "node:path";
import { CodedError } from "../domain/errors.ts";

/**
 * Copies of the gateway's SQLite database (`jiexu backup`): the electronic archive's only copy is one file on one
 * disk until an operator makes another. A copy is written by `VACUUM INTO` — one read transaction, so a consistent
 * snapshot of every committed change while the gateway keeps accepting documents (WAL: readers never block the
 * writer); SQLite's online backup API would instead start over whenever the gateway commits, and under steady
 * ingest might never finish. The copy is compacted, in rollback-journal mode, and made durable (fsync of the file and
 * of its directory) under its final name only once complete: a crash leaves at most a `.partial` file.
 */
export type BackupErrorCode = "BACKUP_EXISTS" | "BACKUP_SOURCE_MISSING" | "BACKUP_GATEWAY_RUNNING";
export class BackupError extends CodedError<BackupErrorCode> {}

export function writeBackup(databasePath: string, outPath: string): void {
  if (!existsSync(databasePath)) throw new BackupError("BACKUP_SOURCE_MISSING", `no database at ${databasePath}`);
  if (existsSync(outPath)) throw new BackupError("BACKUP_EXISTS", `${outPath} exists: a backup is never overwritten`);
  mkdirSync(dirname(outPath), { recursive: true });
  const partial = `${outPath}.partial`;
  rmSync(partial, { force: true });
  const source = openSource(databasePath);
  try {
    source.prepare("VACUUM INTO ?").run(partial);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    source.close();
  }
  syncPath(partial);
  renameSync(partial, outPath);
  syncPath(dirname(outPath));
}

/**
 * Puts a verified copy in the database's place (the gateway stopped): the database and its WAL files are moved
 * aside as `<name>.replaced-<stamp>` (never deleted), the copy is written beside them and renamed in.
 */
export function restoreBackup(backupPath: string, databasePath: string, stamp: string): { replaced?: string } {
  const aside = `${databasePath}.replaced-${stamp}`;
  const moved = existsSync(databasePath);
  if (moved) {
    renameSync(databasePath, aside);
    for (const suffix of ["-wal", "-shm"])
      if (existsSync(databasePath + suffix)) renameSync(databasePath + suffix, aside + suffix);
  }
  const incoming = `${databasePath}.restoring`;
  copyFileSync(backupPath, incoming);
  syncPath(incoming);
  renameSync(incoming, databasePath);
  syncPath(dirname(databasePath));
  return moved ? { replaced: aside } : {};
}

/** SHA-256 (hex) of a file, streamed: what an operator records beside the copy to tell it unchanged later. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Read-only where it can be; a database left with a WAL and no shared-memory file (after a crash) needs write access. */
function openSource(path: string): Database.Database {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma("busy_timeout = 5000");
    db.pragma("schema_version");
    return db;
  } catch {
    const db = new Database(path, { fileMustExist: true });
    db.pragma("busy_timeout = 5000");
    db.pragma("query_only = ON");
    return db;
  }
}

function syncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
