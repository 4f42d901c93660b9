import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acknowledgeInbound,
  describeCase,
  readInbox,
  registerApplication,
  submitDocument,
} from "../../../src/usecases/index.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";

const example = (type: string) =>
  JSON.parse(readFileSync(new URL(`../../../schemas/examples/${type}.json`, import.meta.url), "utf8"));
const CASE = "CASE-330000-2024-000815";

describe("a transfer between two hosted agencies (广东 440000 → 浙江 330000)", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await createTestGateway();
  });
  afterAll(async () => gw.close());

  it("walks application, contact letter, record and funds, completion, with receipts", async () => {
    const zj = gw.principal("330000");
    const gd = gw.principal("440000");
    const registered = await registerApplication(gw.deps, zj, { caseId: CASE, transferOutAgency: "440000" });
    expect(registered.status).toBe("application-registered");
    expect(registered.openDeadlines[0]?.step).toBe("contact-letter");

    const letter = example("contact-letter");
    await submitDocument(gw.deps, zj, CASE, { type: "contact-letter", body: letter.body, id: letter.id });
    await gw.dispatcher.runOnce();
    const afterLetter = await describeCase(gw.deps, zj, CASE);
    expect(afterLetter.documents.find((d) => d.documentId === letter.id)?.state).toBe("delivered");
    const outView = await describeCase(gw.deps, gd, CASE);
    expect(outView.status).toBe("contact-letter-received");

    for (const type of ["insurance-record", "fund-transfer"]) {
      const doc = example(type);
      await submitDocument(gw.deps, gd, CASE, { type: type as "insurance-record", body: doc.body, id: doc.id });
    }
    await gw.dispatcher.runOnce();
    expect((await describeCase(gw.deps, zj, CASE)).status).toBe("awaiting-completion");

    const completion = example("completion");
    await submitDocument(gw.deps, zj, CASE, { type: "completion", body: completion.body, id: completion.id });
    await gw.dispatcher.runOnce();
    expect((await describeCase(gw.deps, gd, CASE)).status).toBe("completed");
    expect((await describeCase(gw.deps, zj, CASE)).status).toBe("completed");

    const inbox = await readInbox(gw.deps, gd, undefined);
    expect(inbox.entries.map((e) => e.type)).toEqual(["contact-letter", "completion"]);
    expect(inbox.entries.every((e) => e.report?.indication === "TOTAL_PASSED")).toBe(true);
    for (const e of inbox.entries) await acknowledgeInbound(gw.deps, gd, { documentId: e.documentId });
    await gw.dispatcher.runOnce();
    const final = await describeCase(gw.deps, zj, CASE);
    const sent = final.documents.filter((d) => d.direction === "out");
    expect(sent.every((d) => d.state === "delivered" && d.receipted)).toBe(true);
    expect(sent.find((d) => d.type === "contact-letter")?.businessReceiptId).toBeDefined();
  });
});
