import { DirectoryError } from "../../domain/directory/index.ts";
import { KeyError } from "../../pki/index.ts";
import { unknownSubcommand, type CliIo } from "../io.ts";
import { build } from "./directory/build.ts";
import { Refused, USAGE } from "./directory/input.ts";
import { sign } from "./directory/sign.ts";
import { verify } from "./directory/verify.ts";

/**
 * `jiexu directory build|sign|verify` (issue 5 item 1): the national root operator's tools for the
 * directory (trust list). Exit codes: 0 done / valid, 1 invalid or expired (verify) or refused input
 * (build, sign), 64 usage. Each subcommand lives in directory/; this module dispatches and reports
 * refusals.
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub === "build") return await build(rest, io);
    if (sub === "sign") return await sign(rest, io);
    if (sub === "verify") return await verify(rest, io);
  } catch (err) {
    if (err instanceof Refused || err instanceof KeyError || err instanceof DirectoryError) {
      const code = (err as { code?: string }).code;
      io.err(`jiexu directory: ${code ? `${code}: ` : ""}${err.message}`);
      return 1;
    }
    throw err;
  }
  return unknownSubcommand(sub, USAGE, io);
}
