import type { Document, DocumentOf, DocumentType } from "../types.ts";

/**
 * The case around a document, as the caller gave it in `related`: the other documents with its caseId that
 * pass between the same two agencies. A document from a third agency shares the caseId but not the parties;
 * the case is none of its business (the use cases refuse it as WRONG_PARTY), so no rule compares it with the
 * case, and nothing of the case leaks into its problems.
 */
function inCaseOf(doc: Document, other: Document): boolean {
  return other.caseId === doc.caseId && other.id !== doc.id && sameParties(doc, other);
}

function sameParties(a: Document, b: Document): boolean {
  return (a.from === b.from && a.to === b.to) || (a.from === b.to && a.to === b.from);
}

/**
 * A cross-document rule can only tell "not in the case" from "not loaded" when the case was loaded: the case
 * counts as known when `related` holds at least one other document of it (the use cases pass the whole case
 * for every type whose rules read it, and a case always starts with its contact letter). Without one,
 * reference rules stay silent.
 */
export function isCaseKnown(doc: Document, related: readonly Document[]): boolean {
  return related.some((d) => inCaseOf(doc, d));
}

/** The other documents of the document's case, of one type. */
export function caseDocumentsOf<T extends DocumentType>(
  doc: Document,
  related: readonly Document[],
  type: T,
): DocumentOf<T>[] {
  // The type test narrows each element; TypeScript cannot carry that through a generic predicate.
  return related.filter((d) => d.type === type && inCaseOf(doc, d)) as DocumentOf<T>[];
}

/**
 * "The" record (or fund transfer) of a case: after a discrepancy a corrected one supersedes the old, so the
 * current one is the latest issued that no other supersedes.
 */
export function currentOf<T extends DocumentOf<"insurance-record"> | DocumentOf<"fund-transfer">>(
  documents: readonly T[],
): T | undefined {
  const superseded = new Set(documents.flatMap((d) => (d.body.supersedes ? [d.body.supersedes] : [])));
  return (
    documents
      .filter((d) => !superseded.has(d.id))
      // issuedAt carries its own offset (+08:00 or Z), so instants are compared, not strings.
      .sort((a, b) => Date.parse(a.issuedAt) - Date.parse(b.issuedAt))
      .at(-1)
  );
}

/** Whether another document of the list supersedes `id`. */
export function isSuperseded(
  id: string,
  documents: readonly (DocumentOf<"insurance-record"> | DocumentOf<"fund-transfer">)[],
): boolean {
  return documents.some((d) => d.body.supersedes === id);
}
