import { readFile } from "node:fs/promises";
import { CommandFailure, EXIT, UsageError } from "../../io.ts";

/** The exit codes the `jiexu directory` subcommands share. */
export const REFUSED_EXIT = [
  EXIT.FAILED,
  "refused: the input does not conform, or a key is not a directory operator's",
] as const;
export const NOINPUT_EXIT = [EXIT.NOINPUT, "an input file cannot be read"] as const;

/** A refusal of the command's input, reported on stderr with exit 1. */
export class Refused extends Error {}

/** The bytes of an input file; a file that cannot be read is exit 66, not a usage error. */
export async function readInput(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    throw new CommandFailure(`cannot read ${path}: ${(err as Error).message}`, EXIT.NOINPUT);
  }
}

/** An ISO date option, now when absent; a date that does not parse is a usage error (exit 64). */
export function dateOption(value: string | undefined, name: string): Date {
  const at = value ? new Date(value) : new Date();
  if (Number.isNaN(at.getTime())) throw new UsageError(`--${name} is not an ISO date: ${value}`);
  return at;
}
