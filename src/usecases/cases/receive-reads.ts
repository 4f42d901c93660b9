import type { Document, DocumentOf } from "../../domain/documents/index.ts";
import type { VoucherCheck } from "../../domain/transfer-case/index.ts";
import type { CaseReads, DocumentKey, DocumentReads } from "../ports.ts";
import { acknowledgedDocument } from "./parties.ts";
import { type LoadedCase, loadCase, relatedDocuments } from "./state.ts";
import { checkNamedVoucher, namedVoucher } from "./voucher-checks.ts";

/**
 * What receiving a verified document reads about its case, in one round: on D1 each read is a round trip
 * to the database, and a document that waited for them one after another waited for up to three
 * (docs/edge.md). The reads start together once the seal holds (never before: an unverified offer costs no
 * more than the replay check) and each is awaited where its answer is needed, so refusals keep their order.
 */
export interface CaseContext {
  /** The agency's case as the first attempt of the case command decides on (retries load afresh). */
  firstLoad: Promise<LoadedCase>;
  /** The case's documents the business rules read (empty for the types whose rules read none). */
  related: unknown[];
  /** The voucher a contact letter names, as checked against those this agency issued. */
  voucher: VoucherFinding | undefined;
  /** The sent document a business receipt acknowledges: read with the rest for the first attempt, again on a retry. */
  acknowledged(receipt: DocumentOf<"business-receipt">): Promise<DocumentKey>;
}

export interface VoucherFinding {
  voucherId: string;
  check: VoucherCheck;
}

export async function readCaseContext(
  deps: Parameters<typeof loadCase>[0] & { store: CaseReads & DocumentReads },
  document: Document,
): Promise<CaseContext> {
  const firstLoad = started(loadCase(deps, document.to, document.caseId));
  let firstAcknowledged =
    document.type === "business-receipt"
      ? started(acknowledgedDocument(deps, document as DocumentOf<"business-receipt">))
      : undefined;
  const acknowledged = (receipt: DocumentOf<"business-receipt">) => {
    const read = firstAcknowledged ?? acknowledgedDocument(deps, receipt);
    firstAcknowledged = undefined;
    return read;
  };
  const [related, voucher] = await Promise.all([
    relatedDocuments(deps, document.to, document.caseId, document.type),
    voucherFinding(deps, document),
  ]);
  return { firstLoad, related, voucher, acknowledged };
}

/** Issue 11 item 1: the transfer-out agency checks the voucher a contact letter names against those it issued. */
async function voucherFinding(deps: { store: DocumentReads }, document: Document): Promise<VoucherFinding | undefined> {
  const ref = document.type === "contact-letter" ? namedVoucher(document) : undefined;
  if (!ref) return undefined;
  const person = (document.body as { person: { idNumber: string } }).person;
  return { voucherId: ref.id, check: await checkNamedVoucher(deps, document.to, ref, person.idNumber) };
}

/** A read started ahead of where it is awaited: a refusal in between must not leave its rejection unhandled. */
function started<T>(read: Promise<T>): Promise<T> {
  read.catch(() => {});
  return read;
}
