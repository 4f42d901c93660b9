import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type Served, serveFetch } from "../support/browser.ts";
import { createTestApp, type TestApp } from "./app-harness.ts";

const exampleFile = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../schemas/examples/${path}`, import.meta.url), "utf8"));

/** Issue 15 item 1: /docs "try it" starts from the examples of schemas/examples, and they work as sent. */
describe("/docs try it, in Chromium", () => {
  let t: TestApp;
  let served: Served;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    t = await createTestApp();
    served = await serveFetch(t.app.fetch);
    browser = await launchChromium();
    page = await browser.newPage();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.gw.close();
  });

  /** The operation's panel, opened. */
  async function operation(method: string, path: string) {
    const op = page
      .locator("details.op")
      .filter({ has: page.locator(`.m.${method}`) })
      .filter({ has: page.getByText(path, { exact: true }) });
    await op.locator(":scope > summary").click();
    return op;
  }

  it("prefills the registration with register-case.json, which the gateway then accepts (201)", async () => {
    await page.goto(`${served.url}/docs`);
    await page.waitForSelector("details.op");
    await page.getByLabel("令牌 Bearer token:").fill(t.gw.tokens["330000"]!);
    await page.getByLabel("令牌 Bearer token:").dispatchEvent("change");
    const op = await operation("post", "/v1/cases");
    expect(JSON.parse(await op.locator("textarea").inputValue())).toEqual(exampleFile("http/register-case.json"));
    await op.getByRole("button", { name: "发送 Send" }).click();
    await expect.poll(() => op.locator("pre.out").textContent(), { timeout: 10_000 }).toMatch(/^201 /);
  }, 30_000);

  it("offers every example of a document submission, the contact letter first, and sends it (201)", async () => {
    const op = await operation("post", "/v1/cases/{id}/documents");
    expect(JSON.parse(await op.locator("textarea").inputValue())).toEqual(exampleFile("contact-letter.json"));
    await op.getByLabel("示例 Example").selectOption("fund-transfer");
    expect(JSON.parse(await op.locator("textarea").inputValue())).toEqual(exampleFile("fund-transfer.json"));
    // The case id is prefilled too: the contact letter goes out as it is, into the case registered above.
    await op.getByLabel("示例 Example").selectOption("contact-letter");
    expect(await op.getByPlaceholder("id *").inputValue()).toBe(exampleFile("http/register-case.json").caseId);
    await op.getByRole("button", { name: "发送 Send" }).click();
    await expect.poll(() => op.locator("pre.out").textContent(), { timeout: 10_000 }).toMatch(/^201 /);
  }, 30_000);
});
