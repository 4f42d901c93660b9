import { mkdirSync, readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base64ToBytes } from "../../../src/pki/index.ts";
import { canonicalBytes } from "../../../src/usecases/canonical.ts";
import { launchChromium, type Served, serveFetch } from "../../support/browser.ts";
import { pdfAttachmentNames, pdfText } from "../../support/pdf-tools.ts";
import { tampered, voucherBody } from "../../usecases/vouchers/support.ts";
import { createTestApp, type TestApp } from "../app-harness.ts";
import { GD, PERSON, walker } from "./walk.ts";

/**
 * The public pages in real Chromium (issue 13 acceptance): an employee tracks a case through every state, a
 * wrong ID number gets the neutral answer, the pages fit a 360 px phone, the compliance page names the
 * sub-indication of a tampered upload. One browser for the file. JIEXU_SCREENSHOT_DIR=docs/screenshots
 * also writes the phone screenshot of the tracking page (docs/screenshots/track-phone.png).
 */
describe("public pages in Chromium", () => {
  let t: TestApp;
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    t = await createTestApp();
    served = await serveFetch(t.app.fetch);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 360, height: 740 } });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.gw.close();
  });

  const fitsPhone = async () =>
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  /** Fill the form by its labels as a person would; every lookup waits out one refill (30 s on the test clock). */
  async function track(reference: string, idNumber = PERSON.idNumber) {
    t.gw.clock.advance(30_000);
    await page.goto(`${served.url}/track`);
    await page.getByLabel("案件编号或凭证编号").fill(reference);
    await page.getByLabel("公民身份号码", { exact: true }).fill(idNumber);
    await page.getByRole("button", { name: "查询", exact: true }).click();
    await page.waitForLoadState("domcontentloaded");
  }
  const text = async (selector: string) => (await page.locator(selector).first().textContent()) ?? "";
  const statusLine = () => text("#status");
  const timeline = () => text("ol.timeline");

  it("follows a case through every state, with the voucher offered and the phone layout intact", async () => {
    const w = walker(t, 1);
    const voucherId = await w.register({ voucher: true, priority: "SERIOUS_ILLNESS" });
    const steps: [string, () => Promise<void>, string, string][] = [
      ["application-registered", async () => {}, "已受理，等待发出联系函", "申请已受理"],
      ["contact-letter", w.letter, "转出地正在办理信息表和基金", "联系函已发出"],
      ["record", w.record, "转出地正在办理信息表和基金", "信息表已收到"],
      ["funds", w.funds, "信息表和基金均已到达，正在核对办结", "基金已到账"],
      ["discrepancy", w.discrepancy, "核对不符，等待更正", "核对不符"],
      ["correction", w.correction, "信息表和基金均已到达，正在核对办结", "转出地已更正"],
      ["completion", w.completion, "已办结", "办结"],
    ];
    for (const [name, act, status, step] of steps) {
      await act();
      await track(name === "record" ? voucherId! : w.caseId);
      expect(await statusLine(), name).toContain(status);
      expect(await timeline(), name).toContain(step);
      expect(await page.content()).not.toContain(PERSON.idNumber);
      if (name === "contact-letter") {
        expect(await text("#holder")).toBe("广东省社会保险基金管理局");
        expect(await page.getByRole("button", { name: "下载凭证（PDF）" }).isVisible()).toBe(true);
        await fitsPhone();
        const dir = process.env.JIEXU_SCREENSHOT_DIR;
        if (dir) {
          mkdirSync(dir, { recursive: true });
          await page.screenshot({ path: `${dir}/track-phone.png`, fullPage: true });
        }
      }
    }
    expect(await text("#next")).toContain("无需再做任何事");
  }, 60_000);

  it("shows a return with its reason, and the neutral answer for a wrong ID number", async () => {
    const w = walker(t, 2);
    await w.register();
    await w.letter();
    await w.returned();
    await track(w.caseId);
    expect(await statusLine()).toContain("已退回");
    expect(await text("#next")).toContain("重新申请");
    expect(await page.locator("#no-voucher").isVisible()).toBe(true);
    await fitsPhone();
    await track(w.caseId, "11010519491231002X");
    expect(await text("#neutral")).toContain("没有找到与这两项信息同时相符的转移记录");
  }, 30_000);

  it("names the sub-indication of a tampered upload and passes a good one", async () => {
    const issued = await t.call("POST", "/v1/vouchers", { token: t.gw.tokens[GD]!, body: { body: voucherBody() } });
    const voucher = await issued.json();
    const file = (name: string, value: Uint8Array | unknown) => ({
      name,
      mimeType: "application/octet-stream",
      buffer: Buffer.from(value instanceof Uint8Array ? value : JSON.stringify(value)),
    });
    const verify = async (files: { file: ReturnType<typeof file>; content?: ReturnType<typeof file> }) => {
      await page.goto(`${served.url}/verify`);
      await page.getByLabel("要核验的文件", { exact: false }).setInputFiles(files.file);
      if (files.content) await page.getByLabel("被签内容", { exact: false }).setInputFiles(files.content);
      await page.getByRole("button", { name: "核验", exact: true }).click();
      await page.waitForLoadState("domcontentloaded");
      return {
        verdict: await text("#verdict"),
        indication: await text("#indication"),
        sub: await text("#sub-indication"),
      };
    };
    expect(await verify({ file: file("voucher.json", voucher.sealed) })).toMatchObject({
      verdict: "核验通过",
      indication: "TOTAL_PASSED",
    });
    await fitsPhone();
    expect(await verify({ file: file("tampered.json", tampered(voucher)) })).toMatchObject({
      verdict: "核验未通过",
      sub: "HASH_FAILURE",
    });
    const p7s = file("voucher.p7s", base64ToBytes(voucher.sealed.seal));
    const other = file("other.json", canonicalBytes({ ...voucher.sealed.document, id: "GD-PZ-OTHER" }));
    expect((await verify({ file: p7s, content: other })).sub).toBe("HASH_FAILURE");
    await page.locator("details summary").first().click();
    expect(await page.locator("details table").first().isVisible()).toBe(true);
  }, 30_000);

  it("hands the employee the printed voucher, which carries its sealed original and verifies on /verify", async () => {
    const w = walker(t, 3);
    const voucherId = await w.register({ voucher: true });
    await w.letter();
    await track(w.caseId);
    await page.getByLabel("再次输入公民身份号码以下载").fill(PERSON.idNumber);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "下载凭证（PDF）" }).click(),
    ]);
    const pdf = new Uint8Array(readFileSync((await download.path())!));
    expect(pdfAttachmentNames(pdf)).toEqual([`${voucherId}.json`, `${voucherId}.p7s`, `${voucherId}.sealed.json`]);
    expect(pdfText(pdf)).toContain("基本养老保险参保缴费凭证");

    // The same paper copy, uploaded by a compliance officer: the attached original is what is verified.
    await page.goto(`${served.url}/verify`);
    await page.getByLabel("要核验的文件", { exact: false }).setInputFiles({
      name: "voucher.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from(pdf),
    });
    await page.getByRole("button", { name: "核验", exact: true }).click();
    await page.waitForLoadState("domcontentloaded");
    expect(await text("#verdict")).toBe("核验通过");
    expect(await text("#indication")).toBe("TOTAL_PASSED");
  }, 60_000);

  it("lays /docs out within 360 px", async () => {
    await page.goto(`${served.url}/docs`);
    await page.waitForSelector("details.op");
    await page.evaluate(() => {
      for (const d of document.querySelectorAll("details")) d.open = true;
    });
    await fitsPhone();
  }, 30_000);
});
