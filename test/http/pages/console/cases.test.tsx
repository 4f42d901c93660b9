import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../app-harness.ts";
import { openCaseWithLetter, signIn } from "./console-harness.ts";

const PERSON = "33010619760815123X";

describe("console cases", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await openCaseWithLetter(t, "CASE-CONSOLE-A");
    // The same person's second case, the one a test moves on (so A stays where every other test expects it).
    await openCaseWithLetter(t, "CASE-CONSOLE-C");
    // Another person's case between 浙江 and 广东, registered only (no letter yet).
    const other = await t.call("POST", "/v1/cases", {
      token: t.gw.tokens["330000"],
      body: {
        caseId: "CASE-CONSOLE-B",
        transferOutAgency: "440000",
        person: { name: "李四", idNumber: "11010519491231002X" },
      },
    });
    expect(other.status).toBe(201);
  });
  afterAll(() => t.gw.close());

  it("lists only the signed-in agency's cases, ID numbers masked", async () => {
    const gd = await signIn(t, "440000");
    const list = await gd.get("/console/cases");
    expect(list.status).toBe(200);
    expect(list.html).toContain("CASE-CONSOLE-A");
    expect(list.html).not.toContain("CASE-CONSOLE-B"); // 广东 has not heard of it: no letter was sent
    expect(list.html).not.toContain(PERSON);
    expect(list.html).toContain("330106********123X");
    const sc = await signIn(t, "510000");
    expect((await sc.get("/console/cases")).html).toContain("没有符合条件的案件");
    expect((await sc.get("/console/cases/CASE-CONSOLE-A")).status).toBe(404);
  });

  it("finds a case by the person's ID number and refuses a malformed one", async () => {
    const zj = await signIn(t, "330000");
    const found = await zj.get(`/console/cases?idNumber=${PERSON.toLowerCase()}`);
    expect(found.html).toContain("CASE-CONSOLE-A");
    expect(found.html).not.toContain("CASE-CONSOLE-B");
    const bad = await zj.get("/console/cases?idNumber=12345");
    expect(bad.status).toBe(400);
    expect(bad.html).toContain("公民身份号码应为 18 位");
    const filtered = await zj.get("/console/cases?state=application-registered");
    expect(filtered.html).toContain("CASE-CONSOLE-B");
    expect(filtered.html).not.toContain("CASE-CONSOLE-A");
  });

  it("GET /v1/cases?idNumber= finds the person's cases and rejects a malformed number", async () => {
    const res = await t.call("GET", `/v1/cases?idNumber=${PERSON}`, { token: t.gw.tokens["330000"] });
    expect(res.status).toBe(200);
    const ids = (await res.json()).cases.map((k: { caseId: string }) => k.caseId);
    expect(ids.sort()).toEqual(["CASE-CONSOLE-A", "CASE-CONSOLE-C"]);
    const bad = await t.call("GET", "/v1/cases?idNumber=3301061976", { token: t.gw.tokens["330000"] });
    expect(bad.status).toBe(400);
    expect((await bad.json()).problems[0].path).toBe("/idNumber");
  });

  it("shows a case with its timeline, documents and verification report, and the next document's template", async () => {
    const gd = await signIn(t, "440000");
    const page = await gd.get("/console/cases/CASE-CONSOLE-A");
    expect(page.status).toBe(200);
    expect(page.html).toContain("收到联系函");
    expect(page.html).toContain("验证通过");
    expect(page.html).toContain("完整验证报告");
    // Transfer-out after the letter: the record is expected first, with the person and the case filled in.
    expect(page.html).toMatch(/<option value="insurance-record" selected="">/);
    expect(page.html).toContain(PERSON); // the agency's own template carries the person in full
    const funds = await gd.get("/console/cases/CASE-CONSOLE-A?type=fund-transfer");
    expect(funds.html).toMatch(/<option value="fund-transfer" selected="">/);
  });

  it("shows a refused submission in plain words with its problems, keeping the input", async () => {
    const gd = await signIn(t, "440000");
    const res = await gd.post("/console/cases/CASE-CONSOLE-A/documents", {
      type: "insurance-record",
      body: '{"recordNumber": 42}',
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("文书内容未通过校验");
    expect(html).toContain("DOCUMENT_INVALID");
    expect(html).toMatch(/<span class="mono">\/[a-zA-Z]/); // a JSON pointer per problem
    expect(html).toContain("{&quot;recordNumber&quot;: 42}");
    const broken = await gd.post("/console/cases/CASE-CONSOLE-A/documents", { type: "insurance-record", body: "{" });
    expect(broken.status).toBe(422);
    expect(await broken.text()).toContain("JSON_INVALID");
  });

  it("submits the prefilled next document, which is then queued", async () => {
    const gd = await signIn(t, "440000");
    const page = await gd.get("/console/cases/CASE-CONSOLE-C");
    const template = /<textarea id="next-body" name="body"[^>]*>([\s\S]*?)<\/textarea>/.exec(page.html)![1]!;
    const body = template
      .replaceAll("&quot;", '"')
      .replaceAll("&amp;", "&")
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">");
    const res = await gd.post("/console/cases/CASE-CONSOLE-C/documents", { type: "insurance-record", body });
    expect(res.status, await res.clone().text()).toBe(303);
    const after = await gd.get(res.headers.get("location")!);
    expect(after.html).toContain("已签章并排队投递");
    expect(after.html).toContain("信息表已发出");
  });
});
