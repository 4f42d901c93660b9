import { parseArgs, type ParseArgsConfig } from "node:util";

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

/** node:util parseArgs with positionals, its errors (unknown option, missing value) turned into usage errors. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig["options"]>>(
  args: string[],
  options: T,
  usage: string,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${usage}`);
  }
}

/** The end of a command with subcommands: help when asked, otherwise a usage error naming the unknown one. */
export function unknownSubcommand(sub: string | undefined, usage: string, io: CliIo): number {
  if (sub === "--help" || sub === "-h" || sub === "help") {
    io.out(usage);
    return 0;
  }
  throw new UsageError(sub ? `unknown subcommand '${sub}'\n${usage}` : usage);
}
