import { writeFileSync } from "node:fs";
/** What a CLI command may touch of the process: its streams and an exit code. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /**
   * stderr when it is a terminal: raw writes (no newline added) for a progress line redrawn in place.
   * Absent when stderr is a file or a pipe (and in tests): progress is then printed as plain lines.
   */
  tty?: { write(text: string): void; columns: number };
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : text + "\n"),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : text + "\n"),
  ...(process.stderr.isTTY
    ? { tty: { write: (text: string) => process.stderr.write(text), columns: process.stderr.columns || 80 } }
    : {}),
};

/**
 * The exit codes every command keeps to (README "Exit codes"): 0/1/2 are outcomes, the others are
 * sysexits.h codes for why a command could not do its work.
 */
export const EXIT = {
  OK: 0,
  /** A check failed: an invalid document, a seal TOTAL_FAILED, a pack not verified, a refusal. */
  FAILED: 1,
  /** A seal INDETERMINATE (`jiexu verify`). */
  INDETERMINATE: 2,
  USAGE: 64,
  /** An input was read but is not acceptable (not JSON, a key that does not load, a bad calendar file). */
  DATAERR: 65,
  /** An input file cannot be read. */
  NOINPUT: 66,
  /** The gateway cannot listen: its port is taken or not permitted. */
  UNAVAILABLE: 69,
  /** An output file exists (without --force) or cannot be written. */
  CANTCREAT: 73,
  /** The gateway's configuration is missing or invalid. */
  CONFIG: 78,
} as const;

/** A command-line mistake by the user: exit 64 (EX_USAGE, sysexits.h). */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A failure the command reports on stderr with its own exit code (a missing file, an existing output…). */
export class CommandFailure extends Error {
  override name = "CommandFailure";
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export type Command = (args: string[], io: CliIo) => Promise<number>;

export function isHelp(arg: string | undefined): boolean {
  return arg === "--help" || arg === "-h" || arg === "help";
}

/** The candidate nearest to `given` by edit distance, if near enough to be a likely typo. */
export function closest(given: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(given, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  // A prefix is a likely slip too (`--cont` for `--content`).
  const prefixed = candidates.find((c) => given.length >= 3 && (c.startsWith(given) || given.startsWith(c)));
  if (best && best.distance <= Math.max(2, Math.floor(given.length / 3))) return best.name;
  return prefixed;
}

export function didYouMean(given: string, candidates: readonly string[]): string {
  const near = closest(given, candidates);
  return near ? ` (did you mean ${near}?)` : "";
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * Write a command's output file; a failure (missing directory, a file where a directory should be, no
 * permission) is exit 73 naming the path — never "cannot read", never a stack trace.
 */
export function writeOutput(path: string, contents: string | Uint8Array, options: { mode?: number } = {}): void {
  try {
    writeFileSync(path, contents, options);
  } catch (err) {
    const code = (err as { code?: string }).code ?? "error";
    throw new CommandFailure(`cannot write ${path} (${code})`, EXIT.CANTCREAT);
  }
}
