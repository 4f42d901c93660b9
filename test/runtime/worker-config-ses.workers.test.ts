import { beforeAll, describe, expect, it } from "vitest";
import { createDevPki, type DevPki } from "../../src/dev/pki.ts";
import { devWorkerVars } from "../../src/dev/worker-vars.ts";
import { createSealer, detectSealFormat, loadPrivateKey, makeSeal } from "../../src/pki/index.ts";
import { readWorkerSettings } from "../../src/runtime/worker-config.ts";

const NOW = new Date(Date.now() - 3_600_000);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Inside workerd an SM2 key is held only as `sm2`: reading its `privateKey` throws KEY_UNSUPPORTED. The Worker's
 * config reader must carry the key over without reading it, so an agency sealing SES starts (issue 16).
 */
describe("readWorkerSettings with an SM2 key and sesSeal, inside workerd", () => {
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

  it("loads the SM2 seal key without building a KeyObject, and its sealer makes SES signatures", async () => {
    const vars = devWorkerVars(pki, []);
    const config = JSON.parse(vars.JIEXU_CONFIG!);
    for (const a of config.agencies) if (a.id === "510000") a.seal.sesSeal = "SES_SEAL_510000";
    // The other SM2 agencies of this PKI have no seal file; only 510000 is configured.
    config.agencies = config.agencies.filter((a: { id: string }) => a.id === "510000");
    const { materials } = await readWorkerSettings({
      ...vars,
      JIEXU_CONFIG: JSON.stringify(config),
      SES_SEAL_510000: Buffer.from(seal).toString("base64"),
    });
    const key = materials.agencies[0]!.seal;
    expect(() => key.privateKey).toThrow(expect.objectContaining({ code: "KEY_UNSUPPORTED" }));
    const signature = createSealer(key).seal(new TextEncoder().encode("{}"), new Date());
    expect(detectSealFormat(signature)).toBe("ses");
  });
});
