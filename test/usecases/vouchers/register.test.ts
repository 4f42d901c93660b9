import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bytesToBase64 } from "../../../src/pki/index.ts";
import { acknowledgeInbound, printVoucher, readInbox, registerApplication } from "../../../src/usecases/index.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";
import { PERSON, example, issue, tampered } from "./support.ts";

const ZJ = "330000"; // transfer-in, where the person presents the voucher
const GD = "440000"; // transfer-out, the issuer
const CASE = "CASE-330000-2026-000101";

describe("a voucher presented at registration (issue 11 item 1)", () => {
  let gw: TestGateway;
  beforeEach(async () => {
    gw = await createTestGateway();
  });
  afterEach(async () => gw.close());

  const register = (extra: Record<string, unknown>) =>
    registerApplication(gw.deps, gw.principal(ZJ), { caseId: CASE, transferOutAgency: GD, ...extra });

  it("is verified, stored in the case as received with its report, archived, and named by the case", async () => {
    const voucher = await issue(gw);
    // When 浙江 registers the application with the voucher 广东 issued
    const view = await register({ person: PERSON, voucher: voucher.sealed });
    // Then the case holds the voucher, received from 广东 and verified
    expect(view.documents).toEqual([
      expect.objectContaining({
        documentId: voucher.documentId,
        type: "contribution-voucher",
        direction: "in",
        from: GD,
        state: "received",
        documentSha256: voucher.documentSha256,
        verification: { indication: "TOTAL_PASSED" },
      }),
    ]);
    const stored = await gw.deps.store.getCase(ZJ, CASE);
    expect(stored?.state).toMatchObject({
      person: PERSON,
      voucher: { id: voucher.documentId, sha256: voucher.documentSha256 },
    });
    // and the case's archive lists it (its leaf, then the case index)
    const leaves = await gw.deps.store.archive.caseLeaves(ZJ, CASE);
    expect(leaves.map((l) => [l.kind, l.documentId])).toEqual([
      ["document", voucher.documentId],
      ["case-index", ""],
    ]);
  });

  it("is not acknowledged back to its issuer: the person presented it (NOT_ACKNOWLEDGEABLE)", async () => {
    const voucher = await issue(gw);
    await register({ person: PERSON, voucher: voucher.sealed });
    await expect(
      acknowledgeInbound(gw.deps, gw.principal(ZJ), { documentId: voucher.documentId, from: GD }),
    ).rejects.toMatchObject({ code: "NOT_ACKNOWLEDGEABLE" });
    // and the inbox, a feed of what peers sent, does not list it
    expect((await readInbox(gw.deps, gw.principal(ZJ), undefined, 50)).entries).toEqual([]);
  });

  it("still opens a case without a voucher", async () => {
    const view = await register({ person: PERSON });
    expect(view.status).toBe("application-registered");
    expect(view.documents).toEqual([]);
  });

  it("refuses a voucher sealed by another agency than the transfer-out agency (VOUCHER_WRONG_ISSUER)", async () => {
    const voucher = await issue(gw, "510000");
    await expect(register({ person: PERSON, voucher: voucher.sealed })).rejects.toMatchObject({
      code: "VOUCHER_WRONG_ISSUER",
    });
    expect(await gw.deps.store.getCase(ZJ, CASE)).toBeUndefined();
  });

  it("refuses a voucher for another person (VOUCHER_PERSON_MISMATCH)", async () => {
    const voucher = await issue(gw);
    const other = { name: "陈志强", idNumber: "110105194912310029" };
    await expect(register({ person: other, voucher: voucher.sealed })).rejects.toMatchObject({
      code: "VOUCHER_PERSON_MISMATCH",
    });
  });

  it("refuses a tampered voucher by its seal (SEAL_INVALID)", async () => {
    const voucher = await issue(gw);
    await expect(register({ person: PERSON, voucher: tampered(voucher) })).rejects.toMatchObject({
      code: "SEAL_INVALID",
    });
    expect(await gw.deps.store.archive.caseLeaves(ZJ, CASE)).toEqual([]);
  });

  it("refuses a voucher whose seal binds another agency than its issuer (SEAL_AGENCY_MISMATCH)", async () => {
    const voucher = await issue(gw);
    const { canonicalBytes } = await import("../../../src/usecases/canonical.ts");
    const seal = gw.deps.agencies
      .hosted("510000")!
      .sealKey.seal(canonicalBytes(voucher.sealed.document), gw.clock.now());
    await expect(
      register({ person: PERSON, voucher: { ...voucher.sealed, seal: Buffer.from(seal).toString("base64") } }),
    ).rejects.toMatchObject({ code: "SEAL_AGENCY_MISMATCH" });
  });

  it("refuses another document type (VOUCHER_INVALID) and an invalid voucher (DOCUMENT_INVALID under /voucher)", async () => {
    const voucher = await issue(gw);
    const letter = { document: example("contact-letter"), seal: voucher.sealed.seal };
    await expect(register({ person: PERSON, voucher: letter })).rejects.toMatchObject({ code: "VOUCHER_INVALID" });
    const broken = structuredClone(voucher.sealed) as unknown as {
      document: { body: Record<string, unknown> };
      seal: string;
    };
    broken.document.body.paidMonths = "many";
    await expect(register({ person: PERSON, voucher: broken })).rejects.toMatchObject({
      code: "DOCUMENT_INVALID",
      problems: expect.arrayContaining([expect.objectContaining({ path: "/voucher/document/body/paidMonths" })]),
    });
  });

  it("needs the applicant's person with a voucher (REQUEST_INVALID)", async () => {
    const voucher = await issue(gw);
    await expect(register({ voucher: voucher.sealed })).rejects.toMatchObject({ code: "REQUEST_INVALID" });
  });

  it("opens one case per voucher at an agency (DOCUMENT_CONFLICT for a second)", async () => {
    const voucher = await issue(gw);
    await register({ person: PERSON, voucher: voucher.sealed });
    await expect(
      registerApplication(gw.deps, gw.principal(ZJ), {
        caseId: "CASE-330000-2026-000102",
        transferOutAgency: GD,
        person: PERSON,
        voucher: voucher.sealed,
      }),
    ).rejects.toMatchObject({ code: "DOCUMENT_CONFLICT" });
  });

  it("takes the voucher as its printed PDF too, but only once: voucher or voucherPdf, not both (issue 13)", async () => {
    const voucher = await issue(gw);
    const pdf = await printVoucher(gw.deps, gw.principal(GD), voucher.documentId, { baseUrl: "http://gw.test" });
    const voucherPdf = bytesToBase64(pdf.pdf);
    await expect(register({ person: PERSON, voucher: voucher.sealed, voucherPdf })).rejects.toMatchObject({
      code: "REQUEST_INVALID",
    });
    await expect(register({ person: PERSON, voucherPdf: "not base64!" })).rejects.toMatchObject({
      code: "REQUEST_INVALID",
    });
    const view = await register({ person: PERSON, voucherPdf });
    expect(view.documents.map((d) => d.documentId)).toEqual([voucher.documentId]);
  });
});
