import type { Document, DocumentOf } from "../../domain/documents/index.ts";
import { CaseError } from "../../domain/transfer-case/index.ts";
import { sameDigest } from "../canonical.ts";
import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import type { Committer, DocumentKey, DocumentReads, DocumentRecord } from "../ports.ts";

/*
 * Who may say what in a received document (issue 9 items 1 and 7): parties, business receipts and
 * second versions of a document. Each refusal that matters to security is an audit event.
 */

/**
 * Issue 9 item 1: a sealer that is not the case's counterpart (or a document going against the parties'
 * roles) is refused before anything is written; the refusal itself is a security event in the audit log.
 */
export async function refuseStrangers<R>(
  deps: Pick<GatewayDeps, "clock" | "logger"> & { store: Committer },
  document: Document,
  requestId: string,
  decide: () => Promise<R>,
): Promise<R> {
  try {
    return await decide();
  } catch (err) {
    const code = err instanceof CaseError || err instanceof GatewayError ? err.code : undefined;
    if (code === "WRONG_PARTY") {
      const at = deps.clock.now().toISOString();
      await deps.store.commit({
        audit: [
          {
            at,
            kind: "security.wrong-party",
            agencyId: document.to,
            caseId: document.caseId,
            documentId: document.id,
            requestId,
            detail: { from: document.from, type: document.type },
          },
        ],
      });
      deps.logger.warn("security.wrong-party", {
        from: document.from,
        to: document.to,
        type: document.type,
        documentId: document.id,
        requestId,
      });
    }
    throw err;
  }
}

/**
 * A business receipt may only acknowledge a case document this agency sent to the receipt's sealer, in
 * the same case, with the digest of what was sent; receipts are not acknowledged, and a document is
 * acknowledged once (an identical replay of that one receipt was answered before this point).
 */
export async function acknowledgedDocument(
  deps: { store: DocumentReads },
  document: DocumentOf<"business-receipt">,
): Promise<DocumentKey> {
  const key: DocumentKey = {
    ownerAgency: document.to,
    direction: "out",
    from: document.to,
    documentId: document.body.documentId,
  };
  const sent = await deps.store.getDocument(key);
  if (!sent)
    throw new GatewayError("DOCUMENT_NOT_FOUND", `business receipt for unknown document ${document.body.documentId}`);
  if (sent.to !== document.from || sent.caseId !== document.caseId) {
    throw new GatewayError(
      "WRONG_PARTY",
      `document ${sent.documentId} was not sent to agency ${document.from} in case ${document.caseId}`,
    );
  }
  if (sent.type === "business-receipt")
    throw new GatewayError("NOT_ACKNOWLEDGEABLE", "a business receipt is not itself acknowledged");
  if (!sameDigest(sent.documentSha256, document.body.documentDigest)) {
    throw new GatewayError(
      "DIGEST_MISMATCH",
      `the business receipt names a digest other than that of document ${sent.documentId}`,
    );
  }
  if (sent.businessReceiptId !== undefined) {
    throw new GatewayError(
      "ALREADY_ACKNOWLEDGED",
      `document ${sent.documentId} was already acknowledged by ${sent.businessReceiptId}`,
    );
  }
  return key;
}

/** Same (from, id) again, verified: the original receipt for the same document (a new seal over it, say after a rollover), 409 and a security event for other content. */
export async function answerReplay(
  deps: Pick<GatewayDeps, "clock" | "logger"> & { store: Committer },
  existing: DocumentRecord,
  key: DocumentKey,
  documentSha256: string,
  requestId: string,
) {
  if (sameDigest(existing.documentSha256, documentSha256) && existing.receipt) {
    return { status: 200 as const, receipt: existing.receipt, documentId: key.documentId };
  }
  await deps.store.commit({
    audit: [
      {
        at: deps.clock.now().toISOString(),
        kind: "security.equivocation",
        agencyId: key.ownerAgency,
        documentId: key.documentId,
        requestId,
        detail: { from: key.from, storedDigest: existing.documentSha256, offeredDigest: documentSha256 },
      },
    ],
  });
  deps.logger.warn("security.equivocation", { from: key.from, documentId: key.documentId, requestId });
  throw new GatewayError(
    "DOCUMENT_CONFLICT",
    `document ${key.documentId} from ${key.from} was already received with different content`,
  );
}
