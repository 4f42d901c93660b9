import { readFileSync } from "node:fs";
import { SesError, decodeSealFile, detectSealFormat, readSeal, verifySesSeal } from "../../../pki/index.ts";
import { CommandFailure, EXIT, UsageError, type CliIo } from "../../io.ts";
import { parseCommand, usageText, type CommandSpec } from "../../spec.ts";
import { INDICATION_EXIT, renderReport } from "../verify.ts";
import { verifyInputs } from "../verify-options.ts";

export const VERIFY_SEAL_SPEC = {
  name: "ses verify-seal",
  usage: [
    "ses verify-seal SEAL.der --trust ROOT.pem [--trust …] [--maker-trust ROOT.pem]… [--chain PEM]… [--crl FILE]… [--at ISO] [--revocation required|optional] [--json]",
  ],
  about: [
    "Verify a GB/T 38540 electronic seal by itself (SESeal v4, DER or PEM): its structure, the seal maker's",
    "SM3withSM2 signature over the seal information, that the maker is a seal maker (its chain to",
    "--maker-trust; without it, to --trust with SAN urn:jiexu:seal-maker), the maker's revocation and the",
    "seal's validity at --at. Prints the seal (name, id, holders, validity) and the report.",
  ],
  options: {
    trust: { type: "string", multiple: true },
    "maker-trust": { type: "string", multiple: true },
    chain: { type: "string", multiple: true },
    crl: { type: "string", multiple: true },
    at: { type: "string" },
    revocation: { type: "string" },
    json: { type: "boolean" },
  },
  optionHelp: [
    ["--trust ROOT.pem", "trust anchor(s) (repeatable; a PEM may hold several)"],
    [
      "--maker-trust ROOT.pem",
      "seal-maker (制章者) anchor(s) (repeatable; without it a maker needs SAN urn:jiexu:seal-maker)",
    ],
    ["--chain PEM", "intermediate CA certificates (repeatable)"],
    ["--crl FILE", "CRLs, DER or PEM (repeatable)"],
    ["--at ISO", "validation time (default now)"],
    ["--revocation R", "required (default: no CRL = INDETERMINATE) or optional"],
    ["--json", "print the report as JSON"],
  ],
  positionals: { min: 1, max: 1, name: "SEAL.der" },
  exits: [
    [EXIT.OK, "TOTAL_PASSED"],
    [EXIT.FAILED, "TOTAL_FAILED (e.g. the maker's signature does not verify; the check id is printed)"],
    [EXIT.INDETERMINATE, "INDETERMINATE (e.g. no CRL, unknown maker, outside its validity)"],
    [EXIT.DATAERR, "the file is not an SES seal (does not parse as SESeal v4)"],
    [EXIT.NOINPUT, "a file cannot be read"],
  ],
} satisfies CommandSpec;

/** `jiexu ses verify-seal SEAL.der`: the seal alone, as a seal maker or a relying party checks it. */
export async function verifySealCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(VERIFY_SEAL_SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values, positionals } = parsed;
  if (!values.trust?.length) throw new UsageError(`--trust is required\n${usageText(VERIFY_SEAL_SPEC)}`);
  const path = positionals[0]!;
  const der = decodeSealFile(new Uint8Array(readFileSync(path)));
  if (!der) throw new CommandFailure(`${path} is neither DER nor PEM`, EXIT.DATAERR);
  requireSeal(der, path);
  const { trust, makerTrust, crls, at, policy } = verifyInputs(values);
  const report = verifySesSeal(der, { trust, makerTrust, crls, at, policy });
  io.out(values.json ? JSON.stringify(report, null, 2) : renderReport(report));
  return INDICATION_EXIT[report.indication];
}

/** A seal that does not parse is bad input (65), not a verdict; an SES signature given here is pointed to verify. */
function requireSeal(der: Uint8Array, path: string): void {
  try {
    readSeal(der);
  } catch (err) {
    if (!(err instanceof SesError)) throw err;
    const hint =
      detectSealFormat(der) === "ses"
        ? " — an SES signature? `jiexu verify --content FILE --seal` checks it with the seal inside it"
        : "";
    throw new CommandFailure(`${err.code}: ${path} is not an SES seal (${err.message})${hint}`, EXIT.DATAERR);
  }
}
