import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./app-harness.ts";
import { readmeWalkthrough, type CurlRequest } from "./readme-curl.ts";

/**
 * Issue 15 item 2: the README's curl walkthrough, command by command, against a test gateway — the
 * dispatcher run between commands, as `npm start` delivers in the background.
 */
describe("the README's HTTP walkthrough", () => {
  let t: TestApp;
  let requests: CurlRequest[];
  beforeAll(async () => {
    t = await createTestApp();
    requests = readmeWalkthrough(t.gw.tokens);
  });
  afterAll(async () => t.gw.close());

  it("is a sequence of curl commands against npm start's address, with the example files as bodies", () => {
    expect(requests.length).toBeGreaterThanOrEqual(12);
    for (const r of requests) expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:8787\/v1\//);
    expect(requests.filter((r) => r.dataFile).map((r) => r.dataFile)).toEqual([
      "schemas/examples/http/register-case.json",
      "schemas/examples/contact-letter.json",
      "schemas/examples/insurance-record.json",
      "schemas/examples/fund-transfer.json",
      "schemas/examples/completion.json",
    ]);
  });

  it("answers every command with 200 or 201 and ends with the case completed", async () => {
    let last: unknown;
    for (const r of requests) {
      const res = await t.app.request(r.url, {
        method: r.method,
        headers: r.headers,
        ...(r.body ? { body: r.body as BodyInit } : {}),
      });
      const text = await res.text();
      expect({ command: r.command, status: res.status, text: res.ok ? "" : text }).toEqual({
        command: r.command,
        status: res.status === 201 ? 201 : 200,
        text: "",
      });
      last = JSON.parse(text);
      await t.gw.dispatcher.runOnce();
    }
    expect(last).toMatchObject({ caseId: "CASE-330000-2024-000815", status: "completed" });
    const types = (last as { documents: { type: string }[] }).documents.map((d) => d.type);
    for (const type of ["contact-letter", "insurance-record", "fund-transfer", "completion"])
      expect(types).toContain(type);
  });
});
