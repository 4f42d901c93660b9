import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, example, type TestApp } from "./app-harness.ts";

/*
 * Issue 11 item 2 over HTTP: the documents of one case are checked against each other when an agency submits
 * them — payee against the contact letter, the completion against the fund transfer and record it names —
 * and a discrepancy (核对不符) holds the case until a corrected record supersedes the disputed one.
 */

const CASE = "CASE-330000-2024-000815";
const ZJ = "330000"; // transfer-in
const GD = "440000"; // transfer-out

interface Problem {
  code: string;
  path: string;
}

describe("cross-document rules of a case, over HTTP", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => t.gw.close());

  const submit = (agency: string, type: string, doc: { id: string; body: unknown; replyTo?: string }) =>
    t.call("POST", `/v1/cases/${CASE}/documents`, {
      token: t.gw.tokens[agency]!,
      body: { type, id: doc.id, body: doc.body, ...(doc.replyTo ? { replyTo: doc.replyTo } : {}) },
    });
  const view = async (agency: string) =>
    (await t.call("GET", `/v1/cases/${CASE}`, { token: t.gw.tokens[agency]! })).json();
  const problemsOf = async (res: Response) => {
    const body = (await res.json()) as { code: string; problems?: Problem[] };
    return { code: body.code, problems: (body.problems ?? []).map((p) => [p.code, p.path]) };
  };

  /** Given 浙江 registered the case and its contact letter reached 广东. */
  async function givenContactLetterDelivered() {
    const opened = await t.call("POST", "/v1/cases", {
      token: t.gw.tokens[ZJ]!,
      body: { caseId: CASE, transferOutAgency: GD },
    });
    expect(opened.status).toBe(201);
    const letter = example("contact-letter");
    delete letter.body.voucher; // opened without a voucher
    expect((await submit(ZJ, "contact-letter", letter)).status).toBe(201);
    await t.gw.dispatcher.runOnce();
    expect((await view(GD)).status).toBe("contact-letter-received");
  }

  /** And 广东's record and fund transfer reached 浙江. */
  async function givenRecordAndFundsDelivered() {
    expect((await submit(GD, "insurance-record", example("insurance-record"))).status).toBe(201);
    expect((await submit(GD, "fund-transfer", example("fund-transfer"))).status).toBe(201);
    await t.gw.dispatcher.runOnce();
    expect((await view(ZJ)).status).toBe("awaiting-completion");
  }

  it("refuses a fund transfer paying another account than the contact letter's (422 PAYEE_MISMATCH), writing nothing", async () => {
    await givenContactLetterDelivered();
    const funds = example("fund-transfer");
    funds.body.payee.accountNumber = "33001616735059000816";
    const res = await submit(GD, "fund-transfer", funds);
    expect(res.status).toBe(422);
    expect(await problemsOf(res)).toEqual({
      code: "DOCUMENT_INVALID",
      problems: [["PAYEE_MISMATCH", "/body/payee/accountNumber"]],
    });
    const after = await view(GD);
    expect(after.documents.map((d: { documentId: string }) => d.documentId)).toEqual([example("contact-letter").id]);
  });

  it("refuses a completion naming a wrong total or a record not in the case, then accepts the right one", async () => {
    await givenContactLetterDelivered();
    await givenRecordAndFundsDelivered();
    const wrongTotal = example("completion");
    wrongTotal.body.receivedTotalFen += 1;
    const total = await submit(ZJ, "completion", wrongTotal);
    expect(total.status).toBe(422);
    expect(await problemsOf(total)).toEqual({
      code: "DOCUMENT_INVALID",
      problems: [["RECEIVED_TOTAL_MISMATCH", "/body/receivedTotalFen"]],
    });
    const unknownRecord = example("completion");
    unknownRecord.body.insuranceRecordId = "GD-XXB-2024-009999";
    const reference = await submit(ZJ, "completion", unknownRecord);
    expect(reference.status).toBe(422);
    expect((await problemsOf(reference)).problems).toContainEqual(["REFERENCE_NOT_IN_CASE", "/body/insuranceRecordId"]);

    expect((await submit(ZJ, "completion", example("completion"))).status).toBe(201);
    await t.gw.dispatcher.runOnce();
    expect((await view(ZJ)).status).toBe("completed");
    expect((await view(GD)).status).toBe("completed");
  });

  it("holds the case on a discrepancy until a corrected record supersedes the disputed one", async () => {
    await givenContactLetterDelivered();
    await givenRecordAndFundsDelivered();
    const record = example("insurance-record");
    // When 浙江 answers the record with a discrepancy
    expect((await submit(ZJ, "discrepancy", example("discrepancy"))).status).toBe(201);
    await t.gw.dispatcher.runOnce();
    // Then both sides hold the case, and 浙江 cannot complete it
    expect((await view(ZJ)).status).toBe("discrepancy-raised");
    expect((await view(GD)).status).toBe("discrepancy-raised");
    const early = await submit(ZJ, "completion", example("completion"));
    expect(early.status).toBe(409);
    expect((await early.json()).code).toBe("ILLEGAL_TRANSITION");
    // A correction must name a document of the case
    const stray = { ...record, id: "GD-XXB-2024-004322", body: { ...record.body, supersedes: "GD-XXB-2024-000001" } };
    const refused = await submit(GD, "insurance-record", stray);
    expect(refused.status).toBe(422);
    expect((await problemsOf(refused)).problems).toContainEqual(["REFERENCE_NOT_IN_CASE", "/body/supersedes"]);
    // When 广东 sends the corrected record superseding the disputed one
    const corrected = { ...record, id: "GD-XXB-2024-004322", body: { ...record.body, supersedes: record.id } };
    expect((await submit(GD, "insurance-record", corrected)).status).toBe(201);
    await t.gw.dispatcher.runOnce();
    // Then the case waits for completion again, on both sides, with the new record
    const zj = await view(ZJ);
    expect(zj.status).toBe("awaiting-completion");
    expect((await view(GD)).status).toBe("awaiting-completion");
    const completion = example("completion");
    completion.body.insuranceRecordId = corrected.id;
    // the old record no longer counts
    const stale = await submit(ZJ, "completion", example("completion"));
    expect(stale.status).toBe(422);
    expect((await submit(ZJ, "completion", completion)).status).toBe(201);
  });
});
