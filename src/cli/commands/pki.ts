import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { DEV_MARK, DEV_PKI_ALGORITHMS, createDevPki, pem, type DevPki, type DevPkiAlgorithm } from "../../dev/pki.ts";
import { DEV_P12_PASSWORD, MANIFEST_FILE, devPkiFiles, type DevPkiFile } from "../../dev/pki-files.ts";
import { KeyError, exportPkcs12, importPkcs12, loadCertificates, loadPrivateKey } from "../../pki/index.ts";
import { UsageError, parseCommandArgs, unknownSubcommand, type CliIo } from "../io.ts";

// sysexits.h: 65 data error (unreadable key, wrong password), 66 input missing, 73 cannot create output.
const EXIT_DATAERR = 65;
const EXIT_NOINPUT = 66;
const EXIT_CANTCREAT = 73;

const USAGE = [
  "usage: jiexu pki init [--dir certs/dev] [--alg ecdsa-p256|ecdsa-p384|rsa-2048] [--force]",
  "       jiexu pki export-p12 --key KEY.pem --cert CERT.pem [--chain PEM]... --pass PW --out FILE.p12 [--key-pass PW] [--name NAME] [--force]",
  "       jiexu pki import-p12 --in FILE.p12 --pass PW --out-key KEY.pem --out-cert CERT.pem [--out-chain PEM] [--force]",
].join("\n");

/** A file-level failure the command reports with its own exit code (not a usage mistake). */
class CommandFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub === "init") return await init(rest, io);
    if (sub === "export-p12") return await exportP12(rest, io);
    if (sub === "import-p12") return await importP12(rest, io);
  } catch (err) {
    if (err instanceof KeyError) return fail(io, `${err.code}: ${err.message}`, EXIT_DATAERR);
    if (err instanceof CommandFailure) return fail(io, err.message, err.exitCode);
    throw err;
  }
  return unknownSubcommand(sub, USAGE, io);
}

function fail(io: CliIo, message: string, code: number): number {
  io.err(`jiexu pki: ${message}`);
  return code;
}

async function init(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      dir: { type: "string", default: "certs/dev" },
      alg: { type: "string", default: "ecdsa-p256" },
      force: { type: "boolean" },
    },
    USAGE,
  );
  if (positionals.length > 0) throw new UsageError(USAGE);
  const algorithm = values.alg as DevPkiAlgorithm;
  if (!DEV_PKI_ALGORITHMS.includes(algorithm))
    throw new UsageError(`--alg must be one of ${DEV_PKI_ALGORITHMS.join(", ")}`);
  const dir = values.dir;
  if (!values.force && (await exists(join(dir, MANIFEST_FILE)))) {
    throw new CommandFailure(`${dir} already holds a development PKI; use --force to replace it`, EXIT_CANTCREAT);
  }
  const pki = await createDevPki({ algorithm, now: new Date() });
  await writeFiles(dir, await devPkiFiles(pki));
  io.out(summary(dir, pki));
  return 0;
}

async function writeFiles(dir: string, files: DevPkiFile[]): Promise<void> {
  for (const file of files) await writeOne(join(dir, file.path), file.contents, file.mode);
}

async function writeOne(path: string, contents: string | Uint8Array, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, contents, { mode });
  // `mode` only applies when the file is created; an overwritten key must still end up 0600.
  await chmod(path, mode);
}

function summary(dir: string, pki: DevPki): string {
  const short = (fp: string) => `${fp.slice(0, 16)}…`;
  const lines = [
    `${DEV_MARK}: development PKI (${pki.algorithm}) written to ${dir}`,
    `  root     ${short(pki.root.fingerprint)}  ${join(dir, "root.cert.pem")} (trust anchor)`,
    `  issuing  ${short(pki.issuing.fingerprint)}  ${join(dir, "chain.pem")} (intermediates)`,
    ...pki.agencies.map(
      (a) =>
        `  ${a.spec.id.padEnd(8)} seal ${short(a.seal.fingerprint)}  receipt ${short(a.receipt.fingerprint)}  ${a.spec.name}`,
    ),
    ...pki.revoked.map((r) => `  revoked  ${r.agencyId} earlier seal certificate (${r.reason}), on issuing.crl.der`),
    `  operator ${short(pki.operator.fingerprint)}  ${join(dir, "operator.cert.pem")} (seals the directory)`,
    `  seal.p12 password: ${DEV_P12_PASSWORD}`,
  ];
  return lines.join("\n");
}

async function exportP12(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      key: { type: "string" },
      cert: { type: "string" },
      chain: { type: "string", multiple: true },
      pass: { type: "string" },
      out: { type: "string" },
      "key-pass": { type: "string" },
      name: { type: "string" },
      force: { type: "boolean" },
    },
    USAGE,
  );
  const { key, cert, pass, out } = values;
  if (positionals.length > 0 || !key || !cert || pass === undefined || !out) throw new UsageError(USAGE);
  await refuseOverwrite([out], values.force);
  const [leaf, ...rest] = loadCertificates(await readInput(cert));
  const chain = [
    ...rest,
    ...(await Promise.all((values.chain ?? []).map(async (f) => loadCertificates(await readInput(f))))).flat(),
  ];
  const loaded = await loadPrivateKey(await readInput(key), { password: values["key-pass"], certificate: leaf! });
  const privateKeyPkcs8 = new Uint8Array(loaded.privateKey.export({ type: "pkcs8", format: "der" }));
  const p12 = await exportPkcs12(
    { privateKeyPkcs8, certificate: leaf!, chain, ...(values.name ? { friendlyName: values.name } : {}) },
    pass,
  );
  await writeOne(out, p12, 0o600);
  io.out(
    `wrote ${out} (key, certificate and ${chain.length} chain certificate(s); PBES2 AES-256-CBC, HMAC-SHA256 MAC)`,
  );
  return 0;
}

async function importP12(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      in: { type: "string" },
      pass: { type: "string" },
      "out-key": { type: "string" },
      "out-cert": { type: "string" },
      "out-chain": { type: "string" },
      force: { type: "boolean" },
    },
    USAGE,
  );
  const { in: input, pass, "out-key": outKey, "out-cert": outCert, "out-chain": outChain } = values;
  if (positionals.length > 0 || !input || pass === undefined || !outKey || !outCert) throw new UsageError(USAGE);
  await refuseOverwrite([outKey, outCert, ...(outChain ? [outChain] : [])], values.force);
  const bundle = await importPkcs12(await readInput(input), pass);
  // Check the pair the same way `jiexu seal` will load it (KEY_CERT_MISMATCH if the file is inconsistent).
  if (bundle.certificate) await loadPrivateKey(bundle.privateKeyPkcs8, { certificate: bundle.certificate });
  const chainPem = bundle.chain.map((c) => pem(c, "CERTIFICATE")).join("");
  const certPem = bundle.certificate ? pem(bundle.certificate, "CERTIFICATE") : "";
  await writeOne(outKey, pem(bundle.privateKeyPkcs8, "PRIVATE KEY"), 0o600);
  // Without --out-chain the chain follows the certificate, leaf first, as `openssl pkcs12 -nokeys` prints it.
  await writeOne(outCert, outChain ? certPem : certPem + chainPem, 0o644);
  if (outChain) await writeOne(outChain, chainPem, 0o644);
  io.out(
    `wrote ${outKey} (PKCS#8) and ${outCert}${bundle.certificate ? "" : " (no certificate matched the key)"}; ${bundle.chain.length} chain certificate(s)`,
  );
  return 0;
}

async function readInput(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    throw new CommandFailure(`cannot read ${path}: ${(err as Error).message}`, EXIT_NOINPUT);
  }
}

async function refuseOverwrite(paths: string[], force: boolean | undefined): Promise<void> {
  if (force) return;
  for (const path of paths) {
    if (await exists(path)) throw new CommandFailure(`${path} exists; use --force to overwrite`, EXIT_CANTCREAT);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
