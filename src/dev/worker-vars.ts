import { exportNoteKeyPem, generateNoteKey } from "../pki/index.ts";
import type { DevPki } from "./pki.ts";

export interface DevWorkerToken {
  token: string;
  tokenId: string;
  role: "agency" | "compliance" | "admin";
  agencyId?: string;
}

/**
 * The Worker's vars and secrets for a development PKI (issue 14 item 2; the format is
 * src/runtime/worker-config.ts): JIEXU_CONFIG naming one binding per certificate, key and CRL, the PEM
 * texts under those names, a fresh checkpoint key, and JIEXU_TOKENS. `npm run dev:worker` writes them to
 * .dev.vars; the Workers tests pass them as the env. Development only: the keys are in the result.
 */
export function devWorkerVars(
  pki: DevPki,
  tokens: readonly DevWorkerToken[],
  settings: Record<string, unknown> = {},
): Record<string, string> {
  const vars: Record<string, string> = {
    TRUST_ANCHORS: pki.root.certificatePem,
    INTERMEDIATES: pki.issuing.certificatePem,
    CRLS: pki.root.crl.pem + pki.issuing.crl.pem,
    ARCHIVE_KEY: exportNoteKeyPem(generateNoteKey()),
  };
  const agencies = pki.agencies.map((a) => {
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
  return { ...vars, JIEXU_CONFIG: JSON.stringify(config), JIEXU_TOKENS: JSON.stringify(tokens) };
}
