import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Directory } from "../../../../src/domain/directory/index.ts";
import { parseCrl } from "../../../../src/pki/index.ts";
import { expiryOf, readTrustOverview } from "../../../../src/usecases/index.ts";
import { createTestApp, type TestApp } from "../../app-harness.ts";
import { signIn } from "./console-harness.ts";

const DAY = 24 * 3600 * 1000;

describe("console directory and certificates", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.gw.close());

  it("shows the agency's seal and receipt certificates and says when no directory is configured", async () => {
    const gd = await signIn(t, "440000");
    const page = await gd.get("/console/directory");
    expect(page.status).toBe(200);
    expect(page.html).toContain("印章证书");
    expect(page.html).toContain("回执证书");
    expect(page.html).toContain("根证书（信任锚）");
    expect(page.html).toContain(t.gw.deps.agencies.hosted("440000")!.sealKey.certificateSha256);
    expect(page.html).toContain("本网关未配置机构目录");
  });

  it("warns 30 days before a certificate or the directory expires, and once it has", () => {
    const now = new Date("2026-12-01T00:00:00Z");
    expect(expiryOf(new Date(now.getTime() + 31 * DAY).toISOString(), now).expiry).toBe("valid");
    expect(expiryOf(new Date(now.getTime() + 30 * DAY).toISOString(), now)).toEqual({
      expiry: "expiring",
      daysLeft: 30,
    });
    expect(expiryOf(new Date(now.getTime() - DAY).toISOString(), now).expiry).toBe("expired");

    const at = t.gw.clock.now();
    const directory: Directory = {
      jiexuDirectory: 1,
      operator: "国家平台",
      sequence: 7,
      issuedAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + 10 * DAY).toISOString(),
      agencies: [
        {
          id: "440000",
          name: "广东省社会保险基金管理局",
          gatewayUrl: "https://gd.example",
          sealCertificates: [
            {
              sha256: "a".repeat(64),
              notBefore: at.toISOString(),
              notAfter: new Date(at.getTime() - DAY).toISOString(),
            },
          ],
          receiptCertificates: [],
        },
      ],
    };
    const overview = readTrustOverview(
      { ...t.gw.deps, directory: { current: () => directory } },
      t.gw.principal("440000"),
    );
    expect(overview.directory).toMatchObject({ sequence: 7, expiry: "expiring", daysLeft: 10 });
    expect(overview.directory!.agencies[0]!.certificates[0]).toMatchObject({ role: "seal", expiry: "expired" });
    expect(overview.certificates.map((c) => c.role)).toEqual(expect.arrayContaining(["seal", "receipt", "anchor"]));
  });

  it("shows the warning on the page when the directory is about to expire", async () => {
    const at = t.gw.clock.now();
    const original = t.gw.deps.directory;
    t.gw.deps.directory = {
      current: () => ({
        jiexuDirectory: 1,
        operator: "国家平台",
        sequence: 3,
        issuedAt: at.toISOString(),
        expiresAt: new Date(at.getTime() + 5 * DAY + 3600_000).toISOString(),
        agencies: [],
      }),
    };
    try {
      const gd = await signIn(t, "440000");
      const page = await gd.get("/console/directory");
      expect(page.html).toContain("请及时更新以下证书或目录");
      expect(page.html).toMatch(/机构目录: 将于[^<]*到期（剩 5 天）/);
      expect(page.html).toContain("5 天后到期");
    } finally {
      t.gw.deps.directory = original;
    }
  });

  it("lists the CRLs verification relies on, by issuer, with their next update", async () => {
    const page = await (await signIn(t, "440000")).get("/console/directory");
    expect(page.html).toContain("证书吊销列表（CRL）");
    const { crls } = readTrustOverview(t.gw.deps, t.gw.principal("440000"));
    expect(crls).toHaveLength(2);
    for (const crl of crls) {
      expect(crl).toMatchObject({ expiry: "valid", nextUpdate: expect.any(String) });
      expect(crl.issuer).toMatch(/CA/); // the CA's subject, found among the configured certificates
      expect(page.html).toContain(crl.sha256);
    }
    expect(page.html).not.toContain("crl-warnings");
  });

  it("warns 48 hours before a CRL's next update, and says that seals then wait once it has passed", async () => {
    const nextUpdate = Math.min(...t.gw.deps.trustMaterial!().crls.map((der) => parseCrl(der).nextUpdate!.getTime()));
    const start = t.gw.clock.now();
    try {
      t.gw.clock.set(new Date(nextUpdate - 10 * 3600_000));
      const soon = readTrustOverview(t.gw.deps, t.gw.principal("440000")).crls;
      expect(soon.map((c) => [c.expiry, c.hoursLeft])).toContainEqual(["expiring", 10]);
      const page = await (await signIn(t, "440000")).get("/console/directory");
      expect(page.html).toContain('id="crl-warnings"');
      expect(page.html).toMatch(/将于[^<]*到期（剩 10 小时）/);
      expect(page.html).toContain("10 小时后到期");

      t.gw.clock.set(new Date(nextUpdate + 3600_000));
      const past = readTrustOverview(t.gw.deps, t.gw.principal("440000")).crls;
      expect(past.map((c) => c.expiry)).toContain("expired");
      expect((await (await signIn(t, "440000")).get("/console/directory")).html).toMatch(/已于[^<]*过期/);
    } finally {
      t.gw.clock.set(start);
    }
  });
});
