/** Printed copies of sealed documents (issue 13 item 2): the DocumentPrinter adapter over @cantoo/pdf-lib. */
export { pageCharacters } from "./glyphs.ts";
export { createPdfPrinter, type PdfPrinterFonts } from "./printer.ts";
export { loadFont, type LoadedFont } from "./glyphs.ts";
export { renderSealPng, SEAL_PICTURE_MM, type SealPictureInput } from "./seal-png.ts";
