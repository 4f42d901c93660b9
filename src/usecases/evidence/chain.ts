import { isConformingDocument } from "../../domain/documents/index.ts";
import type { CheckList } from "./checks.ts";
import type { PackManifest } from "./format.ts";
import type { OpenedItem } from "./item.ts";

/**
 * The case's document chain (docs/business-flow.md "The transfer flow"): a contact letter first; the record,
 * the fund transfer or a return only after it; completion only after both record and funds and
 * never after a return. Every `replyTo` names a document of the pack, and every receipt names its
 * document's exact digest and seal digest.
 */
const NEEDS: Record<string, { after: string[]; notAfter?: string[] }> = {
  "insurance-record": { after: ["contact-letter"] },
  "fund-transfer": { after: ["contact-letter"] },
  return: { after: ["contact-letter"] },
  completion: { after: ["insurance-record", "fund-transfer"], notAfter: ["return"] },
};

export function checkChain(manifest: PackManifest, opened: OpenedItem[], list: CheckList): void {
  const before = list.checks.length;
  const documents = opened
    .filter((o) => o.item.kind === "document")
    .sort((a, b) => a.item.leafIndex - b.item.leafIndex);
  const receipts = opened.filter((o) => o.item.kind === "receipt");
  const ids = new Set(documents.map((d) => d.item.documentId));

  for (const o of opened) {
    if (!isConformingDocument(o.document))
      list.fail(
        o.subject,
        "DOCUMENT_NOT_CONFORMING",
        `${o.item.paths.document} does not conform to the ${o.item.type} schema`,
      );
    // A contribution voucher is its own case (caseId = id): it was presented into this one (issue 11).
    if (o.document.caseId !== manifest.caseId && !isVoucher(o))
      list.fail(
        "chain",
        "CASE_MISMATCH",
        `${o.subject} belongs to case ${String(o.document.caseId)}, the pack is for ${manifest.caseId}`,
      );
  }
  checkOrder(documents, list);
  for (const o of opened) {
    const replyTo = o.document.replyTo;
    if (replyTo !== undefined && !ids.has(replyTo))
      list.fail("chain", "REPLY_UNRESOLVED", `${o.subject} replies to ${replyTo}, which is not in the pack`);
  }
  for (const r of receipts) checkReceipt(r, documents, list);
  for (const d of documents) {
    if (!isVoucher(d) && !receipts.some((r) => r.item.documentId === d.item.documentId)) {
      list.warn(
        "chain",
        "RECEIPT_MISSING",
        `no transport receipt for ${d.item.type} ${d.item.documentId} in the pack (not yet delivered when exported?)`,
      );
    }
  }
  if (list.failures("chain", before) === 0) {
    list.pass(
      "chain",
      "CHAIN_OK",
      `${documents.map((d) => d.item.type).join(" → ") || "no documents"}; ${receipts.length} receipt(s) name their documents' digests`,
    );
  }
}

/** A voucher travels with the person: no transport receipt, and its own id as its case. */
function isVoucher(o: OpenedItem): boolean {
  return o.document.type === "contribution-voucher" && o.document.caseId === o.document.id;
}

function checkOrder(documents: OpenedItem[], list: CheckList): void {
  const seen = new Set<string>();
  for (const d of documents) {
    const type = d.item.type;
    const rule = NEEDS[type];
    const missing = rule?.after.filter((t) => !seen.has(t)) ?? [];
    if (missing.length)
      list.fail(
        "chain",
        "CHAIN_ORDER",
        `${type} ${d.item.documentId} (leaf ${d.item.leafIndex}) comes before any ${missing.join(" and ")}`,
      );
    const barred = rule?.notAfter?.filter((t) => seen.has(t)) ?? [];
    if (barred.length)
      list.fail(
        "chain",
        "CHAIN_ORDER",
        `${type} ${d.item.documentId} (leaf ${d.item.leafIndex}) follows a ${barred.join(", ")}`,
      );
    seen.add(type);
  }
}

function checkReceipt(r: OpenedItem, documents: OpenedItem[], list: CheckList): void {
  const body = r.document.body ?? {};
  const rid = r.document.id ?? r.item.receiptId ?? "?";
  const target = documents.find((d) => d.item.documentId === r.item.documentId);
  if (!target) {
    list.fail(r.subject, "RECEIPT_ORPHAN", `receipt ${rid}: its document ${r.item.documentId} is not in the pack`);
    return;
  }
  if (
    body.documentId !== target.item.documentId ||
    body.documentDigest !== target.documentSha256 ||
    body.sealDigest !== target.sealSha256
  ) {
    const named =
      body.documentDigest !== target.documentSha256
        ? `digest ${String(body.documentDigest)}, document has ${target.documentSha256}`
        : body.sealDigest !== target.sealSha256
          ? `seal digest ${String(body.sealDigest)}, seal has ${target.sealSha256}`
          : `document ${String(body.documentId)}`;
    list.fail(r.subject, "RECEIPT_SWAPPED", `receipt ${rid} for ${target.item.documentId}: swapped — names ${named}`);
  }
}
