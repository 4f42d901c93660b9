import { createPrivateKey } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io.ts";
import { main } from "../../src/cli/main.ts";
import type { DevPki } from "../../src/dev/pki.ts";
import { createSealer, makeSeal } from "../../src/pki/index.ts";
import type { RemoteAgencies } from "../../src/runtime/compose.ts";
import { materialsFromDevPki } from "../../src/runtime/materials.ts";
import { canonicalBytes } from "../../src/usecases/canonical.ts";
import { verifySealFrom } from "../../src/usecases/cases/seal-checks.ts";
import { createDirectoryHolder } from "../../src/usecases/index.ts";
import { devPkiFixture, writeDevPki } from "../fixtures/dev-pki.ts";
import { tempDir } from "../fixtures/openssl.ts";
import { createSm2Pki, type Sm2Pki, type Sm2TestCert } from "../fixtures/sm2-pki.ts";
import { createTestGateway, testClock } from "../support/gateway-harness.ts";

/**
 * `jiexu directory build --seal-cert ID=CERT.pem` (issue 16): an agency sealing SES lists its SM2 seal certificate
 * though the --pki manifest is ECDSA, and a gateway reading that directory accepts its SES documents. A format
 * none of the listed certificates can make is refused (exit 65).
 */
const SC = "510000";
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CONTENT = canonicalBytes({ jiexu: 1, id: "SC-LXH-1", type: "contact-letter" });

describe("jiexu directory build --seal-cert", () => {
  let pki: DevPki;
  let sm2: Sm2Pki;
  let signer: Sm2TestCert;
  let dir: string;
  const issuedAt = testClock().now();
  const io = (): CliIo => ({ out: () => {}, err: () => {} });
  const build = (...extra: string[]) =>
    main(
      [
        "directory",
        "build",
        "--pki",
        dir,
        "--agency",
        `${SC}=https://sc.example.cn/jiexu`,
        "--sequence",
        "1",
        "--issued-at",
        issuedAt.toISOString(),
        "--out",
        join(dir, "d.json"),
        ...extra,
      ],
      io(),
    );

  beforeAll(async () => {
    [pki, sm2] = await Promise.all([devPkiFixture(), createSm2Pki()]);
    dir = await writeDevPki(pki, tempDir());
    signer = await sm2.issueSeal({ agencyId: SC, subject: "CN=四川 SES seal, O=Jiexu Test, C=CN" });
    writeFileSync(join(dir, "sm2-seal.pem"), signer.pem);
    writeFileSync(join(dir, "sm2-root.pem"), sm2.root.pem);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses ses for an agency whose listed seal certificates are not SM2, and cades when all are (exit 65)", async () => {
    expect(await build("--seal-format", `${SC}=ses`)).toBe(65);
    expect(await build("--seal-cert", `${SC}=${join(dir, "sm2-seal.pem")}`)).toBe(65);
  });

  it("lists the SM2 seal certificate given, and a gateway reading the directory accepts its SES document", async () => {
    const code = await build(
      "--seal-cert",
      `${SC}=${join(dir, "sm2-seal.pem")}`,
      "--seal-format",
      `${SC}=ses`,
      "--seal-maker",
      `${SC}=${join(dir, "sm2-root.pem")}`,
    );
    expect(code).toBe(0);
    const holder = createDirectoryHolder({
      open: (bytes) => ({ directory: JSON.parse(new TextDecoder().decode(bytes)) }),
    });
    expect(holder.load(new Uint8Array(readFileSync(join(dir, "d.json"))), issuedAt).ok).toBe(true);
    const remote = {
      routeProblem: () => undefined,
      receiptCertificates: () => [],
      sealCertificateAccepted: (id: string, sha256: string, at: Date) => holder.isListedSealCertificate(id, sha256, at),
      sealProfile: (id: string) => holder.sealProfile(id),
    } as unknown as RemoteAgencies;
    // The receiving gateway hosts the other development agencies: 四川 is remote, known from the directory.
    const gw = await createTestGateway({
      remote,
      materials: {
        agencies: materialsFromDevPki(pki).agencies.filter((a) => a.id !== SC),
        trustAnchors: [pki.root.certificateDer, sm2.root.der],
        intermediates: [pki.issuing.certificateDer, sm2.ca.der],
        crls: [pki.root.crl.der, pki.issuing.crl.der, sm2.crls.root, sm2.crls.ca],
      },
    });
    try {
      const maker = await sm2.issueMaker("CN=四川 Seal Maker, O=Jiexu Test, C=CN");
      const ses = createSealer({
        privateKey: createPrivateKey(signer.keyPem),
        certificate: signer.der,
        sm2: signer.key,
        sesSeal: makeSeal({
          makerKey: maker.key,
          makerCertificate: maker.der,
          holderCertificates: [signer.der],
          name: "四川省社会保险管理局",
          picture: { type: "PNG", data: PNG, widthMm: 40, heightMm: 40 },
          createdAt: new Date("2026-01-01T00:00:00Z"),
          validStart: new Date("2026-01-01T00:00:00Z"),
          validEnd: new Date("2030-01-01T00:00:00Z"),
        }),
      }).seal(CONTENT, new Date(gw.clock.now().getTime() - 60_000));
      const report = verifySealFrom(gw.deps, SC, CONTENT, ses, gw.clock.now());
      expect([report.indication, report.format]).toEqual(["TOTAL_PASSED", "ses"]);
    } finally {
      await gw.close();
    }
  });
});
