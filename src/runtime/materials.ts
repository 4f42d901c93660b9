import { createPrivateKey } from "node:crypto";
import type { DevPki } from "../dev/pki.ts";
import type { GatewayMaterials } from "./compose.ts";

/** Materials for a gateway hosting every agency of a development PKI (first-run bootstrap and tests). */
export function materialsFromDevPki(pki: DevPki, overrides: Partial<GatewayMaterials> = {}): GatewayMaterials {
  const chain = [pki.issuing.certificateDer];
  return {
    agencies: pki.agencies.map((a) => ({
      id: a.spec.id,
      name: a.spec.name,
      seal: { privateKey: createPrivateKey(a.seal.privateKeyPem), certificate: a.seal.certificateDer, chain },
      receipt: { privateKey: createPrivateKey(a.receipt.privateKeyPem), certificate: a.receipt.certificateDer, chain },
    })),
    trustAnchors: [pki.root.certificateDer],
    intermediates: [pki.issuing.certificateDer],
    crls: [pki.root.crl.der, pki.issuing.crl.der],
    revocation: "required",
    maxDocumentBytes: 1024 * 1024,
    ...overrides,
  };
}
