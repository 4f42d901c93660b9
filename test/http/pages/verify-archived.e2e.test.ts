import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cutCheckpoint } from "../../../src/usecases/index.ts";
import { launchChromium, serveFetch, type Served } from "../../support/browser.ts";
import { pdfAttachmentNames, pdfQrCode } from "../../support/pdf-tools.ts";
import { voucherBody } from "../../usecases/vouchers/support.ts";
import { createTestApp, type TestApp } from "../app-harness.ts";

const GD = "440000";

/**
 * Issue 13 acceptance: the voucher PDF downloads, carries its sealed original, and its QR code — decoded from
 * the rendered page as a phone would — opens a page that re-verifies the archived original: TOTAL_PASSED,
 * and TOTAL_FAILED once the stored copy has been altered.
 */
describe("the printed voucher's QR code leads to its verification (Chromium)", () => {
  let t: TestApp;
  let served: Served;
  let browser: Browser;
  beforeAll(async () => {
    t = await createTestApp();
    [served, browser] = await Promise.all([serveFetch(t.app.fetch), launchChromium()]);
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.gw.close();
  });

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${served.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${t.gw.tokens[GD]}`, "content-type": "application/json" },
    });

  it("passes for the archived original, fails after the stored copy is tampered with", async () => {
    const issued = await (
      await api("/v1/vouchers", { method: "POST", body: JSON.stringify({ body: voucherBody() }) })
    ).json();
    await cutCheckpoint(t.gw.deps);
    const res = await api(`/v1/vouchers/${issued.documentId}/pdf`);
    expect(res.status).toBe(200);
    const pdf = new Uint8Array(await res.arrayBuffer());
    expect(pdfAttachmentNames(pdf)).toContain(`${issued.documentId}.sealed.json`);

    const url = pdfQrCode(pdf);
    expect(url).toBe(`${served.url}/v/${issued.documentSha256}`);
    const page = await browser.newPage();
    await page.goto(url);
    await expect(page.locator(".verdict").textContent()).resolves.toContain("核验通过 TOTAL_PASSED");
    const body = await page.locator("main").textContent();
    expect(body).toContain("广东省社会保险基金管理局");
    expect(body).toContain("陈*强");
    expect(body).toContain("已证明收录");

    // One character of the stored document changed behind the gateway's back (李华 → 李革).
    const row = t.gw.sqlite
      .prepare("SELECT seq, canonical FROM documents WHERE document_sha256 = ?")
      .get(issued.documentSha256) as { seq: number; canonical: Uint8Array };
    const altered = new TextEncoder().encode(new TextDecoder().decode(row.canonical).replace("李华", "李革"));
    t.gw.sqlite.prepare("UPDATE documents SET canonical = ? WHERE seq = ?").run(altered, row.seq);
    await page.reload();
    await expect(page.locator(".verdict").textContent()).resolves.toContain("核验未通过 TOTAL_FAILED");
    expect(await page.locator("main").textContent()).toContain("未能证明收录");
    await page.close();
  }, 30_000);
});
