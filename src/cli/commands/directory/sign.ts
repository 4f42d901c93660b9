import { DirectoryError, type Directory } from "../../../domain/directory/index.ts";
import { certInfo, loadCertificates, loadPrivateKey, sealDirectory } from "../../../pki/index.ts";
import { EXIT, UsageError, writeOutput, type CliIo } from "../../io.ts";
import { parseCommand, usageText, type CommandSpec } from "../../spec.ts";
import { NOINPUT_EXIT, REFUSED_EXIT, Refused, dateOption, readInput } from "./input.ts";

/**
 * `jiexu directory sign`: seal a built directory with the operator's key. sealDirectory refuses a key
 * whose certificate is not a directory operator's (DIRECTORY_SEAL_INVALID, exit 1).
 */
export const SIGN_SPEC = {
  name: "directory sign",
  usage: [
    "directory sign --in directory.json --key operator.key.pem --cert operator.cert.pem [--chain PEM]… [--pass PW] --out directory.sealed.json",
  ],
  about: ["Seal a built directory with the directory operator's key (a certificate that names the operator)."],
  options: {
    in: { type: "string" },
    key: { type: "string" },
    cert: { type: "string" },
    chain: { type: "string", multiple: true },
    pass: { type: "string" },
    out: { type: "string" },
    "signing-time": { type: "string" },
  },
  optionHelp: [
    ["--in FILE", "the directory `directory build` wrote"],
    ["--key KEY.pem", "the operator's key"],
    ["--cert CERT.pem", "the operator's certificate"],
    ["--chain PEM", "intermediate certificates (repeatable)"],
    ["--pass PW", "the key's password"],
    ["--out FILE", "where to write the sealed directory"],
    ["--signing-time ISO", "the signing time (default now)"],
  ],
  exits: [[EXIT.OK, "sealed"], REFUSED_EXIT, NOINPUT_EXIT],
} satisfies CommandSpec;

export async function sign(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(SIGN_SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values } = parsed;
  if (!values.in || !values.key || !values.cert || !values.out)
    throw new UsageError(`--in, --key, --cert and --out are required\n${usageText(SIGN_SPEC)}`);
  const signingTime = dateOption(values["signing-time"], "signing-time");
  const directory = await readDirectory(values.in);
  const [certificate, ...rest] = loadCertificates(await readInput(values.cert));
  const chain = [
    ...rest,
    ...(await Promise.all((values.chain ?? []).map(async (f) => loadCertificates(await readInput(f))))).flat(),
  ];
  const key = await loadPrivateKey(await readInput(values.key), {
    certificate: certificate!,
    ...(values.pass !== undefined ? { password: values.pass } : {}),
  });
  const sealed = sealDirectory(
    directory,
    { privateKey: key.privateKey, certificate: certificate!, chain },
    signingTime,
  );
  writeOutput(values.out, sealed + "\n");
  io.out(
    `sealed directory ${directory.sequence} → ${values.out} (operator certificate sha256 ${certInfo(certificate!).sha256})`,
  );
  return EXIT.OK;
}

/** The built directory's JSON; sealDirectory checks that it conforms. */
async function readDirectory(path: string): Promise<Directory> {
  try {
    return JSON.parse(new TextDecoder().decode(await readInput(path))) as Directory;
  } catch (err) {
    if (err instanceof Refused) throw err;
    throw new DirectoryError("DIRECTORY_SCHEMA", `${path} is not JSON: ${(err as Error).message}`);
  }
}
