import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createPdfPrinter } from "../../src/print/index.ts";
import { commonFont, createNodePrinter, FULL_FONT_PATH } from "../../src/runtime/fonts.ts";
import type { PrintInput } from "../../src/usecases/index.ts";
import { pdfAttachment, pdfAttachmentNames, pdfQrCode, pdfText } from "../support/pdf-tools.ts";

const example = (type: string) =>
  JSON.parse(readFileSync(new URL(`../../schemas/examples/${type}.json`, import.meta.url), "utf8"));

const printer = createNodePrinter(join(tmpdir(), "jiexu-font-cache"));
const SHA = "c0ffee".padEnd(64, "0");
const URL_ = `https://jiexu.example/v/${SHA}`;
const utf8 = (s: string) => new TextEncoder().encode(s);

function inputOf(document: Record<string, unknown>): PrintInput {
  const id = String(document.id);
  return {
    document,
    attachments: [
      { name: `${id}.json`, bytes: utf8(JSON.stringify(document)) },
      { name: `${id}.p7s`, bytes: new Uint8Array([0x30, 0x82, 0x01, 0x00, 0xff, 0x00]) },
      { name: `${id}.sealed.json`, bytes: utf8(JSON.stringify({ document, seal: "MA==" })) },
    ],
    documentSha256: SHA,
    verifyUrl: URL_,
    sealedBy: { agencyId: "440000", name: "广东省社会保险基金管理局" },
    verification: { indication: "TOTAL_PASSED" },
    archive: { leafIndex: 3, treeSize: 4 },
  };
}

function withName(name: string): Record<string, unknown> {
  const voucher = example("contribution-voucher");
  return { ...voucher, body: { ...voucher.body, person: { ...voucher.body.person, name } } };
}

describe("the PDF printer (issue 13 item 2)", () => {
  const voucher = inputOf(example("contribution-voucher"));
  let pdf: Uint8Array;
  beforeAll(async () => {
    pdf = await printer.print(voucher);
  }, 30_000);

  it("prints the voucher in Chinese: title, voucher number, the person's name, full ID number, account in yuan", () => {
    const text = pdfText(pdf);
    expect(text).toContain("基本养老保险参保缴费凭证");
    expect(text).toContain("粤社保凭〔2024〕0321号");
    expect(text).toContain("陈志强");
    expect(text).toContain("33010619760815123X");
    expect(text).toContain("130,272.02");
    expect(text).toContain("核验通过 TOTAL_PASSED");
    expect(text).toContain(SHA);
  });

  it("carries the three files byte for byte (pdfdetach) and reads them back itself", async () => {
    expect(pdfAttachmentNames(pdf)).toEqual(voucher.attachments.map((a) => a.name));
    for (const [i, a] of voucher.attachments.entries()) expect(pdfAttachment(pdf, i + 1)).toEqual(a.bytes);
    const read = await printer.attachments(pdf);
    expect(read.map((a) => ({ name: a.name, bytes: new Uint8Array(a.bytes) }))).toEqual(voucher.attachments);
  });

  it("draws a QR code that decodes (pdftoppm + zbarimg) to the verification URL", () => {
    expect(pdfQrCode(pdf)).toBe(URL_);
  });

  it("renders a name whose character only the full font has (䶮), and refuses one neither has (𠮷)", async () => {
    expect(pdfText(await printer.print(inputOf(withName("刘䶮"))))).toContain("刘䶮");
    await expect(printer.print(inputOf(withName("𠮷田")))).rejects.toMatchObject({
      code: "PRINT_GLYPH_MISSING",
      message: expect.stringContaining("U+20BB7"),
    });
  }, 30_000);

  it("paginates a long contribution table, its header and the page count on every page", async () => {
    const long = example("contribution-voucher");
    long.body.contributions = Array.from({ length: 5 }, () => long.body.contributions).flat();
    const pages = pdfText(await printer.print(inputOf(long)))
      .split("\f")
      .filter((p) => p.trim());
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const [i, page] of pages.entries()) {
      expect(page).toContain("年末储存额（元）");
      expect(page.replace(/\s+/g, "")).toContain(`第${i + 1}页/共${pages.length}页`);
    }
    expect(pages.at(-1)).toContain(SHA);
  });

  it("prints any other document type with its Chinese title and labelled body fields", async () => {
    const text = pdfText(await printer.print(inputOf(example("discrepancy"))));
    expect(text).toContain("核对不符通知");
    expect(text).toContain("参保人员 · 姓名");
    expect(text).toContain("120,010.22 元");
  });

  it("answers PDF_NO_SEALED_ORIGINAL for bytes that are no PDF, and no files for a PDF without any", async () => {
    await expect(printer.attachments(utf8("not a pdf"))).rejects.toMatchObject({ code: "PDF_NO_SEALED_ORIGINAL" });
    // A header and a trailer but no catalog: fails in the name tree, after parsing.
    await expect(printer.attachments(utf8("%PDF-1.7\n%%EOF\n"))).rejects.toMatchObject({
      code: "PDF_NO_SEALED_ORIGINAL",
    });
    const bare = await printer.print({ ...voucher, attachments: [] });
    expect(await printer.attachments(bare)).toEqual([]);
  });

  it("answers PRINT_UNAVAILABLE when the font cannot be read, and tries again on the next print", async () => {
    let calls = 0;
    const flaky = createPdfPrinter({
      commonFont: async () => {
        if (++calls === 1) throw new Error("EROFS: read-only file system");
        return commonFont(join(tmpdir(), "jiexu-font-cache"));
      },
      fullFont: async () => new Uint8Array(readFileSync(FULL_FONT_PATH)),
    });
    await expect(flaky.print(voucher)).rejects.toMatchObject({ code: "PRINT_UNAVAILABLE" });
    const pdf = await flaky.print(voucher);
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe("%PDF-");
    expect(calls).toBe(2);
  }, 30_000);
});
