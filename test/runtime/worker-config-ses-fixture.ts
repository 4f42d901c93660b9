import { createDevPki } from "../../src/dev/pki.ts";
import { devWorkerVars } from "../../src/dev/worker-vars.ts";
import { loadPrivateKey, makeSeal } from "../../src/pki/index.ts";
import { readWorkerSettings } from "../../src/runtime/worker-config.ts";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The Worker settings of an SM2 development PKI whose agency 510000 seals SES, its SESeal (made by the PKI's seal
 * maker) given through a binding as base64 of its DER (`seal.sesSeal`: "SES_SEAL_510000"). Only 510000 is
 * configured: an SM2 seal key without its seal file is a ConfigError. Shared by the Node and workerd tests.
 */
export async function sesWorkerSettings(now: Date) {
  const pki = await createDevPki({ algorithm: "sm2", now });
  const maker = await loadPrivateKey(new TextEncoder().encode(pki.maker!.privateKeyPem), {
    certificate: pki.maker!.certificateDer,
  });
  const agency = pki.agencies.find((a) => a.spec.id === "510000")!;
  const seal = makeSeal({
    makerKey: maker.sm2!,
    makerCertificate: pki.maker!.certificateDer,
    holderCertificates: [agency.seal.certificateDer],
    name: agency.spec.name,
    picture: { type: "PNG", data: PNG, widthMm: 40, heightMm: 40 },
    createdAt: now,
    validStart: agency.seal.notBefore,
    validEnd: agency.seal.notAfter,
  });
  const vars = devWorkerVars(pki, []);
  const config = JSON.parse(vars.JIEXU_CONFIG!);
  for (const a of config.agencies) if (a.id === "510000") a.seal.sesSeal = "SES_SEAL_510000";
  config.agencies = config.agencies.filter((a: { id: string }) => a.id === "510000");
  const settings = await readWorkerSettings({
    ...vars,
    JIEXU_CONFIG: JSON.stringify(config),
    SES_SEAL_510000: Buffer.from(seal).toString("base64"),
  });
  return { seal, settings };
}
