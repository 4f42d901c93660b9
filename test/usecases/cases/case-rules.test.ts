import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayError, registerApplication, submitDocument } from "../../../src/usecases/index.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";

const read = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../../schemas/examples/${path}`, import.meta.url), "utf8"));
const CASE = "CASE-330000-2024-000815";

/** The problem lines a refused submission carries ("CODE /pointer"), or "accepted". */
async function outcome(run: () => Promise<unknown>): Promise<string[] | "accepted"> {
  try {
    await run();
    return "accepted";
  } catch (err) {
    if (!(err instanceof GatewayError) || err.code !== "DOCUMENT_INVALID") throw err;
    return (err.problems ?? []).map((p) => `${p.code} ${p.path}`);
  }
}

/**
 * The money and case rules as the use cases run them (docs/money-rules.md): each side's copy of the case is
 * the rules' context, and the gateway's calendar gives the emergency windows. The tests are one case's steps in
 * order (record, funds, completion: each rule reads what the step before accepted), so they are not shuffled.
 */
describe("document rules with the case and the calendar as context", { shuffle: false }, () => {
  let gw: TestGateway;
  const zj = () => gw.principal("330000");
  const gd = () => gw.principal("440000");
  const submit = (as: ReturnType<typeof zj>, type: string, doc: { id: string; body: unknown }) =>
    outcome(() => submitDocument(gw.deps, as, CASE, { type, body: doc.body, id: doc.id } as never));

  beforeAll(async () => {
    const windows = [{ region: "440000", from: "2020-01-24", to: "2020-06-30", reason: "新冠肺炎疫情防控" }];
    gw = await createTestGateway({ materials: { calendar: { emergencyWindows: windows } } });
    await registerApplication(gw.deps, zj(), { caseId: CASE, transferOutAgency: "440000" });
    expect(await submit(zj(), "contact-letter", read("contact-letter.json"))).toBe("accepted");
    await gw.dispatcher.runOnce();
  });
  afterAll(async () => gw.close());

  it("refuses a record with a row deferred past the window + 3 months, accepts it paid in time", async () => {
    const late = read("broken/insurance-record.deferral-late.json");
    expect(await submit(gd(), "insurance-record", late)).toEqual([
      "EMERGENCY_DEFERRAL_LATE /body/contributions/23/paidOn",
    ]);
    late.body.contributions[23].paidOn = "2020-09-30";
    expect(await submit(gd(), "insurance-record", late)).toBe("accepted");
    await gw.dispatcher.runOnce();
  });

  it("refuses a fund transfer to another account than the contact letter's, accepts the right payee", async () => {
    const transfer = read("fund-transfer.json");
    // The record above split 2020 at the window; ④ ⑤ ⑥ are its own.
    const { personalAccountFen, pooledFundFen, totalFen } = read("broken/insurance-record.deferral-late.json").body
      .fund;
    Object.assign(transfer.body, { personalAccountFen, pooledFundFen, totalFen });
    const wrong = structuredClone(transfer);
    wrong.body.payee.accountNumber = "33001616735059000999";
    expect(await submit(gd(), "fund-transfer", wrong)).toEqual(["PAYEE_MISMATCH /body/payee/accountNumber"]);
    expect(await submit(gd(), "fund-transfer", transfer)).toBe("accepted");
    await gw.dispatcher.runOnce();
  });

  it("refuses a completion that names a wrong total or a record the case does not hold", async () => {
    const completion = read("completion.json");
    const total = read("broken/insurance-record.deferral-late.json").body.fund.totalFen;
    completion.body.receivedTotalFen = total - 27;
    expect(await submit(zj(), "completion", completion)).toEqual(["RECEIVED_TOTAL_MISMATCH /body/receivedTotalFen"]);
    completion.body.receivedTotalFen = total;
    completion.body.insuranceRecordId = "GD-XXB-2024-009999";
    expect(await submit(zj(), "completion", completion)).toEqual(["REFERENCE_NOT_IN_CASE /body/insuranceRecordId"]);
    completion.body.insuranceRecordId = "GD-XXB-2024-004321";
    expect(await submit(zj(), "completion", completion)).toBe("accepted");
  });
});
