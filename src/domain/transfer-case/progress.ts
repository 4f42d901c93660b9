import { isClosed, type CaseDocumentKind, type CaseState, type CaseView } from "./types.ts";

export type DocumentProgress = "sent" | "received" | "awaited";

/** Who sends each kind of document (66号 art 8; docs/business-flow.md "The transfer flow"). */
const SENDER: Record<CaseDocumentKind, CaseView> = {
  "contact-letter": "transfer-in",
  "insurance-record": "transfer-out",
  "fund-transfer": "transfer-out",
  return: "transfer-out",
  discrepancy: "transfer-in",
  completion: "transfer-in",
};

/** The documents every transfer that completes exchanges, in order; a return or a discrepancy only when it happened. */
const EXPECTED: CaseDocumentKind[] = ["contact-letter", "insurance-record", "fund-transfer", "completion"];

/**
 * Which documents of the transfer have moved, seen from this view (issue 15 item 6). The status names the
 * phase — it stays `contact-letter-sent` until the record AND the funds are in —; this says which of them
 * arrived. The timeline remains the full account.
 */
export function documentProgress(state: CaseState): Partial<Record<CaseDocumentKind, DocumentProgress>> {
  if (state.status === "empty") return {};
  const progress: Partial<Record<CaseDocumentKind, DocumentProgress>> = {};
  const kinds = [...EXPECTED, ...(Object.keys(state.documents) as CaseDocumentKind[])];
  for (const kind of new Set(kinds)) {
    if (state.documents[kind] !== undefined) progress[kind] = SENDER[kind] === state.view ? "sent" : "received";
    else if (!isClosed(state)) progress[kind] = "awaited";
  }
  return progress;
}
