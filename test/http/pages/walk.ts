import { expect } from "vitest";
import { example, letterBody, PERSON, voucherBody } from "../../usecases/vouchers/support.ts";
import type { TestApp } from "../app-harness.ts";

export { PERSON };
export const ZJ = "330000";
export const GD = "440000";

/**
 * One case walked through the API (as an agency system would), for the tracking page tests: 浙江 330000 takes
 * the application, 广东 440000 is the former place; every document is delivered before the next step.
 * Document ids carry `n`, so several cases can live in one gateway.
 */
export function walker(t: TestApp, n: number) {
  const caseId = `CASE-330000-2026-${String(n).padStart(6, "0")}`;
  const ids = {
    letter: `ZJ-LXH-${n}`,
    record: `GD-XXB-${n}`,
    correction: `GD-XXB-${n}-2`,
    funds: `GD-HZ-${n}`,
    discrepancy: `ZJ-BF-${n}`,
    completion: `ZJ-BJ-${n}`,
    return: `GD-TH-${n}`,
  };
  let currentRecord = ids.record;
  const deliver = async () => {
    for (let i = 0; i < 2; i++) await t.gw.dispatcher.runOnce();
  };
  const submit = async (agency: string, type: string, body: Record<string, unknown>, id: string) => {
    const res = await t.call("POST", `/v1/cases/${caseId}/documents`, {
      token: t.gw.tokens[agency]!,
      body: { type, body, id },
    });
    expect(res.status, `${type}: ${await res.clone().text()}`).toBe(201);
    await deliver();
  };
  return {
    caseId,
    ids,
    /** Registers the application; `voucher: true` issues one at 广东 first and presents it. */
    async register(options: { voucher?: boolean; priority?: string } = {}) {
      let voucher: { sealed: unknown; documentId: string } | undefined;
      if (options.voucher) {
        const issued = await t.call("POST", "/v1/vouchers", {
          token: t.gw.tokens[GD]!,
          body: { body: voucherBody(), id: `GD-PZ-${n}` },
        });
        expect(issued.status).toBe(201);
        voucher = await issued.json();
      }
      const res = await t.call("POST", "/v1/cases", {
        token: t.gw.tokens[ZJ]!,
        body: {
          caseId,
          transferOutAgency: GD,
          person: PERSON,
          ...(voucher ? { voucher: voucher.sealed } : {}),
          ...(options.priority ? { priority: { reasonCode: options.priority } } : {}),
        },
      });
      expect(res.status, await res.clone().text()).toBe(201);
      return voucher?.documentId;
    },
    letter: () => submit(ZJ, "contact-letter", letterBody(), ids.letter),
    record: () => submit(GD, "insurance-record", example("insurance-record").body, ids.record),
    funds: () =>
      submit(GD, "fund-transfer", { ...example("fund-transfer").body, insuranceRecordId: currentRecord }, ids.funds),
    discrepancy: () => {
      const dispute = example("discrepancy").body;
      const findings = dispute.findings.map((f: object) => ({ ...f, documentId: ids.record }));
      return submit(ZJ, "discrepancy", { ...dispute, disputedDocumentIds: [ids.record], findings }, ids.discrepancy);
    },
    correction: async () => {
      await submit(
        GD,
        "insurance-record",
        { ...example("insurance-record").body, supersedes: ids.record },
        ids.correction,
      );
      currentRecord = ids.correction;
    },
    completion: () =>
      submit(
        ZJ,
        "completion",
        { ...example("completion").body, insuranceRecordId: currentRecord, fundTransferId: ids.funds },
        ids.completion,
      ),
    returned: (explanation?: string) => {
      const body = { ...example("return").body, returnedDocumentId: ids.letter };
      return submit(GD, "return", explanation ? { ...body, explanation } : body, ids.return);
    },
  };
}
