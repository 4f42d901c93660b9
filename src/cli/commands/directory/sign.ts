import { writeFile } from "node:fs/promises";
import { DirectoryError, type Directory } from "../../../domain/directory/index.ts";
import { certInfo, loadCertificates, loadPrivateKey, sealDirectory } from "../../../pki/index.ts";
import { UsageError, parseCommandArgs, type CliIo } from "../../io.ts";
import { Refused, USAGE, dateOption, readInput } from "./input.ts";

/**
 * `jiexu directory sign`: seal a built directory with the operator's key. sealDirectory refuses a key
 * whose certificate is not a directory operator's (DIRECTORY_SEAL_INVALID, exit 1).
 */
export async function sign(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      in: { type: "string" },
      key: { type: "string" },
      cert: { type: "string" },
      chain: { type: "string", multiple: true },
      pass: { type: "string" },
      out: { type: "string" },
      "signing-time": { type: "string" },
    },
    USAGE,
  );
  if (positionals.length || !values.in || !values.key || !values.cert || !values.out) throw new UsageError(USAGE);
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
  await writeFile(values.out, sealed + "\n");
  io.out(
    `sealed directory ${directory.sequence} → ${values.out} (operator certificate sha256 ${certInfo(certificate!).sha256})`,
  );
  return 0;
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
