import { PDFDocument } from "@cantoo/pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { sealedFromPdf } from "../../../src/usecases/print/index.ts";
import { refuseInflationBomb } from "../../../src/usecases/print/pdf-inflation.ts";
import type { DocumentPrinter } from "../../../src/usecases/index.ts";

const MiB = 1024 * 1024;
const codeOf = async (f: () => unknown) => {
  try {
    await f();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return "no error";
};

/** A one-page PDF attaching `bytes` as `name` (pdf-lib deflates it), object streams on as the printer saves. */
async function pdfAttaching(name: string, bytes: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage();
  await doc.attach(bytes, name, { mimeType: "application/json" });
  return doc.save({ useObjectStreams: true });
}

describe("bounded reading of an uploaded PDF (review 13a #3)", () => {
  let bomb: Uint8Array;
  let small: Uint8Array;
  beforeAll(async () => {
    bomb = await pdfAttaching("x.sealed.json", new Uint8Array(4 * MiB).fill(0x20));
    small = await pdfAttaching("x.sealed.json", new TextEncoder().encode('{"document":{},"seal":"MA=="}'));
  });

  it("refuses a PDF whose attachment inflates past the cap, before pdf-lib decodes anything", async () => {
    expect(bomb.length).toBeLessThan(64 * 1024);
    let asked = false;
    const printer = {
      attachments: async () => {
        asked = true;
        return [];
      },
    } as unknown as DocumentPrinter;
    // No timing asserted (a loaded machine makes it flaky): that the printer was never asked is the proof.
    expect(await codeOf(() => sealedFromPdf({ printer }, bomb, { maxInflatedBytes: MiB }))).toBe("PDF_TOO_LARGE");
    expect(asked).toBe(false);
  });

  it("passes a PDF within the cap, and refuses filters it cannot bound and corrupt compressed data", async () => {
    expect(await codeOf(() => refuseInflationBomb(small, MiB))).toBe("no error");
    expect(await codeOf(() => refuseInflationBomb(bomb, 8 * MiB))).toBe("no error");
    const lzw = new TextEncoder().encode("%PDF-1.7\n1 0 obj <</Filter /LZWDecode /Length 1>> stream\nx\nendstream");
    expect(await codeOf(() => refuseInflationBomb(lzw, MiB))).toBe("PDF_NO_SEALED_ORIGINAL");
    // A Flate chain: only its first layer would be bounded here.
    const chain = new TextEncoder().encode(
      "%PDF-1.7\n1 0 obj <</Filter [/FlateDecode /FlateDecode]>> stream\nx\nendstream",
    );
    expect(await codeOf(() => refuseInflationBomb(chain, MiB))).toBe("PDF_NO_SEALED_ORIGINAL");
    const corrupt = new Uint8Array([
      ...new TextEncoder().encode("%PDF-1.7\n<<>>stream\n"),
      0x78,
      0x9c,
      0xff,
      0xff,
      0xff,
    ]);
    expect(await codeOf(() => refuseInflationBomb(corrupt, MiB))).toBe("PDF_NO_SEALED_ORIGINAL");
  });
});
