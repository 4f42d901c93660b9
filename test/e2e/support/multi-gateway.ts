import Database from "better-sqlite3";
import { createPrivateKey } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { contactLetter } from "../../../src/cli/demo/documents.ts";
import type { Workspace } from "../../../src/cli/demo/workspace.ts";
import { DEV_MARK, randomSerial, sha256Hex as certSha256 } from "../../../src/dev/pki.ts";
import { organizationIdentifier } from "../../../src/dev/agencies.ts";
import {
  KeyUsage,
  exportPkcs8Pem,
  generateKeyPair,
  issueCertificate,
  toPem,
  webCryptoParams,
  x509,
  type Issuer,
} from "../../../src/pki/issue.ts";
import { loadCertificates } from "../../../src/pki/keys.ts";
import { createSealer } from "../../../src/pki/seal.ts";
import {
  canonicalBytes,
  decodeSeal,
  sealedDocumentBytes,
  sha256Hex,
  shanghaiTimestamp,
} from "../../../src/usecases/canonical.ts";

/**
 * Pieces for the multi-gateway tests: sealing documents outside any gateway (as an agency's own
 * signing system would), a second seal certificate for a key rollover, a fake peer gateway that
 * answers with receipts sealed by the wrong key, and read-only row counts from a gateway's SQLite.
 */

/** A credential as files under the workspace, relative to its root (what a gateway config names). */
export interface CredentialFiles {
  key: string;
  cert: string;
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
}

export function devCredential(ws: Workspace, agencyId: string, role: "seal" | "receipt"): CredentialFiles {
  const agency = ws.pki.agencies.find((a) => a.spec.id === agencyId)!;
  const c = agency[role];
  return {
    key: `pki/agencies/${agencyId}/${role}.key.pem`,
    cert: `pki/agencies/${agencyId}/${role}.cert.pem`,
    fingerprint: c.fingerprint,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
  };
}

/** A new seal certificate for the agency from the workspace's issuing CA (a key rollover), written as `seal-<suffix>.*.pem`. */
export async function issueSealCertificate(
  ws: Workspace,
  agencyId: string,
  suffix: string,
  now = new Date(),
  validMs = 365 * 86_400_000,
): Promise<CredentialFiles> {
  const agency = ws.pki.agencies.find((a) => a.spec.id === agencyId)!;
  const caKey = await globalThis.crypto.subtle.importKey(
    "pkcs8",
    pemDer(ws.pki.issuing.privateKeyPem),
    webCryptoParams("ecdsa-p256"),
    false,
    ["sign"],
  );
  const issuer: Issuer = {
    certificate: new x509.X509Certificate(new Uint8Array(ws.pki.issuing.certificateDer)),
    privateKey: caKey,
    algorithm: "ecdsa-p256",
  };
  const keys = await generateKeyPair("ecdsa-p256");
  const { name, region } = agency.spec;
  const notBefore = new Date(now.getTime() - 3_600_000);
  const notAfter = new Date(now.getTime() + validMs);
  const cert = await issueCertificate(
    {
      subject: `C=CN, ST=${region}, O=${name} (${DEV_MARK}), 2.5.4.97=${organizationIdentifier(agencyId)}, CN=${name} ${suffix}`,
      serialNumber: randomSerial((b) => globalThis.crypto.getRandomValues(b)),
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      keyUsage: KeyUsage.digitalSignature | KeyUsage.nonRepudiation,
      agencyId,
    },
    issuer,
  );
  const der = new Uint8Array(cert.rawData);
  const base = `pki/agencies/${agencyId}/seal-${suffix}`;
  writeFileSync(join(ws.root, `${base}.cert.pem`), toPem(der, "CERTIFICATE") + "\n");
  writeFileSync(join(ws.root, `${base}.key.pem`), (await exportPkcs8Pem(keys.privateKey)) + "\n", { mode: 0o600 });
  return { key: `${base}.key.pem`, cert: `${base}.cert.pem`, fingerprint: certSha256(der), notBefore, notAfter };
}

/** Seal a document object with a credential of the workspace: the sealed-document bytes a peer POSTs. */
export function sealWith(
  ws: Workspace,
  credential: Pick<CredentialFiles, "key" | "cert">,
  document: object,
  at = new Date(),
): Uint8Array {
  const sealer = sealerOf(ws, credential);
  const canonical = canonicalBytes(document);
  return sealedDocumentBytes(canonical, sealer.seal(canonical, at));
}

function sealerOf(ws: Workspace, credential: Pick<CredentialFiles, "key" | "cert">) {
  const read = (p: string) => readFileSync(join(ws.root, p));
  const [certificate] = loadCertificates(new Uint8Array(read(credential.cert)));
  return createSealer({
    privateKey: createPrivateKey(read(credential.key)),
    certificate: certificate!,
    chain: [ws.pki.issuing.certificateDer],
  });
}

/** A contact letter from 浙江 330000 to 广东 440000 for its own case, issued now (the envelope a gateway would build). */
export function letterDocument(id: string, caseId: string, now = new Date()): Record<string, unknown> {
  const letter = contactLetter({ transferIn: "330000", transferOut: "440000" }, id);
  return {
    jiexu: 1,
    id,
    type: "contact-letter",
    caseId,
    from: "330000",
    to: "440000",
    issuedAt: shanghaiTimestamp(now),
    body: letter.body,
  };
}

export interface FakePeer {
  url: string;
  requests: number;
  close(): Promise<void>;
}

/**
 * A peer "gateway" that accepts every document and answers 201 with a receipt naming the right
 * digests, but sealed with the n-th of `keys` (cycling): never the receipt key the directory lists.
 */
export async function startWrongKeyPeer(
  ws: Workspace,
  receivingAgency: string,
  keys: Pick<CredentialFiles, "key" | "cert">[],
): Promise<FakePeer> {
  const sealers = keys.map((k) => sealerOf(ws, k));
  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req
      .on("data", (c: Buffer) => chunks.push(c))
      .on("end", () => {
        try {
          const { document, seal } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
            document: Record<string, string>;
            seal: string;
          };
          const sealer = sealers[state.requests++ % sealers.length]!;
          const now = new Date();
          const receipt = {
            jiexu: 1,
            id: `rcpt-fake-${state.requests}`,
            type: "receipt",
            caseId: document.caseId,
            from: receivingAgency,
            to: document.from,
            issuedAt: shanghaiTimestamp(now),
            replyTo: document.id,
            body: {
              documentId: document.id,
              documentDigest: sha256Hex(canonicalBytes(document)),
              sealDigest: sha256Hex(decodeSeal(seal)),
              receivedAt: shanghaiTimestamp(now),
              receivingAgency,
            },
          };
          const canonical = canonicalBytes(receipt);
          res
            .writeHead(201, { "content-type": "application/json" })
            .end(Buffer.from(sealedDocumentBytes(canonical, sealer.seal(canonical, now))));
        } catch (err) {
          res
            .writeHead(400, { "content-type": "application/json" })
            .end(JSON.stringify({ code: "JSON_INVALID", message: (err as Error).message }));
        }
      });
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Run read-only queries on a gateway's SQLite file (WAL: the gateway may keep running). */
export function query<T = Record<string, unknown>>(databasePath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

function pemDer(pem: string): Uint8Array<ArrayBuffer> {
  const b64 = pem.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, "").replace(/\s+/g, "");
  return Uint8Array.from(Buffer.from(b64, "base64"));
}
