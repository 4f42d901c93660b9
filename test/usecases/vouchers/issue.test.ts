import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalBytes, sha256Hex } from "../../../src/usecases/canonical.ts";
import { issueVoucher, readVoucher, registerApplication, submitDocument } from "../../../src/usecases/index.ts";
import { voucherCaseKey } from "../../../src/usecases/records.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";
import { issue, letterBody, voucherBody } from "./support.ts";

const GD = "440000";
const ZJ = "330000";

describe("issuing a contribution voucher (issue 11 item 1)", () => {
  let gw: TestGateway;
  beforeEach(async () => {
    gw = await createTestGateway();
  });
  afterEach(async () => gw.close());

  it("seals it with the agency's key, addressed to itself and its own case", async () => {
    // When 广东 issues a voucher under a chosen id
    const issued = await issue(gw, GD, "GD-PZ-2026-000001");
    // Then the sealed document is a voucher from and to 广东, its case its own id, with the digest of its bytes
    const { document, seal } = issued.sealed;
    expect(document).toMatchObject({
      type: "contribution-voucher",
      id: "GD-PZ-2026-000001",
      caseId: "GD-PZ-2026-000001",
      from: GD,
      to: GD,
      issuedAt: expect.stringMatching(/\+08:00$/),
    });
    expect(issued.documentSha256).toBe(sha256Hex(canonicalBytes(document)));
    const report = gw.deps.verifier.verify(
      canonicalBytes(document),
      Buffer.from(seal, "base64"),
      gw.clock.now(),
      "seal",
    );
    expect(report.indication).toBe("TOTAL_PASSED");
    expect(report.signer?.agencyIds).toContain(GD);
  });

  it("records it as issued, archives it and audits it in one batch, with no delivery", async () => {
    const issued = await issue(gw);
    const key = { ownerAgency: GD, direction: "out" as const, from: GD, documentId: issued.documentId };
    const filed = voucherCaseKey(issued.documentId);
    expect(await gw.deps.store.getDocument(key)).toMatchObject({ state: "issued", caseId: filed, to: GD });
    expect(await gw.deps.store.listDeliveries({ limit: 10 })).toEqual([]);
    const leaves = await gw.deps.store.archive.caseLeaves(GD, filed);
    expect(leaves.map((l) => l.kind)).toEqual(["document", "case-index"]);
    const audit = await gw.deps.store.auditEvents({ kind: "voucher.issued", limit: 10 });
    expect(audit).toEqual([expect.objectContaining({ agencyId: GD, documentId: issued.documentId })]);
  });

  it("stays out of a transfer case whose id equals the voucher's (filed under a key no case id can take)", async () => {
    const issued = await issue(gw, GD, "GD-PZ-2026-000009");
    // Given a counterpart opened a case at 广东 under the voucher's id (its contact letter's caseId)
    await registerApplication(gw.deps, gw.principal(ZJ), { caseId: issued.documentId, transferOutAgency: GD });
    await submitDocument(gw.deps, gw.principal(ZJ), issued.documentId, { type: "contact-letter", body: letterBody() });
    await gw.dispatcher.runOnce();
    // Then 广东's case holds the letter only, and its archive index lists no voucher
    const docs = await gw.deps.store.caseDocuments(GD, issued.documentId);
    expect(docs.map((d) => d.type)).toEqual(["contact-letter"]);
    const leaves = await gw.deps.store.archive.caseLeaves(GD, issued.documentId);
    expect(leaves.filter((l) => l.kind === "document").map((l) => l.documentId)).toEqual([docs[0]!.documentId]);
  });

  it("draws a fresh id when none is given", async () => {
    const issued = await issue(gw);
    expect(issued.documentId).toMatch(/^vch-/);
  });

  it("refuses a body that breaks the schema or rules with DOCUMENT_INVALID and its pointers, writing nothing", async () => {
    const body = { ...voucherBody(), paidMonths: -1 };
    const size = await gw.deps.store.archive.size();
    await expect(issueVoucher(gw.deps, gw.principal(GD), { body })).rejects.toMatchObject({
      code: "DOCUMENT_INVALID",
      problems: expect.arrayContaining([expect.objectContaining({ path: "/body/paidMonths" })]),
    });
    expect(await gw.deps.store.archive.size()).toBe(size);
  });

  it("refuses an id already issued (DOCUMENT_CONFLICT)", async () => {
    await issue(gw, GD, "GD-PZ-2026-000002");
    await expect(issue(gw, GD, "GD-PZ-2026-000002")).rejects.toMatchObject({ code: "DOCUMENT_CONFLICT" });
  });

  it("is an agency's act: compliance cannot issue (FORBIDDEN)", async () => {
    const compliance = { tokenId: "c", role: "compliance" as const };
    await expect(issueVoucher(gw.deps, compliance, { body: voucherBody() })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("reads back for the issuing agency only (VOUCHER_NOT_FOUND for anyone else)", async () => {
    const issued = await issue(gw);
    expect(await readVoucher(gw.deps, gw.principal(GD), issued.documentId)).toEqual(issued);
    await expect(readVoucher(gw.deps, gw.principal("330000"), issued.documentId)).rejects.toMatchObject({
      code: "VOUCHER_NOT_FOUND",
    });
    await expect(readVoucher(gw.deps, gw.principal(GD), "no-such-voucher")).rejects.toMatchObject({
      code: "VOUCHER_NOT_FOUND",
    });
  });
});
