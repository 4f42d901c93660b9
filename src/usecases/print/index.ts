/** Printed copies of sealed documents (issue 13): the PDF a person or a clerk holds, and the way back from it. */
export { SEALED_ATTACHMENT_SUFFIX, sealedFromPdf } from "./sealed-from-pdf.ts";
export { printStoredDocument } from "./print-document.ts";
