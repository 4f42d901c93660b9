/** Printed copies of sealed documents (issue 13 item 2): the DocumentPrinter adapter over @cantoo/pdf-lib. */
export { pageCharacters } from "./glyphs.ts";
export { createPdfPrinter, type PdfPrinterFonts } from "./printer.ts";
