import { chmod, mkdir, readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { DEV_MARK, DEV_PKI_ALGORITHMS, createDevPki, pem, type DevPki, type DevPkiAlgorithm } from "../../dev/pki.ts";
import { DEV_P12_PASSWORD, MANIFEST_FILE, devPkiFiles, type DevPkiFile } from "../../dev/pki-files.ts";
import { KeyError, exportPkcs12, importPkcs12, loadCertificates, loadPrivateKey } from "../../pki/index.ts";
import { CommandFailure, EXIT, UsageError, writeOutput, type CliIo, type Command } from "../io.ts";
import { createProgress } from "../progress.ts";
import { parseCommand, runGroup, usageText, type CommandSpec, type GroupSpec } from "../spec.ts";

const INIT_SPEC = {
  name: "pki init",
  usage: [`pki init [--dir certs/dev] [--alg ${DEV_PKI_ALGORITHMS.join("|")}] [--force]`],
  about: [
    "Write a development PKI (never for production): root CA, issuing CA (pathLen 0), seal and receipt",
    "certificates per agency, a revoked earlier seal, the directory operator's certificate, CRLs and .p12 files.",
    "With --alg sm2 (GB/T 38540 seals): SM2 CAs and seal keys signed SM3withSM2, and the seal maker (制章者).",
  ],
  options: {
    dir: { type: "string", default: "certs/dev" },
    alg: { type: "string", default: "ecdsa-p256" },
    force: { type: "boolean" },
  },
  optionHelp: [
    ["--dir DIR", "where to write it (default certs/dev)"],
    ["--alg ALG", `key algorithm: ${DEV_PKI_ALGORITHMS.join(", ")} (default ecdsa-p256)`],
    ["--force", "replace a development PKI already in DIR"],
  ],
  exits: [
    [EXIT.OK, "written"],
    [EXIT.CANTCREAT, "DIR already holds a development PKI (without --force)"],
  ],
} satisfies CommandSpec;

const EXPORT_SPEC = {
  name: "pki export-p12",
  usage: [
    "pki export-p12 --key KEY.pem --cert CERT.pem [--chain PEM]... --pass PW --out FILE.p12 [--key-pass PW] [--name NAME] [--force]",
  ],
  about: ["Bundle a seal key and its certificate(s) as PKCS#12 (PBES2 AES-256-CBC, HMAC-SHA256 MAC, as OpenSSL 3)."],
  options: {
    key: { type: "string" },
    cert: { type: "string" },
    chain: { type: "string", multiple: true },
    pass: { type: "string" },
    out: { type: "string" },
    "key-pass": { type: "string" },
    name: { type: "string" },
    force: { type: "boolean" },
  },
  optionHelp: [
    ["--key KEY.pem", "the private key (PKCS#8 PEM; encrypted with --key-pass)"],
    ["--cert CERT.pem", "its certificate (more certificates in the file = chain)"],
    ["--chain PEM", "intermediate certificates (repeatable)"],
    ["--pass PW", "the .p12 password"],
    ["--out FILE.p12", "where to write it"],
    ["--key-pass PW", "the password of an encrypted --key"],
    ["--name NAME", "the friendly name"],
    ["--force", "overwrite --out"],
  ],
  exits: [
    [EXIT.OK, "written"],
    [EXIT.DATAERR, "the key does not load or does not match the certificate"],
    [EXIT.NOINPUT, "an input file cannot be read"],
    [EXIT.CANTCREAT, "--out exists (without --force)"],
  ],
} satisfies CommandSpec;

const IMPORT_SPEC = {
  name: "pki import-p12",
  usage: ["pki import-p12 --in FILE.p12 --pass PW --out-key KEY.pem --out-cert CERT.pem [--out-chain PEM] [--force]"],
  about: ["Extract the key (PKCS#8 PEM, 0600), the certificate and the chain from a PKCS#12 file."],
  options: {
    in: { type: "string" },
    pass: { type: "string" },
    "out-key": { type: "string" },
    "out-cert": { type: "string" },
    "out-chain": { type: "string" },
    force: { type: "boolean" },
  },
  optionHelp: [
    ["--in FILE.p12", "the PKCS#12 file"],
    ["--pass PW", "its password"],
    ["--out-key KEY.pem", "where to write the key"],
    ["--out-cert CERT.pem", "where to write the certificate (followed by the chain without --out-chain)"],
    ["--out-chain PEM", "where to write the chain"],
    ["--force", "overwrite the outputs"],
  ],
  exits: EXPORT_SPEC.exits,
} satisfies CommandSpec;

const GROUP: GroupSpec = {
  name: "pki",
  about: ["The development PKI and PKCS#12 seal keys (never for production)."],
  subcommands: {
    init: { spec: INIT_SPEC, run: (args, io) => guarded(init, args, io) },
    "export-p12": { spec: EXPORT_SPEC, run: (args, io) => guarded(exportP12, args, io) },
    "import-p12": { spec: IMPORT_SPEC, run: (args, io) => guarded(importP12, args, io) },
  },
};

export async function run(args: string[], io: CliIo): Promise<number> {
  return runGroup(GROUP, args, io);
}

async function guarded(command: Command, args: string[], io: CliIo): Promise<number> {
  try {
    return await command(args, io);
  } catch (err) {
    if (err instanceof KeyError) return fail(io, `${err.code}: ${err.message}`, EXIT.DATAERR);
    if (err instanceof CommandFailure) return fail(io, err.message, err.exitCode);
    throw err;
  }
}

function fail(io: CliIo, message: string, code: number): number {
  io.err(`jiexu pki: ${message}`);
  return code;
}

async function init(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(INIT_SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values } = parsed;
  const algorithm = values.alg as DevPkiAlgorithm;
  if (!DEV_PKI_ALGORITHMS.includes(algorithm))
    throw new UsageError(`--alg must be one of ${DEV_PKI_ALGORITHMS.join(", ")}`);
  const dir = values.dir;
  if (!values.force && (await exists(join(dir, MANIFEST_FILE)))) {
    throw new CommandFailure(`${dir} already holds a development PKI; use --force to replace it`, EXIT.CANTCREAT);
  }
  // Several seconds of key generation and PKCS#12 encryption: shown on stderr as it goes.
  const progress = createProgress(io, "pki init");
  try {
    progress.phase(`generating keys and certificates (${algorithm})`);
    const pki = await createDevPki({ algorithm, now: new Date() });
    progress.phase("encrypting the .p12 files");
    const files = await devPkiFiles(pki);
    progress.phase(`writing ${files.length} files to ${dir}`);
    await writeFiles(dir, files);
    progress.end();
    io.out(summary(dir, pki));
  } finally {
    progress.end();
  }
  return EXIT.OK;
}

async function writeFiles(dir: string, files: DevPkiFile[]): Promise<void> {
  for (const file of files) await writeOne(join(dir, file.path), file.contents, file.mode);
}

async function writeOne(path: string, contents: string | Uint8Array, mode: number): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (err) {
    throw new CommandFailure(`cannot write ${path} (${(err as { code?: string }).code ?? "error"})`, EXIT.CANTCREAT);
  }
  writeOutput(path, contents, { mode });
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
  const parsed = parseCommand(EXPORT_SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values } = parsed;
  const { key, cert, pass, out } = values;
  if (!key || !cert || pass === undefined || !out)
    throw new UsageError(`--key, --cert, --pass and --out are required\n${usageText(EXPORT_SPEC)}`);
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
  return EXIT.OK;
}

async function importP12(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(IMPORT_SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values } = parsed;
  const { in: input, pass, "out-key": outKey, "out-cert": outCert, "out-chain": outChain } = values;
  if (!input || pass === undefined || !outKey || !outCert)
    throw new UsageError(`--in, --pass, --out-key and --out-cert are required\n${usageText(IMPORT_SPEC)}`);
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
  return EXIT.OK;
}

async function readInput(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    throw new CommandFailure(`cannot read ${path}: ${(err as Error).message}`, EXIT.NOINPUT);
  }
}

async function refuseOverwrite(paths: string[], force: boolean | undefined): Promise<void> {
  if (force) return;
  for (const path of paths) {
    if (await exists(path)) throw new CommandFailure(`${path} exists; use --force to overwrite`, EXIT.CANTCREAT);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
