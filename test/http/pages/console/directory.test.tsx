import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Directory } from "../../../../src/domain/directory/index.ts";
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
});
