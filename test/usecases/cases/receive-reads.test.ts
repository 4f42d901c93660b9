import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalBytes, sealedDocumentBytes, shanghaiTimestamp } from "../../../src/usecases/canonical.ts";
import {
  GatewayError,
  receiveDocument,
  registerApplication,
  submitDocument,
  type GatewayDeps,
} from "../../../src/usecases/index.ts";
import { example } from "../../http/app-harness.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";

const ZJ = "330000";
const GD = "440000";
const CASE = "CASE-330000-2024-000815";

/**
 * The store calls a received document makes, each with its round: a call's round is one more than the
 * latest round answered before it was made. Every answer is held back to a later macrotask, as a D1 query
 * from a Worker is a round trip, so calls started together share a round and calls made one after another
 * do not. The commit's round is what the sender waits for in round trips.
 */
function roundTracked(deps: GatewayDeps) {
  const calls: { method: string; round: number }[] = [];
  let answered = 0;
  const store = new Proxy(deps.store, {
    get(target, prop, receiver) {
      const member = Reflect.get(target, prop, receiver);
      if (typeof member !== "function") return member;
      return (...args: unknown[]) => {
        const round = answered + 1;
        calls.push({ method: String(prop), round });
        const answer = (member as (...a: unknown[]) => unknown).apply(target, args);
        if (!(answer instanceof Promise)) return answer;
        const settle = () =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              answered = Math.max(answered, round);
              resolve();
            }, 1),
          );
        return answer.then(
          async (value) => {
            await settle();
            return value;
          },
          async (err) => {
            await settle();
            throw err;
          },
        );
      };
    },
  });
  const roundOf = (method: string) => calls.filter((c) => c.method === method).map((c) => c.round);
  return { deps: { ...deps, store }, calls, roundOf };
}

describe("a received document reads its case in one round once its seal holds (D1 round trips)", () => {
  let gw: TestGateway;
  beforeEach(async () => {
    gw = await createTestGateway();
    // 浙江 opens the case and sends the contact letter; 广东 receives it (the dispatcher, the normal path).
    await registerApplication(gw.deps, gw.principal(ZJ), { caseId: CASE, transferOutAgency: GD });
    const letter = example("contact-letter");
    await submitDocument(gw.deps, gw.principal(ZJ), CASE, { type: "contact-letter", body: letter.body, id: letter.id });
    await gw.dispatcher.runOnce();
  });
  afterEach(async () => gw.close());

  const sealAs = (doc: Record<string, unknown>) => {
    const canonical = canonicalBytes(doc);
    const sealKey = gw.deps.agencies.hosted(String(doc.from))!.sealKey;
    return sealedDocumentBytes(canonical, sealKey.seal(canonical, gw.clock.now()));
  };
  /** 浙江's business receipt for a document 广东 sent in the case. */
  const businessReceipt = (documentId: string, documentDigest: string) => ({
    ...example("business-receipt"),
    caseId: CASE,
    issuedAt: shanghaiTimestamp(gw.clock.now()),
    body: { documentId, documentDigest, outcome: "accepted", processedAt: shanghaiTimestamp(gw.clock.now()) },
  });
  /** 广东's insurance record as its gateway sealed and stored it, not yet delivered. */
  const sentRecord = async () => {
    const doc = example("insurance-record");
    await submitDocument(gw.deps, gw.principal(GD), CASE, { type: "insurance-record", body: doc.body, id: doc.id });
    const key = { ownerAgency: GD, direction: "out" as const, from: GD, documentId: doc.id };
    return (await gw.deps.store.getDocument(key))!;
  };

  it("given a case awaiting the record, when the record arrives, then the replay check, then the case and its documents together, then the commit", async () => {
    const record = { ...example("insurance-record"), issuedAt: shanghaiTimestamp(gw.clock.now()) };
    const tracked = roundTracked(gw.deps);

    const answer = await receiveDocument(tracked.deps, sealAs(record), "req-1");

    expect(answer.status).toBe(201);
    expect(tracked.roundOf("getDocument")).toEqual([1]);
    expect(tracked.roundOf("caseDocuments")).toEqual([2]);
    expect(tracked.roundOf("getCase")).toEqual([2]);
    expect(tracked.roundOf("commit")).toEqual([3]);
  });

  it("given a record 浙江 received, when its business receipt reaches 广东, then the acknowledged document and the case are read together", async () => {
    const sent = await sentRecord();
    await gw.dispatcher.runOnce();
    await gw.dispatcher.idle();
    const receipt = businessReceipt(sent.documentId, sent.documentSha256);
    const tracked = roundTracked(gw.deps);

    const answer = await receiveDocument(tracked.deps, sealAs(receipt), "req-2");

    expect(answer.status).toBe(201);
    // Round 1: the replay check of the receipt itself; round 2: the sent record it acknowledges, beside the case.
    expect(tracked.roundOf("getDocument")).toEqual([1, 2]);
    expect(tracked.roundOf("getCase")).toEqual([2]);
    expect(tracked.roundOf("commit")).toEqual([3]);
    const acknowledged = await gw.deps.store.getDocument({
      ownerAgency: GD,
      direction: "out",
      from: GD,
      documentId: sent.documentId,
    });
    expect(acknowledged?.businessReceiptId).toBe(receipt.id);
  });

  it("given a contact letter naming a voucher, when it arrives, then the voucher check and the case are read together", async () => {
    const letter = {
      ...example("contact-letter"),
      id: "ZJ-LXH-RT-2",
      caseId: "CASE-330000-2024-000816",
      issuedAt: shanghaiTimestamp(gw.clock.now()),
    };
    const tracked = roundTracked(gw.deps);

    const answer = await receiveDocument(tracked.deps, sealAs(letter), "req-3");

    expect(answer.status).toBe(201);
    // Round 1: the replay check; round 2: the voucher among 广东's own sent documents, beside the case.
    expect(tracked.roundOf("getDocument")).toEqual([1, 2]);
    expect(tracked.roundOf("getCase")).toEqual([2]);
    expect(tracked.roundOf("commit")).toEqual([3]);
  });

  it("given a document whose seal does not verify, when it arrives, then nothing but the replay check is read", async () => {
    const sent = await sentRecord();
    const forged = Uint8Array.from(sent.seal);
    forged[forged.length - 5]! ^= 0x01;
    const tracked = roundTracked(gw.deps);

    const refused = await receiveDocument(tracked.deps, sealedDocumentBytes(sent.canonical, forged), "req-4").catch(
      (e: unknown) => e,
    );

    expect(refused).toBeInstanceOf(GatewayError);
    expect((refused as GatewayError).code).toMatch(/^SEAL_/);
    expect(tracked.calls.map((c) => c.method)).toEqual(["getDocument"]);
  });

  it("given a business receipt for a document never sent, when it arrives, then DOCUMENT_NOT_FOUND and nothing written", async () => {
    const receipt = businessReceipt("GD-NEVER-SENT", "0".repeat(64));
    const refused = await receiveDocument(gw.deps, sealAs(receipt), "req-5").catch((e: unknown) => e);

    expect((refused as GatewayError).code).toBe("DOCUMENT_NOT_FOUND");
    const key = { ownerAgency: GD, direction: "in" as const, from: ZJ, documentId: receipt.id };
    expect(await gw.deps.store.getDocument(key)).toBeUndefined();
  });

  it("given the store failing every case read, when a record arrives, then one error and no rejection left unhandled", async () => {
    const sent = await sentRecord();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const failing = new Proxy(gw.deps.store, {
      get(target, prop, receiver) {
        if (prop === "getCase" || prop === "caseDocuments")
          return async () => Promise.reject(new Error(`${prop} down`));
        return Reflect.get(target, prop, receiver);
      },
    });
    try {
      const bytes = sealedDocumentBytes(sent.canonical, sent.seal);
      const refused = await receiveDocument({ ...gw.deps, store: failing }, bytes, "req-6").catch((e: unknown) => e);

      expect((refused as Error).message).toBe("caseDocuments down");
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
