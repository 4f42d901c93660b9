import { PDFDocument } from "@cantoo/pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytesToBase64 } from "../../src/pki/index.ts";
import { PERSON, voucherBody } from "../usecases/vouchers/support.ts";
import { pdfAttachmentNames } from "../support/pdf-tools.ts";
import { createTestApp, type TestApp } from "./app-harness.ts";

const ZJ = "330000";
const GD = "440000";
const SC = "510000";

describe("printed documents over HTTP (issue 13 item 2)", () => {
  let t: TestApp;
  let voucher: { documentId: string; documentSha256: string; sealed: { document: unknown; seal: string } };
  let pdf: Uint8Array;
  const token = (agency: string) => t.gw.tokens[agency]!;

  beforeAll(async () => {
    t = await createTestApp();
    const res = await t.call("POST", "/v1/vouchers", { token: token(GD), body: { body: voucherBody() } });
    voucher = await res.json();
    const printed = await t.call("GET", `/v1/vouchers/${voucher.documentId}/pdf`, { token: token(GD) });
    expect(printed.status).toBe(200);
    pdf = new Uint8Array(await printed.arrayBuffer());
  }, 30_000);
  afterAll(async () => t.gw.close());

  const register = (caseId: string, extra: Record<string, unknown>) =>
    t.call("POST", "/v1/cases", {
      token: token(ZJ),
      body: { caseId, transferOutAgency: GD, person: PERSON, ...extra },
    });

  it("gives the issuer its voucher as a PDF download carrying the sealed original; anyone else 404", async () => {
    const res = await t.call("GET", `/v1/vouchers/${voucher.documentId}/pdf`, { token: token(GD) });
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="${voucher.documentId}.pdf"; filename*=UTF-8''${voucher.documentId}.pdf`,
    );
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe("%PDF-");
    expect(pdfAttachmentNames(pdf)).toEqual(
      ["json", "p7s", "sealed.json"].map((ext) => `${voucher.documentId}.${ext}`),
    );
    const other = await t.call("GET", `/v1/vouchers/${voucher.documentId}/pdf`, { token: token(ZJ) });
    expect(other.status).toBe(404);
    expect((await other.json()).code).toBe("VOUCHER_NOT_FOUND");
  });

  it("opens a case from the voucher PDF as from the sealed voucher, and prints the case's documents for a party only", async () => {
    const res = await register("CASE-330000-2026-000901", { voucherPdf: bytesToBase64(pdf) });
    expect(res.status).toBe(201);
    expect((await res.json()).documents).toEqual([
      expect.objectContaining({
        documentId: voucher.documentId,
        documentSha256: voucher.documentSha256,
        verification: { indication: "TOTAL_PASSED" },
      }),
    ]);
    const path = `/v1/cases/CASE-330000-2026-000901/documents/${voucher.documentId}/pdf`;
    const own = await t.call("GET", path, { token: token(ZJ) });
    expect(own.status).toBe(200);
    expect(own.headers.get("content-type")).toBe("application/pdf");
    const stranger = await t.call("GET", path, { token: token(SC) });
    expect(stranger.status).toBe(404);
    expect((await stranger.json()).code).toBe("CASE_NOT_FOUND");
    const missing = await t.call("GET", "/v1/cases/CASE-330000-2026-000901/documents/NOPE-1/pdf", { token: token(ZJ) });
    expect((await missing.json()).code).toBe("DOCUMENT_NOT_FOUND");
    const compliance = await t.call("GET", `${path}?agency=${ZJ}`, { token: t.gw.complianceToken });
    expect(compliance.status).toBe(200);
  });

  it("refuses a PDF without a sealed original (422) and a voucher given twice (400)", async () => {
    const bare = await PDFDocument.create();
    bare.addPage();
    const res = await register("CASE-330000-2026-000902", { voucherPdf: bytesToBase64(await bare.save()) });
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe("PDF_NO_SEALED_ORIGINAL");
    const both = await register("CASE-330000-2026-000903", { voucherPdf: bytesToBase64(pdf), voucher: voucher.sealed });
    expect(both.status).toBe(400);
    expect((await both.json()).code).toBe("REQUEST_INVALID");
  });

  it("answers the public page /v/<sha256>: the verdict for a known digest, neutral 404 and 400 otherwise", async () => {
    const page = await t.call("GET", `/v/${voucher.documentSha256}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    // No signed checkpoint covers it yet: a valid seal, not a full pass.
    expect(html).toContain("签章有效 TOTAL_PASSED · 尚未能证明归档收录");
    expect(html).not.toContain("核验通过");
    expect(html).toContain("陈*强");
    expect(html).toContain("基本养老保险参保缴费凭证（contribution-voucher）");
    expect(html).toContain("330106********123X");
    expect(html).not.toContain("陈志强");
    expect(html).not.toContain(PERSON.idNumber);
    expect((await t.call("GET", `/v/${"0".repeat(64)}`)).status).toBe(404);
    expect((await t.call("GET", "/v/not-a-digest")).status).toBe(400);
    const en = await (await t.call("GET", `/v/${voucher.documentSha256}?lang=en`)).text();
    expect(en).toContain("Seal valid TOTAL_PASSED · archive inclusion not yet provable");
  });
});
