import { exportNoteKeyPem, generateNoteKey } from "../pki/index.ts";
import type { DevPki } from "./pki.ts";

export interface DevWorkerToken {
  token: string;
  tokenId: string;
  role: "agency" | "compliance" | "admin";
  agencyId?: string;
}

export interface DevWorkerOptions {
  /** Host only these agencies of the PKI (default: all of them); the others' keys are left out too. */
  agencyIds?: readonly string[];
  /** The checkpoint key (PKCS#8 PEM) when a directory already pins it (default: a fresh one). */
  archiveKeyPem?: string;
  /** More bindings, e.g. the sealed directory text that `settings.directory` names. */
  bindings?: Record<string, string>;
}

/**
 * The Worker's vars and secrets for a development PKI (issue 14 item 2; the format is
 * src/runtime/worker-config.ts): JIEXU_CONFIG naming one binding per certificate, key and CRL, the PEM
 * texts under those names, a checkpoint key, and JIEXU_TOKENS. `npm run dev:worker` writes them to
 * .dev.vars; the Workers tests pass them as the env; the cross-runtime test hands them to `wrangler dev`.
 * `settings` is merged into the config. Development only: the keys are in the result.
 */
export function devWorkerVars(
  pki: DevPki,
  tokens: readonly DevWorkerToken[],
  settings: Record<string, unknown> = {},
  options: DevWorkerOptions = {},
): Record<string, string> {
  const vars: Record<string, string> = {
    TRUST_ANCHORS: pki.root.certificatePem,
    INTERMEDIATES: pki.issuing.certificatePem,
    CRLS: pki.root.crl.pem + pki.issuing.crl.pem,
    ARCHIVE_KEY: options.archiveKeyPem ?? exportNoteKeyPem(generateNoteKey()),
  };
  const hosted = pki.agencies.filter((a) => !options.agencyIds || options.agencyIds.includes(a.spec.id));
  const agencies = hosted.map((a) => {
    const id = a.spec.id.replace(/-/g, "_");
    vars[`SEAL_CERT_${id}`] = a.seal.certificatePem;
    vars[`SEAL_KEY_${id}`] = a.seal.privateKeyPem;
    vars[`RECEIPT_CERT_${id}`] = a.receipt.certificatePem;
    vars[`RECEIPT_KEY_${id}`] = a.receipt.privateKeyPem;
    return {
      id: a.spec.id,
      name: a.spec.name,
      seal: { cert: `SEAL_CERT_${id}`, key: `SEAL_KEY_${id}`, chain: ["INTERMEDIATES"] },
      receipt: { cert: `RECEIPT_CERT_${id}`, key: `RECEIPT_KEY_${id}`, chain: ["INTERMEDIATES"] },
    };
  });
  const config = {
    development: true,
    trustAnchors: ["TRUST_ANCHORS"],
    intermediates: ["INTERMEDIATES"],
    crls: ["CRLS"],
    archive: { key: "ARCHIVE_KEY" },
    agencies,
    ...settings,
  };
  return {
    ...vars,
    ...options.bindings,
    JIEXU_CONFIG: JSON.stringify(config),
    JIEXU_TOKENS: JSON.stringify(tokens),
  };
}

/**
 * Vars as a dotenv file (`.dev.vars`, `wrangler dev --env-file`): single-line values in single quotes
 * (taken literally), multi-line ones (PEM) in double quotes with `\n`, which dotenv expands.
 */
export function dotenvText(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([k, v]) => `${k}=${dotenvValue(k, v)}\n`)
    .join("");
}

function dotenvValue(name: string, value: string): string {
  if (!value.includes("\n")) {
    // wrangler runs dotenv-expand over the values: no `$` either.
    if (/['$]/.test(value)) throw new RangeError(`${name}: a value with ' or $ cannot be written to a dotenv file`);
    return `'${value}'`;
  }
  if (/["\\$]/.test(value))
    throw new RangeError(`${name}: a multi-line value with " \\ or $ cannot be written to a dotenv file`);
  return `"${value.replace(/\n/g, "\\n")}"`;
}
