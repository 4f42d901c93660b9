import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { shanghaiTimestamp } from "../../src/usecases/canonical.ts";
import {
  describeCase,
  listAuditEvents,
  readInbox,
  registerApplication,
  submitDocument,
} from "../../src/usecases/index.ts";
import { createTestApp, example, type TestApp } from "./app-harness.ts";

/**
 * Issue 9 item 1: a trusted seal is not a licence to write into any case. The case is between 浙江 330000
 * (transfer-in) and 广东 440000 (transfer-out); 北京 110000 holds a valid, trusted seal but is no party.
 */
describe("who may say what in which case (issue 9 item 1)", () => {
  let t: TestApp;
  const caseId = "CASE-330000-2026-WP0001";
  const letterId = "ZJ-LXH-WP-0001";

  const doc = (type: string, from: string, to: string, id: string, extra: Record<string, unknown> = {}) => ({
    ...example(type),
    id,
    caseId,
    from,
    to,
    issuedAt: shanghaiTimestamp(t.gw.clock.now()),
    ...extra,
  });
  const exchange = (bytes: Uint8Array) => t.call("POST", "/v1/exchange", { raw: bytes });
  const documentsOf = async (agencyId: string) =>
    (await describeCase(t.gw.deps, t.gw.principal(agencyId), caseId)).documents.map((d) => d.documentId);
  const wrongPartyEvents = async () =>
    (await listAuditEvents(t.gw.deps, { tokenId: "a", role: "admin" }, { kind: "security.wrong-party", limit: 1000 }))
      .length;

  // A fresh gateway per test with the case registered and the contact letter delivered to 440000.
  beforeEach(async () => {
    t = await createTestApp();
    await registerApplication(t.gw.deps, t.gw.principal("330000"), { caseId, transferOutAgency: "440000" });
    const letter = example("contact-letter");
    await submitDocument(t.gw.deps, t.gw.principal("330000"), caseId, {
      type: "contact-letter",
      body: letter.body,
      id: letterId,
    });
    await t.gw.dispatcher.runOnce();
  });
  afterEach(async () => t.gw.close());

  it("refuses a third party's return into someone else's case with 403 WRONG_PARTY, an audit event and no row", async () => {
    const before = await wrongPartyEvents();
    const res = await exchange(t.sealed(doc("return", "110000", "330000", "BJ-TH-WP-1", { replyTo: letterId })));
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe("WRONG_PARTY");
    const kept = await describeCase(t.gw.deps, t.gw.principal("330000"), caseId);
    expect(kept.status).toBe("contact-letter-sent");
    expect(kept.documents.map((d) => d.documentId)).not.toContain("BJ-TH-WP-1");
    expect(
      await t.gw.deps.store.getDocument({
        ownerAgency: "330000",
        direction: "in",
        from: "110000",
        documentId: "BJ-TH-WP-1",
      }),
    ).toBeUndefined();
    expect(await wrongPartyEvents()).toBe(before + 1);
  });

  it("refuses a third party's insurance record, and the real counterpart's record is then accepted", async () => {
    // Valid in itself, so only the party check can refuse it: 北京 paid none of the example's 广东 months.
    const strangerBody = { ...example("insurance-record").body, paidMonths: 0 };
    const stranger = await exchange(
      t.sealed(doc("insurance-record", "110000", "330000", "BJ-CB-WP-1", { body: strangerBody })),
    );
    expect(stranger.status).toBe(403);
    expect((await stranger.json()).code).toBe("WRONG_PARTY");
    expect(await documentsOf("330000")).not.toContain("BJ-CB-WP-1");

    const genuine = await exchange(t.sealed(doc("insurance-record", "440000", "330000", "GD-CB-WP-1")));
    expect(genuine.status).toBe(201);
    expect(await documentsOf("330000")).toContain("GD-CB-WP-1");
  });

  it("refuses the counterpart sending a document against its role (a contact letter from the transfer-out side)", async () => {
    const res = await exchange(t.sealed(doc("contact-letter", "440000", "330000", "GD-LXH-WP-1")));
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe("WRONG_PARTY");
  });

  it("refuses a third party's contact letter reusing a case id the addressee already keeps with another agency", async () => {
    const res = await exchange(t.sealed(doc("contact-letter", "110000", "440000", "BJ-LXH-WP-1")));
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe("WRONG_PARTY");
    const gd = await describeCase(t.gw.deps, t.gw.principal("440000"), caseId);
    expect(gd.counterpartId).toBe("330000");
  });

  it("refuses a pre-sealed submission addressed to an agency that is not the case's counterpart", async () => {
    const sealed = JSON.parse(
      new TextDecoder().decode(t.sealed(doc("insurance-record", "440000", "110000", "GD-CB-WP-2"))),
    );
    const res = await t.call("POST", `/v1/cases/${caseId}/documents`, {
      token: t.gw.tokens["440000"],
      body: { sealed },
    });
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe("WRONG_PARTY");
  });

  describe("business receipts", () => {
    const receiptFor = (from: string, to: string, id: string, acknowledged: string, digest: string) =>
      doc("business-receipt", from, to, id, {
        replyTo: acknowledged,
        body: {
          documentId: acknowledged,
          documentDigest: digest,
          outcome: "accepted",
          processedAt: shanghaiTimestamp(t.gw.clock.now()),
        },
      });
    // A second case walked properly: 440000 acknowledges 330000's contact letter with a business receipt.
    const second = "CASE-330000-2026-WP0002";
    const acknowledgeSecondLetter = async () => {
      await registerApplication(t.gw.deps, t.gw.principal("330000"), { caseId: second, transferOutAgency: "440000" });
      const letter = example("contact-letter");
      await submitDocument(t.gw.deps, t.gw.principal("330000"), second, {
        type: "contact-letter",
        body: letter.body,
        id: "ZJ-LXH-WP-0002",
      });
      await t.gw.dispatcher.runOnce();
      return t.call("POST", "/v1/inbox/ZJ-LXH-WP-0002/ack", { token: t.gw.tokens["440000"], body: {} });
    };
    const sentDigest = async () =>
      (await t.gw.deps.store.getDocument({
        ownerAgency: "330000",
        direction: "out",
        from: "330000",
        documentId: letterId,
      }))!.documentSha256;

    it("refuses a business receipt from an agency the document was not sent to", async () => {
      const res = await exchange(t.sealed(receiptFor("110000", "330000", "BJ-HZ-WP-1", letterId, await sentDigest())));
      expect(res.status).toBe(403);
      expect((await res.json()).code).toBe("WRONG_PARTY");
      const sent = await t.gw.deps.store.getDocument({
        ownerAgency: "330000",
        direction: "out",
        from: "330000",
        documentId: letterId,
      });
      expect(sent!.businessReceiptId).toBeUndefined();
    });

    it("refuses a business receipt naming another digest than the document's", async () => {
      const res = await exchange(t.sealed(receiptFor("440000", "330000", "GD-HZ-WP-0", letterId, "0".repeat(64))));
      expect(res.status).toBe(409);
      expect((await res.json()).code).toBe("DIGEST_MISMATCH");
    });

    it("acknowledges once: a second, different business receipt for the same document is 409 ALREADY_ACKNOWLEDGED", async () => {
      const first = t.sealed(receiptFor("440000", "330000", "GD-HZ-WP-1", letterId, await sentDigest()));
      expect((await exchange(first)).status).toBe(201);
      expect((await exchange(first)).status).toBe(200);
      const second = await exchange(
        t.sealed(receiptFor("440000", "330000", "GD-HZ-WP-2", letterId, await sentDigest())),
      );
      expect(second.status).toBe(409);
      expect((await second.json()).code).toBe("ALREADY_ACKNOWLEDGED");
    });

    it("refuses a business receipt of a business receipt, over the exchange and at the inbox", async () => {
      const ack = await acknowledgeSecondLetter();
      expect(ack.status).toBe(201);
      await t.gw.dispatcher.runOnce();
      const receiptId = (await ack.json()).documentId as string;
      const inbox = await readInbox(t.gw.deps, t.gw.principal("330000"), undefined);
      expect(inbox.entries.map((e) => e.documentId)).toContain(receiptId);

      const local = await t.call("POST", `/v1/inbox/${receiptId}/ack`, { token: t.gw.tokens["330000"], body: {} });
      expect(local.status).toBe(409);
      expect((await local.json()).code).toBe("NOT_ACKNOWLEDGEABLE");

      const stored = await t.gw.deps.store.getDocument({
        ownerAgency: "440000",
        direction: "out",
        from: "440000",
        documentId: receiptId,
      });
      const crafted = doc("business-receipt", "330000", "440000", "ZJ-HZ-WP-9", {
        caseId: second,
        replyTo: receiptId,
        body: {
          documentId: receiptId,
          documentDigest: stored!.documentSha256,
          outcome: "accepted",
          processedAt: shanghaiTimestamp(t.gw.clock.now()),
        },
      });
      const res = await exchange(t.sealed(crafted));
      expect(res.status).toBe(409);
      expect((await res.json()).code).toBe("NOT_ACKNOWLEDGEABLE");
    });

    it("answers a repeated inbox acknowledgement with the first receipt, and refuses a different outcome", async () => {
      const first = await acknowledgeSecondLetter();
      const again = await t.call("POST", "/v1/inbox/ZJ-LXH-WP-0002/ack", { token: t.gw.tokens["440000"], body: {} });
      expect(again.status).toBe(201);
      expect((await again.json()).documentId).toBe((await first.json()).documentId);
      const other = await t.call("POST", "/v1/inbox/ZJ-LXH-WP-0002/ack", {
        token: t.gw.tokens["440000"],
        body: { outcome: "rejected", note: "重复" },
      });
      expect(other.status).toBe(409);
      expect((await other.json()).code).toBe("ALREADY_ACKNOWLEDGED");
    });
  });
});
