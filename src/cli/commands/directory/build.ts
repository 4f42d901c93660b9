import { join } from "node:path";
import {
  DEFAULT_SEAL_FORMATS,
  DIRECTORY_FORMAT,
  validateDirectory,
  type AgencyListing,
  type CertificateListing,
  type CheckpointLogListing,
  type Directory,
} from "../../../domain/directory/index.ts";
import { DEV_MARK } from "../../../dev/pki.ts";
import { MANIFEST_FILE } from "../../../dev/pki-files.ts";
import { sealMakerProblems, verifierKeyProblems } from "../../../usecases/index.ts";
import { EXIT, UsageError, writeOutput, type CliIo } from "../../io.ts";
import { parseCommand, usageText, type CommandSpec } from "../../spec.ts";
import { checkpointLogs } from "./checkpoint-keys.ts";
import { NOINPUT_EXIT, REFUSED_EXIT, Refused, dateOption, readInput } from "./input.ts";
import {
  manifestSealCertificate,
  refuseUnsealableFormats,
  sealCertificateListings,
  sealListing,
  sealProfileFields,
  type SealCertificates,
  type SealProfileFields,
} from "./seal-profile.ts";

/**
 * `jiexu directory build`: an unsealed directory listing the agencies named, their gateway URLs, the
 * seal and receipt certificates from the PKI manifest and each gateway's checkpoint keys.
 */
const DAY = 86_400_000;

interface ManifestAgency {
  id: string;
  name: string;
  seal: { cert: string };
  receipt: { cert: string };
}

interface Manifest {
  developmentOnly?: boolean;
  agencies?: ManifestAgency[];
}

type Route = { id: string; url: string };

export const BUILD_SPEC = {
  name: "directory build",
  usage: [
    "directory build --pki DIR --agency ID=URL [--agency …] [--checkpoint-key ID=VKEY_FILE[,notBefore=ISO][,notAfter=ISO]]…",
    "  [--seal-cert ID=CERT.pem]… [--seal-format ID=ses[,cades]]… [--seal-maker ID=CERT.pem]…",
    "  --sequence N [--valid-days D] [--operator NAME] [--issued-at ISO] --out directory.json",
  ],
  about: [
    "Build an unsealed directory: the agencies named, their gateway URLs, the seal and receipt certificates",
    "from the PKI manifest (DIR/manifest.json) and each gateway's checkpoint keys. Seal it with `directory sign`.",
  ],
  options: {
    pki: { type: "string" },
    agency: { type: "string", multiple: true },
    "checkpoint-key": { type: "string", multiple: true },
    "seal-cert": { type: "string", multiple: true },
    "seal-format": { type: "string", multiple: true },
    "seal-maker": { type: "string", multiple: true },
    sequence: { type: "string" },
    "valid-days": { type: "string", default: "7" },
    operator: { type: "string" },
    "issued-at": { type: "string" },
    out: { type: "string" },
  },
  optionHelp: [
    ["--pki DIR", "a PKI written by `jiexu pki init` (its manifest.json)"],
    ["--agency ID=URL", "an agency and its gateway's URL (repeatable)"],
    ["--checkpoint-key ID=FILE", "a gateway's C2SP vkey (GET /v1/archive/key), optional notBefore=/notAfter="],
    [
      "--seal-cert ID=CERT",
      "the agency's seal certificate(s) instead of the PKI manifest's (repeatable; e.g. its SM2 one for ses)",
    ],
    ["--seal-format ID=LIST", "the agency's seal formats: cades (default), ses (GB/T 38540), or both"],
    [
      "--seal-maker ID=CERT",
      "a trust anchor for the agency's SES seal makers (repeatable; default: the gateways' own)",
    ],
    ["--sequence N", "the directory's sequence number (each new one higher)"],
    ["--valid-days D", "days until it expires (default 7)"],
    ["--operator NAME", "the operator's name"],
    ["--issued-at ISO", "its issue time (default now)"],
    ["--out FILE", "where to write it"],
  ],
  exits: [
    [EXIT.OK, "written"],
    REFUSED_EXIT,
    [EXIT.DATAERR, "SEAL_FORMAT_CERT_MISMATCH: a listed format no listed seal certificate can make"],
    NOINPUT_EXIT,
  ],
} satisfies CommandSpec;

export async function build(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(BUILD_SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values } = parsed;
  if (!values.pki || !values.agency?.length || !values.out)
    throw new UsageError(`--pki, --agency and --out are required\n${usageText(BUILD_SPEC)}`);
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
  const manifestPath = join(values.pki, MANIFEST_FILE);
  const manifest = JSON.parse(new TextDecoder().decode(await readInput(manifestPath))) as Manifest;
  const profiles = await sealProfileFields(
    values["seal-format"] ?? [],
    values["seal-maker"] ?? [],
    routes.map((r) => r.id),
  );
  const sealCerts = await sealCertificateListings(
    values["seal-cert"] ?? [],
    routes.map((r) => r.id),
  );
  const agencies = await agencyListings(routes, manifest, values.pki, logs, { sealCerts, profiles });
  const operator = values.operator ?? `接续全国根运营方${manifest.developmentOnly ? ` (${DEV_MARK})` : ""}`;
  const directory: Directory = {
    jiexuDirectory: DIRECTORY_FORMAT,
    operator,
    sequence,
    issuedAt: period.notBefore,
    expiresAt: period.notAfter,
    agencies,
  };
  refuseNonconforming(directory);
  writeOutput(values.out, JSON.stringify(directory, null, 2) + "\n");
  io.out(
    `wrote ${values.out}: directory ${sequence}, ${agencies.length} agencies, expires ${directory.expiresAt} (unsealed: run jiexu directory sign)`,
  );
  const unlogged = agencies.filter((a) => !a.checkpoint).map((a) => a.id);
  if (unlogged.length)
    io.err(`note: no --checkpoint-key for ${unlogged.join(", ")}: no peer will witness their gateways' checkpoints`);
  return 0;
}

function positiveInteger(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!value || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
  return n;
}

function agencyRoute(spec: string): Route {
  const eq = spec.indexOf("=");
  const id = spec.slice(0, eq);
  const url = spec.slice(eq + 1);
  if (eq <= 0 || !/^https?:\/\/\S+$/.test(url) || !URL.canParse(url))
    throw new UsageError(`--agency wants ID=http(s)://…, got '${spec}'`);
  return { id, url };
}

/** One listing per route, in the order given, with the agency's certificates from the PKI manifest. */
async function agencyListings(
  routes: Route[],
  manifest: Manifest,
  pki: string,
  logs: Map<string, CheckpointLogListing>,
  seals: { sealCerts: Map<string, SealCertificates>; profiles: Map<string, SealProfileFields> },
): Promise<AgencyListing[]> {
  const agencies: AgencyListing[] = [];
  for (const route of routes) {
    const entry = manifest.agencies?.find((a) => a.id === route.id);
    if (!entry) throw new Refused(`agency ${route.id} is not in ${join(pki, MANIFEST_FILE)}`);
    const certs = seals.sealCerts.get(route.id) ?? (await manifestSealCertificate(join(pki, entry.seal.cert)));
    const profile = seals.profiles.get(route.id);
    refuseUnsealableFormats(route.id, profile?.sealFormats ?? DEFAULT_SEAL_FORMATS, certs.keyTypes);
    const sealCertificates = certs.listings;
    const receiptCertificates = [await listing(join(pki, entry.receipt.cert))];
    const checkpoint = logs.get(route.id);
    agencies.push({
      id: route.id,
      name: entry.name,
      gatewayUrl: route.url,
      sealCertificates,
      receiptCertificates,
      ...(checkpoint ? { checkpoint } : {}),
      ...profile,
    });
  }
  return agencies;
}

/**
 * A directory is not written unless it conforms: the schema, then the listed checkpoint keys, every
 * problem named. Not the update rules (expiry, issue time, sequence): those are for the gateway that
 * loads it, and an operator may build one ahead of its issue time.
 */
function refuseNonconforming(directory: Directory): void {
  const validation = validateDirectory(directory);
  const problems = validation.ok
    ? [...verifierKeyProblems(directory), ...sealMakerProblems(directory)]
    : validation.problems;
  if (problems.length)
    throw new Refused(`the directory would not conform: ${problems.map((p) => `${p.path} ${p.message}`).join("; ")}`);
}

/** Fingerprint and validity period of a certificate file, as the directory lists it. */
async function listing(path: string): Promise<CertificateListing> {
  return (await sealListing(path)).listing;
}
