import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  acknowledgeInbound,
  listCaseDeliveries,
  readCaseWorkbench,
  readPendingInbox,
  registerApplication,
  submitDocument,
} from "../../../src/usecases/index.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";

const example = (type: string) =>
  JSON.parse(readFileSync(new URL(`../../../schemas/examples/${type}.json`, import.meta.url), "utf8"));
const CASE = "CASE-330000-2024-000815";

/** The reads behind the agency console (issue 13): pending inbox, what a case expects next, its deliveries. */
describe("console reads", () => {
  let gw: TestGateway;
  beforeEach(async () => {
    gw = await createTestGateway();
  });
  afterEach(async () => gw.close());

  const send = async (agencyId: string, type: string) => {
    const doc = example(type);
    await submitDocument(gw.deps, gw.principal(agencyId), CASE, { type: type as never, body: doc.body, id: doc.id });
    await gw.dispatcher.runOnce();
  };
  const expects = async (agencyId: string) => (await readCaseWorkbench(gw.deps, gw.principal(agencyId), CASE)).expects;

  it("walks what each side may send next, and keeps only unacknowledged case documents in the inbox", async () => {
    const [zj, gd] = [gw.principal("330000"), gw.principal("440000")];
    await registerApplication(gw.deps, zj, { caseId: CASE, transferOutAgency: "440000" });
    expect(await expects("330000")).toEqual(["contact-letter"]);
    await send("330000", "contact-letter");
    expect(await expects("330000")).toEqual([]);
    expect(await expects("440000")).toEqual(["insurance-record", "fund-transfer", "return"]);
    const bench = await readCaseWorkbench(gw.deps, gd, CASE);
    expect(bench).toMatchObject({
      transferIn: "330000",
      transferOut: "440000",
      person: { idNumber: "33010619760815123X" },
    });
    expect(Object.values(bench.reports).map((r) => r.indication)).toEqual(["TOTAL_PASSED"]);

    expect((await readPendingInbox(gw.deps, gd)).map((e) => e.type)).toEqual(["contact-letter"]);
    await acknowledgeInbound(gw.deps, gd, { documentId: example("contact-letter").id });
    await gw.dispatcher.runOnce();
    expect(await readPendingInbox(gw.deps, gd)).toEqual([]);
    // The business receipt 浙江 got back is in its inbox feed, but nothing to acknowledge.
    expect(await readPendingInbox(gw.deps, zj)).toEqual([]);

    await send("440000", "insurance-record");
    expect(await expects("440000")).toEqual(["fund-transfer"]);
    await send("440000", "fund-transfer");
    expect(await expects("440000")).toEqual([]);
    expect(await expects("330000")).toEqual(["completion", "discrepancy"]);
  });

  it("lists a case's deliveries for its own agency only", async () => {
    await registerApplication(gw.deps, gw.principal("330000"), { caseId: CASE, transferOutAgency: "440000" });
    await send("330000", "contact-letter");
    const own = await listCaseDeliveries(gw.deps, gw.principal("330000"), CASE);
    expect(own.map((d) => [d.documentId, d.state])).toEqual([[example("contact-letter").id, "delivered"]]);
    expect(await listCaseDeliveries(gw.deps, gw.principal("440000"), CASE)).toEqual([]);
    await expect(readCaseWorkbench(gw.deps, gw.principal("510000"), CASE)).rejects.toMatchObject({
      code: "CASE_NOT_FOUND",
    });
  });
});
