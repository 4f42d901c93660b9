import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  DIRECTORY_FORMAT,
  DirectoryError,
  checkDirectoryUpdate,
  validateDirectory,
  type AgencyListing,
  type CertificateListing,
  type CheckpointKeyListing,
  type CheckpointLogListing,
  type Directory,
} from "../../domain/directory/index.ts";
import {
  DEFAULT_POLICY,
  KeyError,
  OFFLINE_DEV_POLICY,
  certInfo,
  createRevocationStore,
  createTrustStore,
  decodeCrlFile,
  loadCertificates,
  loadPrivateKey,
  openSealedDirectory,
  parseVerifierKey,
  sealDirectory,
  type VerificationReport,
} from "../../pki/index.ts";
import { DEV_MARK } from "../../dev/pki.ts";
import { MANIFEST_FILE } from "../../dev/pki-files.ts";
import { verifierKeyProblems } from "../../usecases/index.ts";
import { UsageError, parseCommandArgs, unknownSubcommand, type CliIo } from "../io.ts";
import { renderReport } from "./verify.ts";

/**
 * `jiexu directory build|sign|verify` (issue 5 item 1): the national root operator's tools for the
 * directory (trust list). Exit codes: 0 done / valid, 1 invalid or expired (verify) or refused input
 * (build, sign), 64 usage.
 */
const USAGE = [
  "usage: jiexu directory build --pki DIR --agency ID=URL [--agency …] [--checkpoint-key ID=VKEY_FILE[,notBefore=ISO][,notAfter=ISO]]…",
  "         --sequence N [--valid-days D] [--operator NAME] [--issued-at ISO] --out directory.json",
  "       jiexu directory sign --in directory.json --key operator.key.pem --cert operator.cert.pem [--chain PEM]… [--pass PW] --out directory.sealed.json",
  "       jiexu directory verify FILE --trust ROOT.pem [--trust …] [--crl FILE]… [--at ISO] [--revocation required|optional] [--json]",
].join("\n");

const DAY = 86_400_000;

/** A refusal of the command's input, reported on stderr with exit 1. */
class Refused extends Error {}

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

async function readInput(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    throw new Refused(`cannot read ${path}: ${(err as Error).message}`);
  }
}

function dateOption(value: string | undefined, name: string): Date {
  const at = value ? new Date(value) : new Date();
  if (Number.isNaN(at.getTime())) throw new UsageError(`--${name} is not an ISO date: ${value}`);
  return at;
}

function positiveInteger(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!value || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
  return n;
}

function agencyRoute(spec: string): { id: string; url: string } {
  const eq = spec.indexOf("=");
  const id = spec.slice(0, eq);
  const url = spec.slice(eq + 1);
  if (eq <= 0 || !/^https?:\/\/\S+$/.test(url) || !URL.canParse(url))
    throw new UsageError(`--agency wants ID=http(s)://…, got '${spec}'`);
  return { id, url };
}

interface ManifestAgency {
  id: string;
  name: string;
  seal: { cert: string };
  receipt: { cert: string };
}

async function build(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      pki: { type: "string" },
      agency: { type: "string", multiple: true },
      "checkpoint-key": { type: "string", multiple: true },
      sequence: { type: "string" },
      "valid-days": { type: "string", default: "7" },
      operator: { type: "string" },
      "issued-at": { type: "string" },
      out: { type: "string" },
    },
    USAGE,
  );
  if (positionals.length || !values.pki || !values.agency?.length || !values.out) throw new UsageError(USAGE);
  const sequence = positiveInteger(values.sequence, "sequence");
  const days = positiveInteger(values["valid-days"], "valid-days");
  const issuedAt = dateOption(values["issued-at"], "issued-at");
  const routes = values.agency.map(agencyRoute);
  const period = {
    notBefore: issuedAt.toISOString(),
    notAfter: new Date(issuedAt.getTime() + days * DAY).toISOString(),
  };
  const logs = await checkpointLogs(
    values["checkpoint-key"] ?? [],
    routes.map((r) => r.id),
    period,
  );
  const manifest = JSON.parse(new TextDecoder().decode(await readInput(join(values.pki, MANIFEST_FILE)))) as {
    developmentOnly?: boolean;
    agencies?: ManifestAgency[];
  };
  const agencies: AgencyListing[] = [];
  for (const route of routes) {
    const entry = manifest.agencies?.find((a) => a.id === route.id);
    if (!entry) throw new Refused(`agency ${route.id} is not in ${join(values.pki, MANIFEST_FILE)}`);
    const sealCertificates = [await listing(join(values.pki, entry.seal.cert))];
    const receiptCertificates = [await listing(join(values.pki, entry.receipt.cert))];
    const checkpoint = logs.get(route.id);
    agencies.push({
      id: route.id,
      name: entry.name,
      gatewayUrl: route.url,
      sealCertificates,
      receiptCertificates,
      ...(checkpoint ? { checkpoint } : {}),
    });
  }
  const operator = values.operator ?? `接续全国根运营方${manifest.developmentOnly ? ` (${DEV_MARK})` : ""}`;
  const directory: Directory = {
    jiexuDirectory: DIRECTORY_FORMAT,
    operator,
    sequence,
    issuedAt: period.notBefore,
    expiresAt: period.notAfter,
    agencies,
  };
  const validation = validateDirectory(directory);
  const problems = validation.ok ? verifierKeyProblems(directory) : validation.problems;
  if (problems.length)
    throw new Refused(`the directory would not conform: ${problems.map((p) => `${p.path} ${p.message}`).join("; ")}`);
  await writeFile(values.out, JSON.stringify(directory, null, 2) + "\n");
  io.out(
    `wrote ${values.out}: directory ${sequence}, ${agencies.length} agencies, expires ${directory.expiresAt} (unsealed: run jiexu directory sign)`,
  );
  const unlogged = agencies.filter((a) => !a.checkpoint).map((a) => a.id);
  if (unlogged.length)
    io.err(`note: no --checkpoint-key for ${unlogged.join(", ")}: no peer will witness their gateways' checkpoints`);
  return 0;
}

/**
 * `--checkpoint-key ID=FILE[,notBefore=ISO][,notAfter=ISO]`: the gateway's C2SP vkey (as its
 * GET /v1/archive/key answers), pinned for the window given (the directory's own by default). Give
 * several for one agency to roll a key over; the key's name is the log's origin.
 */
async function checkpointLogs(
  specs: string[],
  routed: string[],
  period: { notBefore: string; notAfter: string },
): Promise<Map<string, CheckpointLogListing>> {
  const logs = new Map<string, CheckpointLogListing>();
  for (const spec of specs) {
    const eq = spec.indexOf("=");
    const [file, ...options] = spec.slice(eq + 1).split(",");
    const id = spec.slice(0, eq);
    if (eq <= 0 || !file)
      throw new UsageError(`--checkpoint-key wants ID=VKEY_FILE[,notBefore=ISO][,notAfter=ISO], got '${spec}'`);
    if (!routed.includes(id)) throw new UsageError(`--checkpoint-key names agency ${id}, which no --agency routes`);
    const vkey = new TextDecoder().decode(await readInput(file)).trim();
    let origin: string;
    try {
      origin = parseVerifierKey(vkey).name;
    } catch (err) {
      throw new Refused(`${file} is not a C2SP verifier key: ${(err as Error).message}`);
    }
    const key: CheckpointKeyListing = { vkey, ...period, ...keyWindow(options) };
    const log = logs.get(id) ?? { origin, keys: [] };
    if (log.origin !== origin)
      throw new Refused(`the keys given for agency ${id} name two origins: ${log.origin} and ${origin}`);
    log.keys.push(key);
    logs.set(id, log);
  }
  return logs;
}

function keyWindow(options: string[]): Partial<Pick<CheckpointKeyListing, "notBefore" | "notAfter">> {
  const window: Partial<Pick<CheckpointKeyListing, "notBefore" | "notAfter">> = {};
  for (const option of options) {
    const [name, value] = option.split("=", 2);
    if ((name !== "notBefore" && name !== "notAfter") || !value)
      throw new UsageError(`--checkpoint-key knows notBefore=ISO and notAfter=ISO, not '${option}'`);
    window[name] = dateOption(value, name).toISOString();
  }
  return window;
}

/** Fingerprint and validity period of a certificate file, as the directory lists it. */
async function listing(path: string): Promise<CertificateListing> {
  const [der] = loadCertificates(await readInput(path));
  const info = certInfo(der!);
  return { sha256: info.sha256, notBefore: info.notBefore.toISOString(), notAfter: info.notAfter.toISOString() };
}

async function sign(args: string[], io: CliIo): Promise<number> {
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
  let directory: Directory;
  try {
    directory = JSON.parse(new TextDecoder().decode(await readInput(values.in))) as Directory;
  } catch (err) {
    if (err instanceof Refused) throw err;
    throw new DirectoryError("DIRECTORY_SCHEMA", `${values.in} is not JSON: ${(err as Error).message}`);
  }
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

async function verify(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      trust: { type: "string", multiple: true },
      crl: { type: "string", multiple: true },
      at: { type: "string" },
      revocation: { type: "string", default: "required" },
      json: { type: "boolean" },
    },
    USAGE,
  );
  if (positionals.length !== 1 || !values.trust?.length) throw new UsageError(USAGE);
  if (values.revocation !== "required" && values.revocation !== "optional")
    throw new UsageError("--revocation is required or optional");
  const at = dateOption(values.at, "at");
  const bytes = await readInput(positionals[0]!);
  const trust = createTrustStore((await Promise.all(values.trust.map(readInput))).flatMap((b) => loadCertificates(b)));
  const crls = createRevocationStore(
    (await Promise.all((values.crl ?? []).map(readInput))).flatMap((b) => decodeCrlFile(b)),
  );
  const policy = values.revocation === "optional" ? OFFLINE_DEV_POLICY : DEFAULT_POLICY;
  try {
    const { directory, report } = openSealedDirectory(bytes, { trust, crls, at, policy });
    const update = checkDirectoryUpdate(undefined, directory, at);
    const badKeys = update.ok ? verifierKeyProblems(update.directory) : [];
    const error = !update.ok
      ? update.error
      : badKeys.length
        ? new DirectoryError(
            "DIRECTORY_SCHEMA",
            `directory does not conform: ${badKeys[0]!.path} ${badKeys[0]!.message}`,
            { problems: badKeys },
          )
        : undefined;
    io.out(
      values.json
        ? JSON.stringify(
            { valid: !error, ...(error ? { code: error.code, message: error.message } : {}), directory, report },
            null,
            2,
          )
        : human(directory, error),
    );
    return error ? 1 : 0;
  } catch (err) {
    if (!(err instanceof DirectoryError)) throw err;
    // openSealedDirectory attaches the pki's full report to DIRECTORY_SEAL_INVALID.
    const report = err.report as VerificationReport | undefined;
    const text = values.json
      ? JSON.stringify(
          {
            valid: false,
            code: err.code,
            message: err.message,
            ...(err.problems ? { problems: err.problems } : {}),
            ...(report ? { report } : {}),
          },
          null,
          2,
        )
      : [`✗ ${err.code}: ${err.message}`, ...(report ? [renderReport(report)] : [])].join("\n");
    io.out(text);
    return 1;
  }
}

function human(d: Directory, error: DirectoryError | undefined): string {
  const head = error
    ? `✗ ${error.code}: ${error.message}`
    : `✓ directory ${d.sequence} is valid (sealed by a directory operator)`;
  const lines = [
    head,
    `operator:  ${d.operator}`,
    `issued:    ${d.issuedAt}`,
    `expires:   ${d.expiresAt}`,
    `agencies:  ${d.agencies.length}`,
  ];
  for (const a of d.agencies) {
    lines.push(`  ${a.id.padEnd(10)} ${a.gatewayUrl}  ${a.name}`);
    for (const [role, list] of [
      ["seal", a.sealCertificates],
      ["receipt", a.receiptCertificates],
    ] as const) {
      for (const c of list)
        lines.push(`    ${role.padEnd(8)} ${c.sha256.slice(0, 16)}…  ${c.notBefore} → ${c.notAfter}`);
    }
    for (const k of a.checkpoint?.keys ?? []) lines.push(`    log      ${k.vkey}  ${k.notBefore} → ${k.notAfter}`);
  }
  return lines.join("\n");
}
