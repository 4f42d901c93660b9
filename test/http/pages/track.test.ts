import { execFileSync } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../app-harness.ts";
import { letterBody, voucherBody } from "../../usecases/vouchers/support.ts";
import { GD, PERSON, walker, ZJ } from "./walk.ts";

const OTHER_ID = "11010519491231002X";
const MASKED = "330106********123X";

describe("/track (issue 13 item 1)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => t.gw.close());

  const post = (path: string, form: Record<string, string>) =>
    t.app.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
  const lookup = (reference: string, idNumber = PERSON.idNumber) => post("/track", { reference, idNumber });

  it("serves a labelled POST form, and the home page links to it; no cookie anywhere", async () => {
    const res = await t.call("GET", "/track");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<form class="stack card" method="post" action="/track">');
    expect(html).toMatch(/<label for="idNumber">公民身份号码<\/label>/);
    expect(html).toMatch(/<input id="idNumber" name="idNumber"[^>]*autocomplete="off"/);
    expect(res.headers.get("set-cookie")).toBeNull();
    const home = await t.call("GET", "/?lang=en");
    const text = await home.text();
    for (const path of ["/track", "/verify", "/console", "/docs"]) expect(text).toContain(`href="${path}?lang=en"`);
  });

  it("shows a matched case: status, holder, deadline, timeline; name and ID masked, nothing else", async () => {
    const w = walker(t, 1);
    await w.register({ priority: "SERIOUS_ILLNESS" });
    await w.letter();
    const res = await lookup(w.caseId, PERSON.idNumber.toLowerCase());
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toBeNull();
    const html = await res.text();
    expect(html).toContain("陈*强");
    expect(html).toContain(MASKED);
    expect(html).not.toContain(PERSON.idNumber);
    expect(html).not.toContain("陈志强");
    expect(html).toContain("转出地正在办理信息表和基金");
    expect(html).toContain('<dd id="holder">广东省社会保险基金管理局</dd>');
    expect(html).toContain("绿色通道：重病");
    expect(html).toMatch(/申请已受理[\s\S]*联系函已发出[\s\S]*信息表已收到[\s\S]*正在办理[\s\S]*办结[\s\S]*待办/);
    expect(html).toContain("个工作日");
    expect(html).toContain('id="no-voucher"');
    // The access log keeps the path only: no form body, no ID number.
    expect(JSON.stringify(t.logs)).not.toContain(PERSON.idNumber);
  });

  it("answers a wrong ID number exactly as a missing case (404, same page)", async () => {
    const w = walker(t, 2);
    await w.register();
    const wrong = await lookup(w.caseId, OTHER_ID);
    const missing = await lookup("CASE-330000-2026-999999");
    expect(wrong.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await wrong.text()).toBe(await missing.text());
  });

  it("finds a case by the id of its voucher", async () => {
    const w = walker(t, 3);
    const voucherId = await w.register({ voucher: true });
    const res = await lookup(voucherId!);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(w.caseId);
    expect(html).toContain(`凭证编号 ${voucherId}`);
    expect(html).not.toContain('value="33010619760815123X"');
  });

  it("says so when the input is malformed (400) without looking anything up", async () => {
    const res = await lookup("CASE-1", "12345");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("18 位公民身份号码");
  });

  it("limits lookups per client: 429 with Retry-After after the burst, again after the refill", async () => {
    for (let i = 0; i < 10; i++) expect((await lookup("CASE-NONE")).status).toBe(404);
    const limited = await lookup("CASE-NONE");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.text()).toContain("查询次数过多");
    const download = await post("/track/voucher.pdf", { reference: "CASE-NONE", idNumber: PERSON.idNumber });
    expect(download.status).toBe(429);
    t.gw.clock.advance(30_000);
    expect((await lookup("CASE-NONE")).status).toBe(404);
  });

  it("downloads the voucher only for a matching pair, as a PDF", async () => {
    const w = walker(t, 4);
    await w.register({ voucher: true });
    const wrong = await post("/track/voucher.pdf", { reference: w.caseId, idNumber: OTHER_ID });
    expect(wrong.status).toBe(404);
    expect(await wrong.text()).toContain('id="neutral"');
    const res = await post("/track/voucher.pdf", { reference: w.caseId, idNumber: PERSON.idNumber });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(new TextDecoder().decode((await res.arrayBuffer()).slice(0, 5))).toBe("%PDF-");
    const none = walker(t, 5);
    await none.register();
    const noVoucher = await post("/track/voucher.pdf", { reference: none.caseId, idNumber: PERSON.idNumber });
    expect(noVoucher.status).toBe(404);
    expect(await noVoucher.text()).toContain("没有电子参保缴费凭证");
  });

  it("never shows nor prints a voucher of another person that a contact letter named (review 13a #1)", async () => {
    const other = { name: "李小明", idNumber: OTHER_ID };
    const body = { ...voucherBody(), person: { ...voucherBody().person, ...other, socialSecurityNumber: OTHER_ID } };
    const issued = await t.call("POST", "/v1/vouchers", { token: t.gw.tokens[GD]!, body: { body, id: "GD-PZ-OTHER" } });
    expect(issued.status).toBe(201);
    const v = await issued.json();
    const w = walker(t, 7);
    await w.register();
    const letter = { ...letterBody(), voucher: { id: v.documentId, sha256: v.documentSha256 } };
    const sent = await t.call("POST", `/v1/cases/${w.caseId}/documents`, {
      token: t.gw.tokens[ZJ]!,
      body: { type: "contact-letter", body: letter, id: "ZJ-LXH-OTHER" },
    });
    expect(sent.status).toBe(201);
    for (let i = 0; i < 3; i++) await t.gw.dispatcher.runOnce();
    const seen = await (await t.call("GET", `/v1/cases/${w.caseId}`, { token: t.gw.tokens[GD]! })).json();
    expect(seen.voucher.check).toBe("person-mismatch");

    const page = await (await lookup(w.caseId)).text();
    expect(page).not.toContain("GD-PZ-OTHER");
    expect(page).toContain('id="no-voucher"');
    const res = await post("/track/voucher.pdf", { reference: w.caseId, idNumber: PERSON.idNumber });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/html");
    const text = await res.text();
    expect(text).toContain("没有电子参保缴费凭证");
    expect(text).not.toContain("李小明");
  });

  const from = (address: string, reference: string, idNumber = PERSON.idNumber) =>
    t.app.request(
      "/track",
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ reference, idNumber }).toString(),
      },
      { incoming: { socket: { remoteAddress: address } } },
    );

  it("limits one ID number across addresses: walking case numbers from many clients is stopped (review 13a #5)", async () => {
    for (let i = 0; i < 10; i++) expect((await from(`192.0.2.${i}`, `CASE-330000-2026-00010${i}`)).status).toBe(404);
    const walked = await from("198.51.100.7", "CASE-330000-2026-000111");
    expect(walked.status).toBe(429);
    expect(await walked.text()).toContain("查询次数过多");
    // Another person's ID from that fresh address is not held back.
    expect((await from("198.51.100.7", "CASE-330000-2026-000111", OTHER_ID)).status).toBe(404);
  });

  it("keys IPv6 clients by their /64: rotating the interface id gets no fresh bucket", async () => {
    // Two ID numbers in turn, so only the address's bucket can run out.
    const ids = [OTHER_ID, PERSON.idNumber];
    for (let i = 0; i < 10; i++)
      expect((await from(`2001:db8:1:2::${(i + 1).toString(16)}`, `CASE-X-${i}`, ids[i % 2])).status).toBe(404);
    expect((await from("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "CASE-X-99")).status).toBe(429);
    expect((await from("2001:db8:1:3::1", "CASE-X-99")).status).toBe(404);
  });

  it("answers an oversized form with a page, not the API's JSON (413)", async () => {
    const res = await post("/track", {
      reference: "x".repeat(t.gw.deps.limits.maxRequestBytes + 10),
      idNumber: PERSON.idNumber,
    });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("提交的内容过长");
  });

  it("prints the voucher's QR address under the configured public URL, not the request's origin", async () => {
    await t.gw.close();
    t = await createTestApp({ publicUrl: "https://gw.example.cn" });
    const w = walker(t, 8);
    await w.register({ voucher: true });
    const res = await post("/track/voucher.pdf", { reference: w.caseId, idNumber: PERSON.idNumber });
    expect(res.status).toBe(200);
    const text = pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(text).toContain("https://gw.example.cn/v/");
    expect(text).not.toContain("http://localhost");
  });
});

function pdfText(pdf: Uint8Array): string {
  return execFileSync("pdftotext", ["-", "-"], { input: pdf }).toString();
}
