import { GatewayError } from "../errors.ts";
import type { CaseReads, DocumentReads, Principal } from "../ports.ts";
import { readableAgency } from "../principal.ts";
import { requireIssuedVoucher } from "../vouchers/index.ts";
import { printStoredDocument, type PrintDeps } from "./print-document.ts";

type Printed = Promise<{ pdf: Uint8Array; filename: string }>;

/** The printed voucher, for its issuer only (as readVoucher): anyone else's, or none, is VOUCHER_NOT_FOUND. */
export async function printVoucher(
  deps: PrintDeps & { store: DocumentReads },
  principal: Principal,
  voucherId: string,
  options: { baseUrl: string },
): Printed {
  return printStoredDocument(deps, await requireIssuedVoucher(deps, principal, voucherId), options);
}

/** A printed document of a case, for the same readers as describeCase (a party's own view; compliance and admin name one). */
export async function printCaseDocument(
  deps: PrintDeps & { store: CaseReads & DocumentReads },
  principal: Principal,
  caseId: string,
  documentId: string,
  options: { baseUrl: string; agencyId?: string },
): Printed {
  const owner = readableAgency(principal, options.agencyId);
  if (!owner) throw new GatewayError("REQUEST_INVALID", "name the agency whose view of the case to read (?agency=)");
  const [found, documents] = await Promise.all([
    deps.store.getCase(owner, caseId),
    deps.store.caseDocuments(owner, caseId),
  ]);
  if (!found) throw new GatewayError("CASE_NOT_FOUND", `no case ${caseId} for agency ${owner}`);
  const record = documents.find((d) => d.documentId === documentId);
  if (!record) throw new GatewayError("DOCUMENT_NOT_FOUND", `case ${caseId} has no document ${documentId}`);
  return printStoredDocument(deps, record, { baseUrl: options.baseUrl });
}
