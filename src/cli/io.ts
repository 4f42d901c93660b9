/** What a CLI command may touch of the process: its streams and an exit code. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : text + "\n"),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : text + "\n"),
};

/** A command-line mistake by the user: exit 64 (EX_USAGE, sysexits.h). */
export class UsageError extends Error {
  override name = "UsageError";
}

export const EXIT_USAGE = 64;

export type Command = (args: string[], io: CliIo) => Promise<number>;
