import { DirectoryError } from "../../domain/directory/index.ts";
import { KeyError } from "../../pki/index.ts";
import { EXIT, type CliIo, type Command } from "../io.ts";
import { runGroup, type GroupSpec } from "../spec.ts";
import { BUILD_SPEC, build } from "./directory/build.ts";
import { Refused } from "./directory/input.ts";
import { SIGN_SPEC, sign } from "./directory/sign.ts";
import { VERIFY_SPEC, verify } from "./directory/verify.ts";

const GROUP: GroupSpec = {
  name: "directory",
  about: [
    "The national root operator's tools for the directory (trust list): agencies, gateway URLs, seal and",
    "receipt certificates and checkpoint keys, sealed by the directory operator.",
  ],
  subcommands: {
    build: { spec: BUILD_SPEC, run: (args, io) => reported(build, args, io) },
    sign: { spec: SIGN_SPEC, run: (args, io) => reported(sign, args, io) },
    verify: { spec: VERIFY_SPEC, run: (args, io) => reported(verify, args, io) },
  },
};

/**
 * `jiexu directory build|sign|verify` (issue 5 item 1). Exit codes: 0 done / valid, 1 invalid or expired
 * (verify) or refused input (build, sign), 64 usage, 66 an input that cannot be read. Each subcommand lives
 * in directory/; this module dispatches and reports refusals.
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  return runGroup(GROUP, args, io);
}

async function reported(command: Command, args: string[], io: CliIo): Promise<number> {
  try {
    return await command(args, io);
  } catch (err) {
    if (err instanceof Refused || err instanceof KeyError || err instanceof DirectoryError) {
      const code = (err as { code?: string }).code;
      io.err(`jiexu directory: ${code ? `${code}: ` : ""}${err.message}`);
      return EXIT.FAILED;
    }
    throw err;
  }
}
