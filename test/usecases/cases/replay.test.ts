import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalBytes, sealedDocumentBytes, shanghaiTimestamp } from "../../../src/usecases/canonical.ts";
import { GatewayError, listAuditEvents, receiveDocument } from "../../../src/usecases/index.ts";
import { example } from "../../http/app-harness.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";

/**
 * Issue 9 item 7: a sender retrying an `uncertain` delivery after its certificate expired (or was rolled
 * over) must get the original receipt, not a fresh verification that now fails.
 */
describe("replays stay idempotent after certificates expire (issue 9 item 7)", () => {
  let gw: TestGateway;
  // A fresh gateway per test: the tests move its clock past certificate expiry.
  beforeEach(async () => {
    gw = await createTestGateway();
  });
  afterEach(async () => gw.close());

  const sealAs = (doc: Record<string, unknown>) => {
    const canonical = canonicalBytes(doc);
    return sealedDocumentBytes(
      canonical,
      gw.deps.agencies.hosted(String(doc.from))!.sealKey.seal(canonical, gw.clock.now()),
    );
  };
  const letter = (id: string) => ({
    ...example("contact-letter"),
    id,
    caseId: `CASE-RP-${id}`,
    issuedAt: shanghaiTimestamp(gw.clock.now()),
  });
  const sealNotAfter = () => gw.pki.agencies.find((a) => a.spec.id === "330000")!.seal.notAfter;

  it("answers a byte-identical replay 25 s after the sender's certificate expired with 200 and the original receipt", async () => {
    const start = gw.clock.now();
    const bytes = sealAs(letter("ZJ-RP-1"));
    const first = await receiveDocument(gw.deps, bytes, "req-1");
    expect(first.status).toBe(201);

    gw.clock.set(new Date(sealNotAfter().getTime() + 25_000));
    try {
      const again = await receiveDocument(gw.deps, bytes, "req-2");
      expect(again.status).toBe(200);
      expect(again.receipt).toBe(first.receipt);
    } finally {
      gw.clock.set(start);
    }
  });

  it("still verifies a new document after expiry: it is refused, not stored", async () => {
    const start = gw.clock.now();
    const bytes = sealAs(letter("ZJ-RP-2"));
    gw.clock.set(new Date(sealNotAfter().getTime() + 25_000));
    try {
      const refused = await receiveDocument(gw.deps, bytes, "req-3").catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(GatewayError);
      expect(["SEAL_UNTRUSTED", "SEAL_TRY_LATER", "SEAL_INVALID"]).toContain((refused as GatewayError).code);
      expect(
        await gw.deps.store.getDocument({
          ownerAgency: "440000",
          direction: "in",
          from: "330000",
          documentId: "ZJ-RP-2",
        }),
      ).toBeUndefined();
    } finally {
      gw.clock.set(start);
    }
  });

  it("does not let an unverified offer with the same id but other content plant an equivocation event", async () => {
    const bytes = sealAs(letter("ZJ-RP-3"));
    expect((await receiveDocument(gw.deps, bytes, "req-4")).status).toBe(201);
    const forged = JSON.parse(new TextDecoder().decode(bytes));
    forged.document.body.letterNumber = "浙社保联〔2024〕0666号";
    const before = (
      await listAuditEvents(gw.deps, { tokenId: "a", role: "admin" }, { kind: "security.equivocation", limit: 1000 })
    ).length;
    const refused = await receiveDocument(gw.deps, new TextEncoder().encode(JSON.stringify(forged)), "req-5").catch(
      (e: unknown) => e,
    );
    expect((refused as GatewayError).code).toBe("SEAL_INVALID");
    const after = (
      await listAuditEvents(gw.deps, { tokenId: "a", role: "admin" }, { kind: "security.equivocation", limit: 1000 })
    ).length;
    expect(after).toBe(before);
  });
});
