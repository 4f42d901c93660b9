import { PDFDocument } from "@cantoo/pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERSON, voucherBody } from "../../../usecases/vouchers/support.ts";
import { pdfAttachmentNames } from "../../../support/pdf-tools.ts";
import { createTestApp, type TestApp } from "../../app-harness.ts";
import { signIn, type Browserless } from "./console-harness.ts";

/**
 * Printed copies under the console session (issue 13 items 2 and 4), and the application form taking the
 * person's voucher as its printed PDF (multipart upload, same CSRF and origin checks as every console form).
 */
describe("console printed copies and the voucher PDF at registration", () => {
  let t: TestApp;
  let gd: Browserless;
  let zj: Browserless;
  let voucherId: string;
  let pdf: Uint8Array;
  const pdfFile = (bytes: Uint8Array, name = "voucher.pdf") =>
    new File([bytes as Uint8Array<ArrayBuffer>], name, { type: "application/pdf" });
  const register = (caseId: string, extra: Record<string, string | File>, headers?: Record<string, string>) =>
    zj.upload(
      "/console/new/application",
      { caseId, transferOutAgency: "440000", name: PERSON.name, idNumber: PERSON.idNumber, ...extra },
      headers,
    );

  beforeAll(async () => {
    t = await createTestApp();
    [gd, zj] = await Promise.all([signIn(t, "440000"), signIn(t, "330000")]);
    const issued = await gd.post("/console/new/voucher", { body: JSON.stringify(voucherBody()) });
    expect(issued.status).toBe(303);
    const shown = await gd.get(issued.headers.get("location")!);
    voucherId = /<span class="mono">([^<]+)<\/span>/.exec(shown.html.split("凭证已签章出具")[1]!)![1]!;
    const link = /<a href="(\/console\/vouchers\/[^"]+\.pdf)" download/.exec(shown.html)![1]!;
    const res = await t.app.request(link, { headers: { cookie: gd.cookie } });
    expect(res.status).toBe(200);
    pdf = new Uint8Array(await res.arrayBuffer());
  }, 30_000);
  afterAll(() => t.gw.close());

  it("downloads the issued voucher as the printed PDF carrying its sealed original, for the issuer only", async () => {
    const res = await t.app.request(`/console/vouchers/${voucherId}.pdf`, { headers: { cookie: gd.cookie } });
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toContain(`filename="${voucherId}.pdf"`);
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe("%PDF-");
    expect(pdfAttachmentNames(pdf)).toContain(`${voucherId}.sealed.json`);
    const foreign = await zj.get(`/console/vouchers/${voucherId}.pdf`);
    expect(foreign.status).toBe(404);
    expect(foreign.html).toContain("本机构没有出具这份凭证");
    const signedOut = await t.app.request(`/console/vouchers/${voucherId}.pdf`);
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toBe("/console/login");
  });

  it("registers an application from the uploaded voucher PDF; the case page prints each document", async () => {
    const res = await register("CASE-CONSOLE-PDF", { voucherPdf: pdfFile(pdf) });
    expect(res.status, await res.clone().text()).toBe(303);
    expect(res.headers.get("location")).toBe("/console/cases/CASE-CONSOLE-PDF");
    const page = await zj.get("/console/cases/CASE-CONSOLE-PDF");
    expect(page.html).toContain(voucherId);
    const link = `/console/cases/CASE-CONSOLE-PDF/documents/${voucherId}.pdf`;
    expect(page.html).toContain(`href="${link}"`);
    const printed = await zj.get(link);
    expect(printed.status).toBe(200);
    expect(printed.res.headers.get("content-type")).toBe("application/pdf");
    const missing = await zj.get("/console/cases/CASE-CONSOLE-PDF/documents/NO-SUCH-DOC.pdf");
    expect(missing.status).toBe(404);
    expect(missing.html).toContain("没有这份文书");
    expect((await gd.get(link)).status).toBe(404);
  });

  it("refuses a PDF without a sealed original in plain words, keeping what was typed", async () => {
    const bare = await (await PDFDocument.create()).save();
    const res = await register("CASE-CONSOLE-PDF-BARE", { voucherPdf: pdfFile(bare) });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("PDF 中没有已签章的原件");
    expect(html).toContain("PDF_NO_SEALED_ORIGINAL");
    expect(html).toContain(`value="${PERSON.name}"`);
    expect(html).toContain('value="CASE-CONSOLE-PDF-BARE"');
  });

  it("refuses the voucher named by another person, and the voucher given twice", async () => {
    const other = await register("CASE-CONSOLE-PDF-WHO", { voucherPdf: pdfFile(pdf), idNumber: "110101199003074514" });
    expect(other.status).toBe(422);
    expect(await other.text()).toContain("凭证上的人员与申请人不一致");
    const read = await t.call("GET", `/v1/vouchers/${voucherId}`, { token: t.gw.tokens["440000"] });
    const sealed = JSON.stringify((await read.json()).sealed);
    const twice = await register("CASE-CONSOLE-PDF-TWICE", { voucherPdf: pdfFile(pdf), voucher: sealed });
    expect(twice.status).toBe(422);
    expect(await twice.text()).toContain("present the voucher once");
  });

  it("answers an upload past the upload limit with the form and the reason", async () => {
    const small = await createTestApp({ maxUploadBytes: 2048 });
    try {
      const res = await (await signIn(small, "330000")).upload("/console/new/application", {
        transferOutAgency: "440000",
        voucherPdf: pdfFile(pdf),
      });
      expect(res.status).toBe(413);
      const html = await res.text();
      expect(html).toContain("上传的文件太大");
      expect(html).toContain('id="app-voucher-pdf"');
    } finally {
      await small.gw.close();
    }
  });

  it("keeps the origin and CSRF checks on the multipart form", async () => {
    const crossSite = await register(
      "CASE-CONSOLE-PDF-X",
      { voucherPdf: pdfFile(pdf) },
      { origin: "https://evil.example" },
    );
    expect(crossSite.status).toBe(403);
    const forged = await register("CASE-CONSOLE-PDF-Y", { voucherPdf: pdfFile(pdf), _csrf: "forged" });
    expect(forged.status).toBe(403);
    expect((await zj.get("/console/cases/CASE-CONSOLE-PDF-X")).status).toBe(404);
  });
});
