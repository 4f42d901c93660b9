import type { SealFormatName } from "../../../domain/directory/index.ts";
import { loadCertificates } from "../../../pki/index.ts";
import { CommandFailure, UsageError } from "../../io.ts";
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

const FORMATS: readonly string[] = ["cades", "ses"];

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
    return loadCertificates(await readInput(file)).map(
      (der) =>
        `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n").trim()}\n-----END CERTIFICATE-----\n`,
    );
  } catch (err) {
    if (err instanceof CommandFailure) throw err;
    throw new Refused(`${file} holds no readable certificate: ${(err as Error).message}`);
  }
}
