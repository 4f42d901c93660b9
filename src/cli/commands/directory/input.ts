import { readFile } from "node:fs/promises";
import { UsageError } from "../../io.ts";

/** What the `jiexu directory` subcommands share: their usage text, input files and refusals. */
export const USAGE = [
  "usage: jiexu directory build --pki DIR --agency ID=URL [--agency …] [--checkpoint-key ID=VKEY_FILE[,notBefore=ISO][,notAfter=ISO]]…",
  "         --sequence N [--valid-days D] [--operator NAME] [--issued-at ISO] --out directory.json",
  "       jiexu directory sign --in directory.json --key operator.key.pem --cert operator.cert.pem [--chain PEM]… [--pass PW] --out directory.sealed.json",
  "       jiexu directory verify FILE --trust ROOT.pem [--trust …] [--crl FILE]… [--at ISO] [--revocation required|optional] [--json]",
].join("\n");

/** A refusal of the command's input, reported on stderr with exit 1. */
export class Refused extends Error {}

/** The bytes of an input file; a file that cannot be read is a refusal (exit 1), not a usage error. */
export async function readInput(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    throw new Refused(`cannot read ${path}: ${(err as Error).message}`);
  }
}

/** An ISO date option, now when absent; a date that does not parse is a usage error (exit 64). */
export function dateOption(value: string | undefined, name: string): Date {
  const at = value ? new Date(value) : new Date();
  if (Number.isNaN(at.getTime())) throw new UsageError(`--${name} is not an ISO date: ${value}`);
  return at;
}
