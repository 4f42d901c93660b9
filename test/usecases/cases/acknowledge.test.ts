import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type GatewayError,
  acknowledgeInbound,
  registerApplication,
  submitDocument,
} from "../../../src/usecases/index.ts";
import { StoreError } from "../../../src/usecases/store-error.ts";
import { example } from "../../http/app-harness.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";

/** A document is acknowledged once, also when two acknowledgements race (issue 9 item 1). */
describe("acknowledging an inbound document", () => {
  let gw: TestGateway;
  const caseId = "CASE-330000-2026-ACK001";
  const letterId = "ZJ-LXH-ACK-1";

  beforeEach(async () => {
    gw = await createTestGateway();
    // Given 广东 has received 浙江's contact letter
    await registerApplication(gw.deps, gw.principal("330000"), { caseId, transferOutAgency: "440000" });
    const letter = example("contact-letter");
    await submitDocument(gw.deps, gw.principal("330000"), caseId, {
      type: "contact-letter",
      body: letter.body,
      id: letterId,
    });
    await gw.dispatcher.runOnce();
  });
  afterEach(async () => gw.close());

  const businessReceipts = async () =>
    (await gw.deps.store.caseDocuments("440000", caseId)).filter((d) => d.type === "business-receipt");

  it("answers two concurrent acknowledgements with one business receipt, stored and queued once", async () => {
    // When 广东's system acknowledges the letter twice at the same time
    const [first, second] = await Promise.all([
      acknowledgeInbound(gw.deps, gw.principal("440000"), { documentId: letterId }),
      acknowledgeInbound(gw.deps, gw.principal("440000"), { documentId: letterId }),
    ]);
    // Then both answers name the same business receipt, and only one exists
    expect(second.documentId).toBe(first.documentId);
    expect((await businessReceipts()).map((d) => d.documentId)).toEqual([first.documentId]);
    const inbound = await gw.deps.store.getDocument({
      ownerAgency: "440000",
      direction: "in",
      from: "330000",
      documentId: letterId,
    });
    expect(inbound?.businessReceiptId).toBe(first.documentId);
  });

  it("refuses a concurrent acknowledgement with another outcome: ALREADY_ACKNOWLEDGED, one receipt", async () => {
    const results = await Promise.allSettled([
      acknowledgeInbound(gw.deps, gw.principal("440000"), { documentId: letterId }),
      acknowledgeInbound(gw.deps, gw.principal("440000"), {
        documentId: letterId,
        outcome: "rejected",
        note: "不予受理",
      }),
    ]);
    const refused = results.filter((r) => r.status === "rejected").map((r) => (r.reason as GatewayError).code);
    expect(refused).toEqual(["ALREADY_ACKNOWLEDGED"]);
    expect(await businessReceipts()).toHaveLength(1);
  });

  it("keeps the store's guard: a second, different business receipt id on an acknowledged document writes nothing", async () => {
    const first = await acknowledgeInbound(gw.deps, gw.principal("440000"), { documentId: letterId });
    const key = { ownerAgency: "440000", direction: "in" as const, from: "330000", documentId: letterId };
    const refused = await gw.deps.store
      .commit({
        documentUpdates: [{ key, businessReceiptId: "brcpt-other" }],
        audit: [{ at: "2026-01-01T00:00:00Z", kind: "probe" }],
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StoreError);
    expect((refused as StoreError).code).toBe("VERSION_CONFLICT");
    expect((await gw.deps.store.getDocument(key))?.businessReceiptId).toBe(first.documentId);
    expect(await gw.deps.store.auditEvents({ kind: "probe", limit: 10 })).toHaveLength(0);
  });
});
