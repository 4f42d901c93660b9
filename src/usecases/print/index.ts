/** Printed copies of sealed documents (issue 13): the PDF a person or a clerk holds, and the way back from it. */
export { describeArchivedDocument, type ArchivedDocumentView } from "./describe-archived.ts";
export { printStoredDocument, verifyUrlOf, type PrintDeps } from "./print-document.ts";
export { printCaseDocument, printVoucher } from "./print-read.ts";
export { SEALED_ATTACHMENT_SUFFIX, sealedFromPdf } from "./sealed-from-pdf.ts";
export { voucherFromPdf } from "./voucher-pdf.ts";
