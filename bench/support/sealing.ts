import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createPrivateKey } from "node:crypto";
import { loadCertificates } from "../../src/pki/keys.ts";
import { createSealer, type Sealer } from "../../src/pki/seal.ts";
import { canonicalBytes, sealedDocumentBytes, shanghaiTimestamp } from "../../src/usecases/canonical.ts";

/**
 * Sealing documents outside the gateway, the way an agency's own signing system (or a peer gateway)
 * would: keys and certificates from a development data directory's `pki/`, canonical bytes (JCS),
 * a CAdES seal, and the sealed-document bytes POSTed to /v1/exchange.
 */
export interface DocumentSealer {
  sealer: Sealer;
  /** Sealed-document bytes `{"document":…,"seal":"…"}` for a document object. */
  seal(document: object, signingTime?: Date): Uint8Array;
}

/** A credential pair under DIR/pki, e.g. `agencies/440000/seal` or `revoked/110000-seal-superseded`. */
export function loadSealer(dataDir: string, credential: string): DocumentSealer {
  const pki = join(dataDir, "pki");
  const privateKey = createPrivateKey(readFileSync(join(pki, `${credential}.key.pem`)));
  const certificate = loadCertificates(new Uint8Array(readFileSync(join(pki, `${credential}.cert.pem`))))[0]!;
  const chain = loadCertificates(new Uint8Array(readFileSync(join(pki, "issuing.cert.pem"))));
  const sealer = createSealer({ privateKey, certificate, chain });
  return {
    sealer,
    seal: (document, signingTime = new Date()) => {
      const canonical = canonicalBytes(document);
      return sealedDocumentBytes(canonical, sealer.seal(canonical, signingTime));
    },
  };
}

export const agencySeal = (dataDir: string, agencyId: string) => loadSealer(dataDir, `agencies/${agencyId}/seal`);

const EXAMPLES = new URL("../../schemas/examples/", import.meta.url);

export function example(type: string): Record<string, unknown> & { id: string; body: Record<string, unknown> } {
  return JSON.parse(readFileSync(new URL(`${type}.json`, EXAMPLES), "utf8"));
}

/**
 * A valid contact letter (schemas/examples) from `from` to `to` for its own case, issued now. The body's
 * transfer-in/out division codes follow the agencies so business rules hold.
 */
export function contactLetter(options: {
  id: string;
  caseId: string;
  from?: string;
  to?: string;
  issuedAt?: Date;
  body?: Record<string, unknown>;
}): Record<string, unknown> {
  const base = example("contact-letter");
  const from = options.from ?? "330000";
  const to = options.to ?? "440000";
  const body = structuredClone(base.body) as {
    transferIn: { divisionCode: string };
    transferOut: { divisionCode: string };
  };
  body.transferIn.divisionCode = from.slice(0, 6);
  body.transferOut.divisionCode = to.slice(0, 6);
  return {
    ...base,
    id: options.id,
    caseId: options.caseId,
    from,
    to,
    issuedAt: shanghaiTimestamp(options.issuedAt ?? new Date()),
    body: options.body ?? body,
  };
}
