import { Hono } from "hono";
import type { Context } from "hono";
import { printCaseDocument, printVoucher } from "../../../usecases/index.ts";
import type { HonoEnv } from "../../env.ts";
import { describeError } from "../../errors.ts";
import { baseUrlOf, pdfResponse } from "../../pdf.ts";
import { tr, type PageStatus } from "../layout.tsx";
import { ConsolePage, ErrorBox, answerPage, isRefusal, toLogin, signedIn, type Signed } from "./shell.tsx";

/**
 * Printed copies in the console (issue 13 items 2 and 4): the PDFs of GET /v1/vouchers/:id/pdf and
 * GET /v1/cases/:id/documents/:documentId/pdf, served under the console session (a browser link carries the
 * cookie, not a bearer token). Same use cases, same readers: the signed-in agency's own voucher, its own view
 * of a case. The QR codes lead to this gateway's public URL, or the origin the browser used.
 */
export const consolePrints = new Hono<HonoEnv>();

/** `<id>.pdf`: the link names the file the browser saves. */
const PDF_NAME = "{[^/]+\\.pdf}";
const idOf = (name: string) => name.slice(0, -".pdf".length);

/** The voucher's printed path on the console. */
export const voucherPdfPath = (voucherId: string) => `/console/vouchers/${encodeURIComponent(voucherId)}.pdf`;

/** A case document's printed path on the console. */
export const documentPdfPath = (caseId: string, documentId: string) =>
  `/console/cases/${encodeURIComponent(caseId)}/documents/${encodeURIComponent(documentId)}.pdf`;

consolePrints.get(`/console/vouchers/:name${PDF_NAME}`, (c) =>
  printOrRefuse(c, (signed) =>
    printVoucher(c.var.gateway, signed.principal, idOf(c.req.param("name")), { baseUrl: baseUrlOf(c) }),
  ),
);

consolePrints.get(`/console/cases/:id/documents/:name${PDF_NAME}`, (c) =>
  printOrRefuse(c, (signed) =>
    printCaseDocument(c.var.gateway, signed.principal, c.req.param("id"), idOf(c.req.param("name")), {
      baseUrl: baseUrlOf(c),
    }),
  ),
);

/** The PDF as a download, the sign-in page without a session, or the refusal in plain words (404, 422). */
async function printOrRefuse(
  c: Context<HonoEnv>,
  print: (signed: Signed) => Promise<{ pdf: Uint8Array; filename: string }>,
) {
  const signed = await signedIn(c);
  if (!signed) return toLogin(c);
  try {
    return pdfResponse(c, await print(signed));
  } catch (error) {
    if (!isRefusal(error)) throw error;
    const page = (
      <ConsolePage signed={signed} title={tr(signed.lang, "打印", "Print")} self={new URL(c.req.url).pathname}>
        <ErrorBox lang={signed.lang} error={error} />
      </ConsolePage>
    );
    return answerPage(c, page, describeError(error, "console").status as PageStatus);
  }
}
