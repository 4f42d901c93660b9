import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeCase, registerApplication, submitDocument } from "../../../src/usecases/index.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";
import { example, letterBody, PERSON } from "../vouchers/support.ts";

const ZJ = "330000";
const GD = "440000";
const CASE = "CASE-CROSS";

/**
 * Funds crossing a discrepancy through both gateways (issue 11 review item 1): 浙江 disputes the record
 * while 广东 has already sent the funds. Neither side may refuse the other's document, or the two case
 * records drift apart for good; the correction then opens the completion clock on both.
 */
describe("funds sent before the discrepancy reaches the sender", () => {
  let gw: TestGateway;
  beforeEach(async () => {
    gw = await createTestGateway();
  });
  afterEach(async () => gw.close());

  const deliver = async () => {
    for (let i = 0; i < 3; i++) await gw.dispatcher.runOnce();
  };
  const view = (agency: string) => describeCase(gw.deps, gw.principal(agency), CASE);
  const stateOf = async (agency: string, documentId: string) =>
    (await view(agency)).documents.find((d) => d.documentId === documentId)?.state;

  it("both sides hold the funds during the hold and await completion after the correction", async () => {
    await registerApplication(gw.deps, gw.principal(ZJ), { caseId: CASE, transferOutAgency: GD, person: PERSON });
    await submitDocument(gw.deps, gw.principal(ZJ), CASE, { type: "contact-letter", body: letterBody(), id: "L1" });
    await deliver();
    const record = example("insurance-record");
    await submitDocument(gw.deps, gw.principal(GD), CASE, {
      type: "insurance-record",
      body: record.body,
      id: record.id,
    });
    await deliver();
    const dispute = example("discrepancy");
    const findings = dispute.body.findings.map((f: object) => ({ ...f, documentId: record.id }));
    const body = { ...dispute.body, disputedDocumentIds: [record.id], findings };
    await submitDocument(gw.deps, gw.principal(ZJ), CASE, { type: "discrepancy", body, id: "D1" });
    const funds = example("fund-transfer");
    await submitDocument(gw.deps, gw.principal(GD), CASE, { type: "fund-transfer", body: funds.body, id: funds.id });
    await deliver();

    expect((await view(GD)).status).toBe("discrepancy-raised");
    expect((await view(ZJ)).status).toBe("discrepancy-raised");
    expect(await stateOf(GD, funds.id)).toBe("delivered");
    expect(await stateOf(ZJ, funds.id)).toBe("received");

    const correction = { ...record.body, supersedes: record.id };
    await submitDocument(gw.deps, gw.principal(GD), CASE, { type: "insurance-record", body: correction, id: "R2" });
    await deliver();
    for (const agency of [GD, ZJ]) {
      const after = await view(agency);
      expect(after.status).toBe("awaiting-completion");
      expect(after.openDeadlines).toMatchObject([{ step: "completion", owedBy: ZJ }]);
    }
  });
});
