import { generateKeyPairSync } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createSealer, detectSealFormat, makeSeal } from "../../src/pki/index.ts";
import { ConfigError, parseConfig } from "../../src/runtime/config.ts";
import { materialsFromConfig } from "../../src/runtime/parse-materials.ts";
import { devPkiFixture } from "../fixtures/dev-pki.ts";
import { createSm2Pki, type Sm2Pki } from "../fixtures/sm2-pki.ts";

/**
 * The agency config `seal.sesSeal` (issue 16): the agency's SESeal file beside an SM2 key and certificate
 * gives a SealKey that seals as GB/T 38540 SES_Signature; with a non-SM2 key it is a ConfigError.
 */
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const archiveKey = generateKeyPairSync("ed25519").privateKey;

describe("seal.sesSeal in the agency config", () => {
  let sm2: Sm2Pki;
  let files: Record<string, Uint8Array>;
  const read = (name: string) => {
    const bytes = files[name];
    if (!bytes) throw new ConfigError(`${name} is missing`);
    return bytes;
  };
  const config = (seal: Record<string, unknown>) =>
    parseConfig({
      trustAnchors: ["root.pem"],
      agencies: [{ id: "510000", name: "四川", seal, receipt: { key: "gd.key", cert: "gd.cert" } }],
    });

  beforeAll(async () => {
    const [dev, pki] = await Promise.all([devPkiFixture(), createSm2Pki()]);
    sm2 = pki;
    const maker = await sm2.issueMaker("CN=Maker, O=Jiexu Test, C=CN");
    const seal = makeSeal({
      makerKey: maker.key,
      makerCertificate: maker.der,
      holderCertificates: [sm2.seal.der],
      name: "四川省社会保险管理局",
      picture: { type: "PNG", data: PNG, widthMm: 40, heightMm: 40 },
      createdAt: new Date("2026-01-01T00:00:00Z"),
      validStart: new Date("2026-01-01T00:00:00Z"),
      validEnd: new Date("2030-01-01T00:00:00Z"),
    });
    const gd = dev.agencies.find((a) => a.spec.id === "440000")!;
    const text = (s: string) => new TextEncoder().encode(s);
    const other = await sm2.issueSeal();
    files = {
      "other.key": text(other.keyPem),
      "other.cert": text(other.pem),
      "root.pem": text(dev.root.certificatePem),
      "sc.key": text(sm2.seal.keyPem),
      "sc.cert": text(sm2.seal.pem),
      "sc.ses": seal,
      "gd.key": text(gd.seal.privateKeyPem),
      "gd.cert": text(gd.seal.certificatePem),
    };
  });

  it("loads an SM2 key with its SESeal into a SealKey that seals SES_Signatures", async () => {
    const m = await materialsFromConfig(
      config({ key: "sc.key", cert: "sc.cert", sesSeal: "sc.ses" }),
      read,
      archiveKey,
    );
    const key = m.agencies[0]!.seal;
    expect([key.sm2 !== undefined, key.sesSeal]).toEqual([true, files["sc.ses"]]);
    const sig = createSealer(key).seal(new TextEncoder().encode("{}"), new Date("2026-06-01T00:00:00Z"));
    expect(detectSealFormat(sig)).toBe("ses");
  });

  it("refuses sesSeal beside a key that is not SM2, and a sesSeal file that is missing", async () => {
    await expect(
      materialsFromConfig(config({ key: "gd.key", cert: "gd.cert", sesSeal: "sc.ses" }), read, archiveKey),
    ).rejects.toThrow(ConfigError);
    await expect(
      materialsFromConfig(config({ key: "sc.key", cert: "sc.cert", sesSeal: "nowhere.ses" }), read, archiveKey),
    ).rejects.toThrow(ConfigError);
  });

  it("refuses, at config load, an SM2 seal key without sesSeal and a seal whose holders lack the certificate", async () => {
    await expect(materialsFromConfig(config({ key: "sc.key", cert: "sc.cert" }), read, archiveKey)).rejects.toThrow(
      ConfigError,
    );
    await expect(
      materialsFromConfig(config({ key: "other.key", cert: "other.cert", sesSeal: "sc.ses" }), read, archiveKey),
    ).rejects.toThrow(ConfigError);
  });
});
