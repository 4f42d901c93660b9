import type { CliIo } from "../io.ts";
import { runGroup, type GroupSpec } from "../spec.ts";
import { MAKE_SEAL_SPEC, makeSealCommand } from "./ses/make-seal.ts";
import { VERIFY_SEAL_SPEC, verifySealCommand } from "./ses/verify-seal.ts";

const GROUP: GroupSpec = {
  name: "ses",
  about: [
    "GB/T 38540-2020 electronic seals (电子印章): an SESeal made by a seal maker (制章者) names the SM2",
    "certificates that may sign with it; `jiexu seal --format ses --seal-file SEAL.der` signs a file with one",
    "(SES_Signature) and `jiexu verify` checks it like a CAdES seal.",
  ],
  subcommands: {
    "make-seal": { spec: MAKE_SEAL_SPEC, run: makeSealCommand },
    "verify-seal": { spec: VERIFY_SEAL_SPEC, run: verifySealCommand },
  },
};

/** `jiexu ses make-seal|verify-seal` (issue 16): each subcommand lives in ses/. */
export async function run(args: string[], io: CliIo): Promise<number> {
  return runGroup(GROUP, args, io);
}
