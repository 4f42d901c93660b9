import { join } from "node:path";
import { DEFAULT_AGENCIES, createDevPki, type DevPki } from "../../dev/pki.ts";
import { devPkiFiles } from "../../dev/pki-files.ts";
import { loadPrivateKey, makeSeal } from "../../pki/index.ts";
import { sealPicture } from "../commands/ses/picture.ts";

/**
 * Agencies of a workspace that seal in the national format (issue 16; docs/national-seal.md): a second,
 * SM2 development PKI (`pki-sm2/`: root, issuing CA, seal maker 制章者, agency credentials) and, per
 * agency, its electronic seal `agencies/<id>/seal.ses.der` (SESeal made by the seal maker, listing the
 * agency's SM2 seal certificate as holder). Gateways trust both roots; receipts stay CAdES (the agency's
 * receipt credential of the workspace's own PKI).
 */
export interface SesAgencies {
  pkiDir: string;
  pki: DevPki;
  agencyIds: string[];
}

const SES_SEAL_FILE = (agencyId: string) => `agencies/${agencyId}/seal.ses.der`;
export const SES_PKI_DIR = "pki-sm2";

/** The `seal` block of an SES agency's gateway config (paths relative to `<root>/gw-<id>/`). */
export function sesSealConfig(agencyId: string) {
  const sm2 = (p: string) => `../${SES_PKI_DIR}/${p}`;
  return {
    key: sm2(`agencies/${agencyId}/seal.key.pem`),
    cert: sm2(`agencies/${agencyId}/seal.cert.pem`),
    chain: [sm2("issuing.cert.pem")],
    sesSeal: sm2(SES_SEAL_FILE(agencyId)),
  };
}

/** Make the SM2 PKI for `agencyIds` under `<root>/pki-sm2` and each agency's SESeal; returns what was made. */
export async function createSesAgencies(
  root: string,
  agencyIds: readonly string[],
  now: Date,
  write: (path: string, contents: string | Uint8Array, mode: number) => void,
): Promise<SesAgencies> {
  const specs = agencyIds.map((id) => DEFAULT_AGENCIES.find((a) => a.id === id)!);
  const pki = await createDevPki({ algorithm: "sm2", now, agencies: specs });
  if (!pki.maker) throw new Error("the SM2 development PKI has no seal maker");
  const pkiDir = join(root, SES_PKI_DIR);
  for (const file of await devPkiFiles(pki)) write(join(pkiDir, file.path), file.contents, file.mode);
  const makerKey = await loadPrivateKey(new TextEncoder().encode(pki.maker.privateKeyPem), {
    certificate: pki.maker.certificateDer,
  });
  if (!makerKey.sm2) throw new Error("the development seal maker's key is not SM2");
  for (const agency of pki.agencies) {
    const seal = makeSeal({
      makerKey: makerKey.sm2,
      makerCertificate: pki.maker.certificateDer,
      holderCertificates: [agency.seal.certificateDer],
      name: agency.spec.name,
      picture: sealPicture(agency.spec.name, undefined), // the round seal drawn, as `jiexu ses make-seal` does
      createdAt: now,
      validStart: agency.seal.notBefore,
      validEnd: agency.seal.notAfter,
    });
    write(join(pkiDir, SES_SEAL_FILE(agency.spec.id)), seal, 0o644); // public, as the certificates
  }
  return { pkiDir, pki, agencyIds: [...agencyIds] };
}
