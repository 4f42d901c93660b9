import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../http/app-harness.ts";
import { openCaseWithLetter, sendAsGuangdong, withRefusingPeer } from "../http/pages/console/console-harness.ts";
import { launchChromium, serveFetch, type Served } from "../support/browser.ts";

/**
 * The agency console in real Chromium (issue 13 acceptance): 广东 signs in, acknowledges an inbound document
 * from the inbox and retries a failed delivery; 广东 issues a voucher and downloads its PDF, which 浙江 uploads
 * at registration to open a case; every console page fits 360 px and labels its inputs.
 * JIEXU_SCREENSHOTS=1 also writes docs/screenshots/console.png.
 */
describe("agency console in Chromium", () => {
  let t: TestApp;
  let served: Served;
  let browser: Browser;
  let desktop: BrowserContext;

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp(), launchChromium()]);
    await openCaseWithLetter(t, "CASE-330000-2024-000815", { priority: "NEAR_RETIREMENT" });
    await openCaseWithLetter(t, "CASE-330000-2024-000816");
    await openCaseWithLetter(t, "CASE-330000-2024-000817");
    await withRefusingPeer(t, () =>
      sendAsGuangdong(t, "CASE-330000-2024-000817", "insurance-record", "GD-XXB-2024-000817"),
    );
    served = await serveFetch(t.app.fetch);
    desktop = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    desktop.setDefaultTimeout(5000);
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.gw.close();
  });

  async function signIn(page: Page, agencyId: string) {
    await page.goto(`${served.url}/console`);
    expect(new URL(page.url()).pathname).toBe("/console/login");
    await page.getByLabel("令牌").fill(t.gw.tokens[agencyId]!);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${served.url}/console`);
  }

  it("signs in and acknowledges an inbound document from the inbox by keyboard", async () => {
    const page = await desktop.newPage();
    await signIn(page, "440000");
    await expect.poll(() => page.locator("tbody tr").count()).toBe(3);
    expect(await page.locator("main").textContent()).toContain("优先: 临近退休");
    if (process.env.JIEXU_SCREENSHOTS === "1") {
      mkdirSync("docs/screenshots", { recursive: true });
      await page.setViewportSize({ width: 1024, height: 560 });
      await page.screenshot({ path: "docs/screenshots/console.png", fullPage: true });
    }
    const ack = page.getByRole("button", { name: "确认处理 CASE-330000-2024-000816-LX" });
    await ack.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/acked=/);
    const main = await page.locator("main").textContent();
    expect(main).toContain("已确认并发出业务回执");
    expect(await page.locator("tbody tr").count()).toBe(2);
    expect(await page.locator("tbody").textContent()).not.toContain("CASE-330000-2024-000816");
    await page.close();
  });

  it("retries a failed delivery and shows its new state", async () => {
    const page = await desktop.newPage();
    await page.goto(`${served.url}/console/deliveries`);
    const row = page.locator("tr", { hasText: "GD-XXB-2024-000817" });
    expect(await row.textContent()).toContain("投递失败");
    await row.getByRole("button", { name: /^立即重试/ }).click();
    await page.waitForURL(/done=/);
    expect(await page.locator(".console-state").textContent()).toBe("重试中");
    await t.gw.dispatcher.idle();
    await page.getByLabel("投递状态").selectOption("delivered");
    await page.getByRole("button", { name: "筛选" }).click();
    await page.waitForURL(/state=delivered/);
    expect(await page.locator("tr", { hasText: "GD-XXB-2024-000817" }).textContent()).toContain("已送达");
    await page.close();
  });

  it("opens a case from the voucher PDF the issuing agency printed", async () => {
    const page = await desktop.newPage();
    await page.goto(`${served.url}/console/new`);
    await page.getByRole("button", { name: "签章出具" }).click();
    await page.waitForURL(/issued=/);
    const voucherId = new URL(page.url()).searchParams.get("issued")!;
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: /下载打印版凭证/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${voucherId}.pdf`);
    const pdf = await download.path();
    await page.close();

    const zj = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    zj.setDefaultTimeout(5000);
    const form = await zj.newPage();
    await signIn(form, "330000");
    await form.goto(`${served.url}/console/new`);
    await form.getByLabel("案件编号（可选）").fill("CASE-330000-2024-PDF001");
    await form.getByLabel("转出地经办机构（区划代码）").fill("440000");
    await form.getByLabel("参保人员姓名").fill("陈志强");
    await form.getByLabel("公民身份号码").fill("33010619760815123X");
    await form.getByLabel("或上传打印版凭证（PDF，可选）").setInputFiles(pdf);
    await form.getByRole("button", { name: "登记", exact: true }).click();
    await form.waitForURL(`${served.url}/console/cases/CASE-330000-2024-PDF001`);
    const facts = await form.locator("dl.facts").first().textContent();
    expect(facts).toContain(voucherId);
    expect(await form.locator("main").textContent()).toContain("参保缴费凭证");
    await expect.poll(() => form.getByRole("link", { name: `打印 / PDF ${voucherId}` }).count()).toBe(1);
    await zj.close();
  });

  it("fits every console page into 360 px and labels every input", async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
    phone.setDefaultTimeout(5000);
    const page = await phone.newPage();
    await page.goto(`${served.url}/console/login`);
    for (const path of ["/console/login"]) await checkPage(page, path);
    await signIn(page, "440000");
    for (const path of [
      "/console",
      "/console/cases",
      "/console/cases/CASE-330000-2024-000815",
      "/console/deliveries?state=delivered",
      "/console/directory",
      "/console/new",
    ])
      await checkPage(page, path);
    await phone.close();
  });

  async function checkPage(page: Page, path: string) {
    await page.goto(`${served.url}${path}`);
    const layout = await page.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      unlabelled: [...document.querySelectorAll("input:not([type=hidden]), select, textarea")]
        .filter((el) => (el as HTMLInputElement).labels?.length === 0)
        .map((el) => el.id || el.getAttribute("name")),
    }));
    expect(layout.overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    expect(layout.unlabelled, `${path} inputs without a label`).toEqual([]);
  }
});
