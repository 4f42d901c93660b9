import type { SealFormatName } from "../../../domain/directory/index.ts";
import type { CertificateListing } from "../../../domain/directory/index.ts";
import { certInfo, loadCertificates, toPem } from "../../../pki/index.ts";
import { CommandFailure, EXIT, UsageError } from "../../io.ts";
import { Refused, readInput } from "./input.ts";

/**
 * `--seal-format ID=ses[,cades]` and `--seal-maker ID=CERT.pem` of `jiexu directory build` (issue 16;
 * docs/national-seal.md): the formats an agency seals in and the trust anchors of its seal makers (制章者),
 * written as the directory's `sealFormats` and `sealMakers` (PEM, one certificate per entry).
 */
export interface SealProfileFields {
  sealFormats?: SealFormatName[];
  sealMakers?: string[];
}

const FORMATS: readonly string[] = ["cades", "ses"] satisfies SealFormatName[];

export async function sealProfileFields(
  formatSpecs: string[],
  makerSpecs: string[],
  routed: string[],
): Promise<Map<string, SealProfileFields>> {
  const fields = new Map<string, SealProfileFields>();
  const entry = (id: string, option: string) => {
    if (!routed.includes(id)) throw new UsageError(`--${option} names agency ${id}, which no --agency routes`);
    const listed = fields.get(id) ?? {};
    fields.set(id, listed);
    return listed;
  };
  for (const spec of formatSpecs) {
    const [id, list] = split(spec, "seal-format", "ID=ses[,cades]");
    const formats = list.split(",");
    if (formats.some((f) => !FORMATS.includes(f)) || new Set(formats).size !== formats.length)
      throw new UsageError(`--seal-format wants cades and/or ses, each once, got '${list}'`);
    entry(id, "seal-format").sealFormats = formats as SealFormatName[];
  }
  for (const spec of makerSpecs) {
    const [id, file] = split(spec, "seal-maker", "ID=CERT.pem");
    const listed = entry(id, "seal-maker");
    listed.sealMakers = [...(listed.sealMakers ?? []), ...(await pemCertificates(file))];
  }
  return fields;
}

function split(spec: string, option: string, shape: string): [string, string] {
  const eq = spec.indexOf("=");
  if (eq <= 0 || eq === spec.length - 1) throw new UsageError(`--${option} wants ${shape}, got '${spec}'`);
  return [spec.slice(0, eq), spec.slice(eq + 1)];
}

/** Each certificate of a PEM or DER file as one PEM text; a file without one is a refusal. */
async function pemCertificates(file: string): Promise<string[]> {
  try {
    return loadCertificates(await readInput(file)).map((der) => toPem(der, "CERTIFICATE"));
  } catch (err) {
    if (err instanceof CommandFailure) throw err;
    throw new Refused(`${file} holds no readable certificate: ${(err as Error).message}`);
  }
}

export async function sealListing(path: string): Promise<{ listing: CertificateListing; keyType: string }> {
  const [der] = loadCertificates(await readInput(path));
  const info = certInfo(der!);
  const listing = {
    sha256: info.sha256,
    notBefore: info.notBefore.toISOString(),
    notAfter: info.notAfter.toISOString(),
  };
  return { listing, keyType: info.keyType };
}

export async function manifestSealCertificate(path: string): Promise<SealCertificates> {
  const { listing, keyType } = await sealListing(path);
  return { listings: [listing], keyTypes: [keyType] };
}

export interface SealCertificates {
  listings: CertificateListing[];
  keyTypes: string[];
}

/** `--seal-cert ID=CERT.pem` (repeatable): the agency's listed seal certificates, in place of the manifest's. */
export async function sealCertificateListings(
  specs: string[],
  routed: string[],
): Promise<Map<string, SealCertificates>> {
  const certs = new Map<string, SealCertificates>();
  for (const spec of specs) {
    const [id, file] = split(spec, "seal-cert", "ID=CERT.pem");
    if (!routed.includes(id)) throw new UsageError(`--seal-cert names agency ${id}, which no --agency routes`);
    const { listing, keyType } = await sealListing(file);
    const listed = certs.get(id) ?? { listings: [], keyTypes: [] };
    certs.set(id, { listings: [...listed.listings, listing], keyTypes: [...listed.keyTypes, keyType] });
  }
  return certs;
}

/**
 * A format no listed certificate can seal in would refuse every document of the agency: SES (GB/T 38540) needs an
 * SM2 certificate, CAdES a non-SM2 one (the gateway seals SM2 keys as SES only). Exit 65 (data error).
 */
export function refuseUnsealableFormats(id: string, formats: readonly string[], keyTypes: string[]): void {
  const sm2 = keyTypes.filter((t) => t === "sm2").length;
  const problem =
    formats.includes("ses") && sm2 === 0
      ? "ses is listed but none of its seal certificates is SM2"
      : formats.includes("cades") && sm2 === keyTypes.length
        ? "cades is listed but all its seal certificates are SM2"
        : undefined;
  if (problem) throw new CommandFailure(`SEAL_FORMAT_CERT_MISMATCH: agency ${id}: ${problem}`, EXIT.DATAERR);
}
