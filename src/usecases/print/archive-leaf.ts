import type { ArchiveLeaf, ArchiveReads, DocumentRecord } from "../ports.ts";

/** The archive leaf a stored document was appended as (its case's document leaf with its id), if any. */
export async function archiveLeafOf(
  deps: { store: ArchiveReads },
  record: Pick<DocumentRecord, "ownerAgency" | "caseId" | "documentId">,
): Promise<ArchiveLeaf | undefined> {
  const leaves = await deps.store.archive.caseLeaves(record.ownerAgency, record.caseId);
  return leaves.find((l) => l.kind === "document" && l.documentId === record.documentId);
}
