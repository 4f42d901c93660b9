import type { CheckpointKeyListing, CheckpointLogListing } from "../../../domain/directory/index.ts";
import { parseVerifierKey } from "../../../pki/index.ts";
import { UsageError } from "../../io.ts";
import { Refused, dateOption, readInput } from "./input.ts";

type Period = { notBefore: string; notAfter: string };

/**
 * `--checkpoint-key ID=FILE[,notBefore=ISO][,notAfter=ISO]`: the gateway's C2SP vkey (as its
 * GET /v1/archive/key answers), pinned for the window given (the directory's own by default). Give
 * several for one agency to roll a key over; the key's name is the log's origin.
 */
export async function checkpointLogs(
  specs: string[],
  routed: string[],
  period: Period,
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
    const origin = originOf(vkey, file);
    const key: CheckpointKeyListing = { vkey, ...period, ...keyWindow(options) };
    const log = logs.get(id) ?? { origin, keys: [] };
    if (log.origin !== origin)
      throw new Refused(`the keys given for agency ${id} name two origins: ${log.origin} and ${origin}`);
    log.keys.push(key);
    logs.set(id, log);
  }
  return logs;
}

/** The log origin a vkey names; a file that is not a vkey is a refusal. */
function originOf(vkey: string, file: string): string {
  try {
    return parseVerifierKey(vkey).name;
  } catch (err) {
    throw new Refused(`${file} is not a C2SP verifier key: ${(err as Error).message}`);
  }
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
