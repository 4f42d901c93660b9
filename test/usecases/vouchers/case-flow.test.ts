import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Document } from "../../../src/domain/documents/index.ts";
import { canonicalBytes, sealedDocumentBytes, shanghaiTimestamp } from "../../../src/usecases/canonical.ts";
import {
  receiveDocument,
  registerApplication,
  submitDocument,
  type IssuedVoucher,
} from "../../../src/usecases/index.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";
import { PERSON, example, issue, letterBody, voucherBody } from "./support.ts";

const ZJ = "330000";
const GD = "440000";
const CASE = "CASE-330000-2026-000201";
const LETTER = "ZJ-LXH-2026-000201";
const PRIORITY = { reasonCode: "NEAR_RETIREMENT" as const, note: "三个月后达到退休年龄" };

/** The contact letter as 广东 received it. */
async function receivedLetter(gw: TestGateway): Promise<Document> {
  const record = await gw.deps.store.getDocument({ ownerAgency: GD, direction: "in", from: ZJ, documentId: LETTER });
  return JSON.parse(new TextDecoder().decode(record!.canonical));
}

describe("the voucher through the case (issue 11 item 1)", () => {
  let gw: TestGateway;
  let voucher: IssuedVoucher;
  beforeEach(async () => {
    gw = await createTestGateway();
    voucher = await issue(gw);
  });
  afterEach(async () => gw.close());

  const zj = () => gw.principal(ZJ);
  const gd = () => gw.principal(GD);
  const open = (extra: Record<string, unknown> = { person: PERSON, voucher: voucher.sealed }) =>
    registerApplication(gw.deps, zj(), { caseId: CASE, transferOutAgency: GD, ...extra });
  const sendLetter = (body: Record<string, unknown>) =>
    submitDocument(gw.deps, zj(), CASE, { type: "contact-letter", body, id: LETTER });

  describe("given a case opened with the voucher and a priority reason", () => {
    beforeEach(async () => {
      await open({ person: PERSON, voucher: voucher.sealed, priority: PRIORITY });
    });

    it("refuses a letter for another person than the case's, so it cannot carry this person's voucher", async () => {
      const other = { ...letterBody(), person: { name: "陈志强", idNumber: "110101198001010053" } };
      await expect(sendLetter(other)).rejects.toMatchObject({
        code: "DOCUMENT_INVALID",
        problems: [expect.objectContaining({ code: "PERSON_MISMATCH", path: "/body/person/idNumber" })],
      });
      expect((await gw.deps.store.caseDocuments(ZJ, CASE)).map((d) => d.type)).toEqual(["contribution-voucher"]);
    });

    it("fills the case's voucher and priority reason into a letter that leaves them out", async () => {
      await sendLetter(letterBody());
      await gw.dispatcher.runOnce();
      const letter = await receivedLetter(gw);
      expect(letter.body).toMatchObject({
        voucher: { id: voucher.documentId, sha256: voucher.documentSha256 },
        priority: PRIORITY,
      });
    });

    it("lets 广东 recognise the voucher it issued: check issued-here, no mismatch event", async () => {
      await sendLetter(letterBody());
      await gw.dispatcher.runOnce();
      const atGd = await gw.deps.store.getCase(GD, CASE);
      expect(atGd?.state).toMatchObject({
        status: "contact-letter-received",
        voucher: { id: voucher.documentId, sha256: voucher.documentSha256, check: "issued-here" },
      });
      expect(await gw.deps.store.auditEvents({ kind: "voucher.mismatch", limit: 10 })).toEqual([]);
    });

    it("refuses a letter naming another voucher (VOUCHER_MISMATCH)", async () => {
      const other = { id: voucher.documentId, sha256: "0".repeat(64) };
      await expect(sendLetter({ ...letterBody(), voucher: other })).rejects.toMatchObject({ code: "VOUCHER_MISMATCH" });
    });

    it("accepts a letter naming the case's voucher itself", async () => {
      const named = { id: voucher.documentId, sha256: voucher.documentSha256 };
      expect(await sendLetter({ ...letterBody(), voucher: named })).toMatchObject({ type: "contact-letter" });
    });

    it("refuses a pre-sealed letter that does not name the case's voucher (VOUCHER_MISMATCH)", async () => {
      const document = {
        jiexu: 1,
        id: LETTER,
        type: "contact-letter",
        caseId: CASE,
        from: ZJ,
        to: GD,
        issuedAt: shanghaiTimestamp(gw.clock.now()),
        body: letterBody(),
      } as unknown as Document;
      const canonical = canonicalBytes(document);
      const seal = Buffer.from(gw.deps.agencies.hosted(ZJ)!.sealKey.seal(canonical, gw.clock.now())).toString("base64");
      await expect(submitDocument(gw.deps, zj(), CASE, { sealed: { document, seal } })).rejects.toMatchObject({
        code: "VOUCHER_MISMATCH",
      });
    });
  });

  it("leaves a letter as written in a case opened without a voucher", async () => {
    await open({ person: PERSON });
    await sendLetter(letterBody());
    await gw.dispatcher.runOnce();
    expect((await receivedLetter(gw)).body).not.toHaveProperty("voucher");
  });

  it("flags, audits and still accepts a letter naming a voucher 广东 did not issue", async () => {
    await open({ person: PERSON });
    const named = { id: "GD-PZ-2026-999999", sha256: voucher.documentSha256 };
    await sendLetter({ ...letterBody(), voucher: named });
    await gw.dispatcher.runOnce();
    const atGd = await gw.deps.store.getCase(GD, CASE);
    expect(atGd?.state).toMatchObject({ status: "contact-letter-received", voucher: { check: "not-issued-here" } });
    expect(await gw.deps.store.auditEvents({ kind: "voucher.mismatch", limit: 10 })).toEqual([
      expect.objectContaining({
        agencyId: GD,
        caseId: CASE,
        documentId: LETTER,
        detail: { from: ZJ, voucherId: named.id, check: "not-issued-here" },
      }),
    ]);
  });

  it("logs the mismatch with the person's ID number masked", async () => {
    const lines: { event: string; fields: Record<string, unknown> }[] = [];
    const record = (event: string, fields: Record<string, unknown> = {}) => void lines.push({ event, fields });
    const logger = { info: record, warn: record, error: record };
    const letter = {
      ...example("contact-letter"),
      id: LETTER,
      caseId: CASE,
      issuedAt: shanghaiTimestamp(gw.clock.now()),
    };
    const canonical = canonicalBytes(letter);
    const seal = gw.deps.agencies.hosted(ZJ)!.sealKey.seal(canonical, gw.clock.now());
    const answer = await receiveDocument({ ...gw.deps, logger }, sealedDocumentBytes(canonical, seal), "req-log");
    expect(answer.status).toBe(201);
    const line = lines.find((l) => l.event === "voucher.mismatch");
    expect(line?.fields).toMatchObject({ check: "not-issued-here", person: "330106********123X", caseId: CASE });
    expect(JSON.stringify(lines)).not.toContain(PERSON.idNumber);
  });

  it("flags a letter naming a voucher 广东 issued with another digest (digest-mismatch)", async () => {
    await open({ person: PERSON });
    await sendLetter({ ...letterBody(), voucher: { id: voucher.documentId, sha256: "0".repeat(64) } });
    await gw.dispatcher.runOnce();
    expect((await gw.deps.store.getCase(GD, CASE))?.state).toMatchObject({ voucher: { check: "digest-mismatch" } });
  });

  it("flags a letter naming 广东's voucher for another person than the letter's (person-mismatch)", async () => {
    // Given a case opened without a person or voucher, whose letter is for someone else
    const someoneElse = { name: "李四", idNumber: "110101198001010053" };
    await open({});
    await sendLetter({
      ...letterBody(),
      person: someoneElse,
      voucher: { id: voucher.documentId, sha256: voucher.documentSha256 },
    });
    await gw.dispatcher.runOnce();
    // Then 广东 finds its voucher, unchanged, but issued to 陈志强: flagged, audited
    expect((await gw.deps.store.getCase(GD, CASE))?.state).toMatchObject({ voucher: { check: "person-mismatch" } });
    const events = await gw.deps.store.auditEvents({ kind: "voucher.mismatch", limit: 10 });
    expect(events).toHaveLength(1);
  });

  it("does not take a voucher as a case document, nor at /v1/exchange (TYPE_NOT_SUBMITTABLE)", async () => {
    await open();
    await expect(
      submitDocument(gw.deps, zj(), CASE, { type: "contribution-voucher", body: voucherBody() }),
    ).rejects.toMatchObject({ code: "TYPE_NOT_SUBMITTABLE" });
    const bytes = sealedDocumentBytes(
      canonicalBytes(voucher.sealed.document),
      Buffer.from(voucher.sealed.seal, "base64"),
    );
    await expect(receiveDocument(gw.deps, bytes, "req-1")).rejects.toMatchObject({ code: "TYPE_NOT_SUBMITTABLE" });
  });

  describe("given 广东 holds the case after a letter without a voucher", () => {
    beforeEach(async () => {
      await open({ person: PERSON });
      await sendLetter(letterBody());
      await gw.dispatcher.runOnce();
    });

    const sendRecord = (voucherRef: unknown) => {
      const record = example("insurance-record");
      return submitDocument(gw.deps, gd(), CASE, {
        type: "insurance-record",
        body: { ...record.body, voucher: voucherRef },
        id: record.id,
      });
    };

    it("attaches a voucher it issued to the insurance record", async () => {
      const sent = await sendRecord({ id: voucher.documentId, sha256: voucher.documentSha256 });
      expect(sent).toMatchObject({ type: "insurance-record", state: "queued" });
    });

    it("refuses a record naming a voucher it did not issue, or not so (VOUCHER_MISMATCH)", async () => {
      await expect(sendRecord({ id: "GD-PZ-2026-999999", sha256: voucher.documentSha256 })).rejects.toMatchObject({
        code: "VOUCHER_MISMATCH",
      });
      await expect(sendRecord({ id: voucher.documentId, sha256: "0".repeat(64) })).rejects.toMatchObject({
        code: "VOUCHER_MISMATCH",
      });
    });
  });
});
