import { AFRelationship, PDFDocument } from "@cantoo/pdf-lib";
import * as fontkit from "fontkit";
import { GatewayError, type DocumentPrinter, type PrintInput, type PrintedAttachment } from "../usecases/index.ts";
import { drawFooters } from "./frame.ts";
import { drawGeneric } from "./generic.ts";
import { charactersOf, coversAll, loadFont, requireCoverage, type LoadedFont } from "./glyphs.ts";
import { TEXT, typeTitle } from "./labels.ts";
import { Sheet } from "./sheet.ts";
import { drawVoucher } from "./voucher.ts";

export interface PdfPrinterFonts {
  /** The Chinese font cut to the common characters (GB2312 and the page texts): embeds fast. */
  commonFont: () => Promise<Uint8Array>;
  /** The whole font: for the rare character (a name) the common cut lacks. */
  fullFont: () => Promise<Uint8Array>;
}

const MIME: Record<string, string> = { json: "application/json", p7s: "application/pkcs7-signature" };

/**
 * The DocumentPrinter over @cantoo/pdf-lib: A4 pages in Chinese, the seal and QR code drawn as vectors, and
 * the sealed original attached. Fonts are read and parsed once per printer (the full one only when needed).
 */
export function createPdfPrinter(fonts: PdfPrinterFonts): DocumentPrinter {
  const commonFont = once(fonts.commonFont);
  const fullFont = once(fonts.fullFont);
  return {
    async print(input) {
      // Checked before anything is drawn: the common cut when it covers every character (fast to embed),
      // else the full font (a rare name character), else PRINT_GLYPH_MISSING.
      const chars = charactersOf(input);
      const common = await commonFont();
      return render(input, coversAll(common, chars) ? common : requireCoverage(await fullFont(), chars));
    },
    attachments: readAttachments,
  };
}

/**
 * A font loaded once and kept — but a failure is not kept (the next print tries again), and it is
 * PRINT_UNAVAILABLE: the caller may come back, nothing was wrong with what it asked for.
 */
function once(read: () => Promise<Uint8Array>): () => Promise<LoadedFont> {
  let loaded: Promise<LoadedFont> | undefined;
  return () =>
    (loaded ??= read()
      .then(loadFont)
      .catch((err: unknown) => {
        loaded = undefined;
        throw new GatewayError("PRINT_UNAVAILABLE", "the print font could not be loaded", { cause: err });
      }));
}

async function render(input: PrintInput, font: LoadedFont): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const title =
    input.document.type === "contribution-voucher" ? TEXT.voucherTitle : typeTitle(String(input.document.type));
  pdf.setTitle(`${title} ${String(input.document.id ?? "")}`);
  pdf.setSubject(`SHA-256 ${input.documentSha256}`);
  pdf.setLanguage("zh-CN");
  pdf.setProducer("Jiexu gateway");
  pdf.setCreator("Jiexu gateway");
  const embedded = await pdf.embedFont(font.bytes, { subset: true });
  const sheet = new Sheet(pdf, embedded);
  if (input.document.type === "contribution-voucher") drawVoucher(sheet, input);
  else drawGeneric(sheet, input);
  drawFooters(sheet, `${title} ${String(input.document.id ?? "")}  SHA-256 ${input.documentSha256}`);
  for (const file of input.attachments) {
    await pdf.attach(file.bytes, file.name, {
      mimeType: MIME[file.name.split(".").pop() ?? ""] ?? "application/octet-stream",
      description: file.name,
      afRelationship: file.name.endsWith(".json") ? AFRelationship.Source : AFRelationship.Supplement,
    });
  }
  return pdf.save({ useObjectStreams: true });
}

/**
 * The files a PDF carries in its EmbeddedFiles name tree; bytes that are no PDF are PDF_NO_SEALED_ORIGINAL.
 * pdf-lib inflates every stream it reads without a bound, so bytes from outside reach here only through
 * sealedFromPdf, which bounds their compressed streams first (usecases/print/pdf-inflation.ts).
 */
async function readAttachments(bytes: Uint8Array): Promise<PrintedAttachment[]> {
  // Reading the name tree can fail as late as parsing: a PDF without a usable catalog is refused alike.
  try {
    const pdf = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false });
    return pdf.getAttachments().map((a) => ({ name: a.name, bytes: a.data }));
  } catch (err) {
    throw new GatewayError("PDF_NO_SEALED_ORIGINAL", "the upload is not a readable PDF", { cause: err });
  }
}
