import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../app-harness.ts";
import { openCaseWithLetter, sendAsGuangdong, signIn, withRefusingPeer } from "./console-harness.ts";

const unescape = (html: string) =>
  html.replaceAll("&quot;", '"').replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
const textareaOf = (html: string, id: string) =>
  unescape(new RegExp(`<textarea id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)![1]!);

describe("console forms and deliveries", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.gw.close());

  it("issues a voucher from the prefilled template, then registers an application presenting it", async () => {
    const gd = await signIn(t, "440000");
    const form = await gd.get("/console/new");
    expect(form.status).toBe(200);
    const template = JSON.parse(textareaOf(form.html, "voucher-body"));
    expect(template.issuingAgency.divisionCode).toBe("440000");
    const issued = await gd.post("/console/new/voucher", { body: JSON.stringify(template) });
    expect(issued.status).toBe(303);
    const shown = await gd.get(issued.headers.get("location")!);
    expect(shown.html).toContain("凭证已签章出具");
    const sealed = textareaOf(shown.html, "issued-json");
    expect(JSON.parse(sealed).document.type).toBe("contribution-voucher");

    const zj = await signIn(t, "330000");
    const person = template.person;
    const registered = await zj.post("/console/new/application", {
      caseId: "CASE-CONSOLE-NEW",
      transferOutAgency: "440000",
      name: person.name,
      idNumber: person.idNumber,
      reasonCode: "NEAR_RETIREMENT",
      voucher: sealed,
    });
    expect(registered.status, await registered.clone().text()).toBe(303);
    expect(registered.headers.get("location")).toBe("/console/cases/CASE-CONSOLE-NEW");
    const page = await zj.get("/console/cases/CASE-CONSOLE-NEW");
    expect(page.html).toContain("临近退休");
    expect(page.html).toMatch(/<option value="contact-letter" selected="">/);
  });

  it("keeps the input and names the field when a registration is refused", async () => {
    const zj = await signIn(t, "330000");
    const res = await zj.post("/console/new/application", {
      transferOutAgency: "440000",
      name: "王五",
      idNumber: "12345",
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("/person/idNumber");
    expect(html).toContain('value="王五"');
  });

  it("retries a failed delivery and cancels another, only for the agency's own", async () => {
    await openCaseWithLetter(t, "CASE-CONSOLE-FAIL");
    await withRefusingPeer(t, async () => {
      await sendAsGuangdong(t, "CASE-CONSOLE-FAIL", "insurance-record", "GD-XXB-FAIL-1");
      await sendAsGuangdong(t, "CASE-CONSOLE-FAIL", "fund-transfer", "GD-HZ-FAIL-1", {
        insuranceRecordId: "GD-XXB-FAIL-1",
      });
    });
    const gd = await signIn(t, "440000");
    const list = await gd.get("/console/deliveries");
    expect(list.html).toContain("GD-XXB-FAIL-1");
    expect(list.html).toContain("投递失败");
    const rowOf = (doc: string) => new RegExp(`data-delivery="([^"]+)"><td class="mono">${doc}<`).exec(list.html)![1]!;
    const [record, funds] = [rowOf("GD-XXB-FAIL-1"), rowOf("GD-HZ-FAIL-1")];

    const zj = await signIn(t, "330000");
    const foreign = await zj.post(`/console/deliveries/${record}/retry`, {});
    expect(foreign.status).toBe(409);
    expect(await foreign.text()).toContain("没有这条投递");

    const retried = await gd.post(`/console/deliveries/${record}/retry`, { back: "/console/deliveries" });
    expect(retried.status).toBe(303);
    expect((await gd.get(retried.headers.get("location")!)).html).toContain("重试中");
    await t.gw.dispatcher.idle();
    const delivered = await gd.get("/console/deliveries?state=delivered");
    expect(delivered.html).toContain("GD-XXB-FAIL-1");

    // From the case page, the answer comes back to the case page.
    const casePage = await gd.get("/console/cases/CASE-CONSOLE-FAIL");
    expect(casePage.html).toContain(`/console/deliveries/${funds}/cancel`);
    const cancelled = await gd.post(`/console/deliveries/${funds}/cancel`, {
      back: "/console/cases/CASE-CONSOLE-FAIL",
    });
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.get("location")).toMatch(/^\/console\/cases\/CASE-CONSOLE-FAIL\?done=/);
    expect((await gd.get(cancelled.headers.get("location")!)).html).toMatch(
      /现为：<strong class="console-state">已取消/,
    );
    const api = await t.call("GET", "/v1/deliveries?state=cancelled", { token: t.gw.tokens["440000"] });
    expect((await api.json()).deliveries.map((d: { id: string }) => d.id)).toEqual([funds]);
  });
});
