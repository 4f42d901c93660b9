import { beforeAll, describe, expect, it } from "vitest";
import { createDevPki, type DevPki } from "../../src/dev/pki.ts";
import { devWorkerVars } from "../../src/dev/worker-vars.ts";
import { createSealer, detectSealFormat, loadPrivateKey, makeSeal } from "../../src/pki/index.ts";
import { readWorkerSettings } from "../../src/runtime/worker-config.ts";

const NOW = new Date("2026-03-02T08:00:00Z");
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** On Workers `seal.sesSeal` names a binding holding the SESeal as base64 of its DER (issue 16). */
describe("readWorkerSettings with an SES seal", () => {
  let pki: DevPki;
  let seal: Uint8Array;
  beforeAll(async () => {
    pki = await createDevPki({ algorithm: "sm2", now: NOW });
    const maker = await loadPrivateKey(new TextEncoder().encode(pki.maker!.privateKeyPem), {
      certificate: pki.maker!.certificateDer,
    });
    const agency = pki.agencies.find((a) => a.spec.id === "510000")!;
    seal = makeSeal({
      makerKey: maker.sm2!,
      makerCertificate: pki.maker!.certificateDer,
      holderCertificates: [agency.seal.certificateDer],
      name: agency.spec.name,
      picture: { type: "PNG", data: PNG, widthMm: 40, heightMm: 40 },
      createdAt: NOW,
      validStart: agency.seal.notBefore,
      validEnd: agency.seal.notAfter,
    });
  });

  it("loads the agency's SM2 key with the SESeal from a base64 binding: its documents are sealed SES", async () => {
    const vars = devWorkerVars(pki, []);
    const config = JSON.parse(vars.JIEXU_CONFIG!);
    for (const a of config.agencies) if (a.id === "510000") a.seal.sesSeal = "SES_SEAL_510000";
    // An SM2 seal key without its seal file is a ConfigError: configure only the agency that has one.
    config.agencies = config.agencies.filter((a: { id: string }) => a.id === "510000");
    const { materials } = await readWorkerSettings({
      ...vars,
      JIEXU_CONFIG: JSON.stringify(config),
      SES_SEAL_510000: Buffer.from(seal).toString("base64"),
    });
    const key = materials.agencies.find((a) => a.id === "510000")!.seal;
    expect(key.sesSeal).toEqual(seal);
    const signature = createSealer(key).seal(new TextEncoder().encode("{}"), NOW);
    expect(detectSealFormat(signature)).toBe("ses");
  });
});
