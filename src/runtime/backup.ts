import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import {
  constants as fsConstants,
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { dirname } from "node:path";
import { CodedError } from "../domain/errors.ts";

/**
 * Copies of the gateway's SQLite database (`jiexu backup`): the electronic archive's only copy is one file on one
 * disk until an operator makes another. A copy is written by `VACUUM INTO` — one read transaction, so a consistent
 * snapshot of every committed change while the gateway keeps accepting documents (WAL: readers never block the
 * writer); SQLite's online backup API would instead start over whenever the gateway commits, and under steady
 * ingest might never finish. The copy is compacted, in rollback-journal mode, made durable (fsync of the file and
 * of its directory) and linked under its final name only once complete: a crash leaves at most a `.partial` file,
 * and an existing file is never replaced (link, not rename).
 */
export type BackupErrorCode =
  | "BACKUP_EXISTS"
  | "BACKUP_CANNOT_WRITE"
  | "BACKUP_SOURCE_MISSING"
  | "BACKUP_DATABASE_IN_USE"
  | "BACKUP_SAME_FILE"
  | "BACKUP_ORPHAN_WAL"
  | "BACKUP_COPY_CHANGED";
export class BackupError extends CodedError<BackupErrorCode> {}

export function writeBackup(databasePath: string, outPath: string): void {
  if (!existsSync(databasePath)) throw new BackupError("BACKUP_SOURCE_MISSING", `no database at ${databasePath}`);
  if (existsSync(outPath)) throw new BackupError("BACKUP_EXISTS", `${outPath} exists: a backup is never overwritten`);
  const partial = `${outPath}.partial`;
  writable(() => {
    mkdirSync(dirname(outPath), { recursive: true });
    rmSync(partial, { force: true });
  }, outPath);
  const source = openSource(databasePath);
  try {
    writable(() => source.prepare("VACUUM INTO ?").run(partial), outPath);
    syncPath(partial);
    try {
      publish(partial, outPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST")
        throw new BackupError("BACKUP_EXISTS", `${outPath} exists: a backup is never overwritten`);
      throw cannotWrite(err, outPath);
    }
    syncPath(dirname(outPath));
  } finally {
    source.close();
    rmSync(partial, { force: true });
  }
}

/**
 * Puts a verified copy in the database's place. Refused while anything has the database open (an exclusive lock,
 * not waiting: a gateway holds it open for as long as it runs, whatever address it listens on), for the database
 * itself, and where a WAL is left without its database (it would be replayed onto the copy). The copy is written
 * beside the database and checked against the digest verified; under the lock the database's WAL is folded in, the
 * database is kept by a second name (`.replaced-<stamp>`, a link: never deleted, never overwritten), and the copy is
 * renamed over it — one atomic step, so a crash leaves either database whole. A gateway started meanwhile waits for
 * the lock.
 */
export function restoreBackup(
  backupPath: string,
  databasePath: string,
  expectedSha256: string,
  stamp: string,
): { replaced?: string } {
  const present = existsSync(databasePath);
  if (present && realpathSync(backupPath) === realpathSync(databasePath))
    throw new BackupError("BACKUP_SAME_FILE", `${backupPath} is the database itself`);
  if (!present && existsSync(`${databasePath}-wal`))
    throw new BackupError("BACKUP_ORPHAN_WAL", `${databasePath}-wal is there without its database: move it away first`);
  const incoming = `${databasePath}.restoring`;
  try {
    copyFileSync(backupPath, incoming);
    syncPath(incoming);
  } catch (err) {
    rmSync(incoming, { force: true });
    throw cannotWrite(err, incoming);
  }
  if (fileSha256(incoming) !== expectedSha256) {
    rmSync(incoming, { force: true });
    throw new BackupError("BACKUP_COPY_CHANGED", `${backupPath} changed after it was verified`);
  }
  if (!present) {
    renameSync(incoming, databasePath);
    syncPath(dirname(databasePath));
    return {};
  }
  const lock = lockExclusively(databasePath, incoming);
  let replaced: string;
  try {
    lock.pragma("wal_checkpoint(TRUNCATE)");
    replaced = keepAside(databasePath, stamp);
    renameSync(incoming, databasePath);
    syncPath(dirname(databasePath));
  } finally {
    lock.close();
    rmSync(incoming, { force: true });
  }
  // The replaced database's WAL (emptied by the checkpoint under the lock) and shared-memory index, by their names
  // beside the copy now: a WAL still holding frames is kept with the replaced database instead.
  const wal = `${databasePath}-wal`;
  if (existsSync(wal)) {
    if (statSync(wal).size === 0) rmSync(wal);
    else renameSync(wal, `${replaced}-wal`);
  }
  rmSync(`${databasePath}-shm`, { force: true });
  return { replaced };
}

/**
 * The finished copy under its name, never over a file there: a link where the file system has them, else a copy
 * that refuses an existing target (exFAT, CIFS and other targets of off-machine copies have no hard links).
 */
function publish(partial: string, outPath: string): void {
  try {
    linkSync(partial, outPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV") throw err;
    copyFileSync(partial, outPath, fsConstants.COPYFILE_EXCL);
    syncPath(outPath);
  }
}

/** SHA-256 (hex) of a file, read 1 MiB at a time: what an operator records beside a copy to tell it unchanged later. */
export function fileSha256(path: string): string {
  const hash = createHash("sha256");
  const fd = openSync(path, "r");
  try {
    const chunk = Buffer.alloc(1 << 20);
    for (
      let at = 0, n = readSync(fd, chunk, 0, chunk.length, at);
      n > 0;
      at += n, n = readSync(fd, chunk, 0, chunk.length, at)
    )
      hash.update(chunk.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

/** Read-only where it can be; where the shared-memory file cannot be made read-only, a plain connection that only reads. */
function openSource(path: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma("busy_timeout = 5000");
    db.pragma("schema_version");
    return db;
  } catch {
    db?.close();
    const plain = new Database(path, { fileMustExist: true });
    plain.pragma("busy_timeout = 5000");
    return plain;
  }
}

/** The database held exclusively (EXCLUSIVE locking mode keeps the lock after the transaction), or in use. */
function lockExclusively(databasePath: string, incoming: string): Database.Database {
  const db = new Database(databasePath, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 0");
    db.pragma("locking_mode = EXCLUSIVE");
    db.exec("BEGIN EXCLUSIVE; COMMIT");
    return db;
  } catch (err) {
    db.close();
    rmSync(incoming, { force: true });
    const code = (err as { code?: string }).code ?? "";
    if (/^SQLITE_(BUSY|LOCKED)/.test(code))
      throw new BackupError(
        "BACKUP_DATABASE_IN_USE",
        `${databasePath} is open elsewhere (a running gateway?): stop it first`,
      );
    throw err;
  }
}

/** A second name for the database being replaced, never overwriting one kept before. */
function keepAside(databasePath: string, stamp: string): string {
  for (let n = 0; ; n++) {
    const aside = `${databasePath}.replaced-${stamp}${n ? `-${n}` : ""}`;
    try {
      linkSync(databasePath, aside);
      return aside;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
}

/** Runs `work`, turning a failure to create or write the output into BACKUP_CANNOT_WRITE. */
function writable<T>(work: () => T, outPath: string): T {
  try {
    return work();
  } catch (err) {
    throw cannotWrite(err, outPath);
  }
}

/** BACKUP_CANNOT_WRITE for a file-system or SQLite refusal to create or write `path`; anything else as it was. */
function cannotWrite(err: unknown, path: string): unknown {
  const code = (err as { code?: string }).code ?? "";
  return /^(EACCES|EPERM|EEXIST|ENOTDIR|EROFS|ENOSPC|EDQUOT|SQLITE_CANTOPEN|SQLITE_READONLY|SQLITE_IOERR|SQLITE_FULL)/.test(
    code,
  )
    ? new BackupError("BACKUP_CANNOT_WRITE", `cannot write ${path} (${code})`)
    : err;
}

function syncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
