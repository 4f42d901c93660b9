import { documentLeaf } from "../archive/index.ts";
import { canonicalBytes, documentOf, sentRecord, shanghaiTimestamp } from "../canonical.ts";
import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import type { Committer, DocumentKey, DocumentReads, DocumentRecord, Principal, StateChange } from "../ports.ts";
import { StoreError } from "../store-error.ts";
import { requireAgency } from "../principal.ts";
import { summarizeDocument, type DocumentSummary } from "./queries.ts";

export interface AcknowledgeInput {
  documentId: string;
  /** Needed only when two senders used the same document id. */
  from?: string;
  outcome?: "accepted" | "rejected";
  note?: string;
}

/**
 * What acknowledging touches: the inbound document and our records sent, the agency's seal key, the outbox.
 * No case step: the batch carries no version guard (a business receipt closes a delivery, not a case step).
 */
export type AcknowledgeDeps = Pick<GatewayDeps, "agencies" | "clock" | "ids" | "onQueued"> &
  Partial<Pick<GatewayDeps, "logger">> & {
    store: DocumentReads & Committer;
  };

/**
 * The receiving agency's system has processed an inbound document: seal a `business-receipt` back to
 * the sender (EESSI's lesson: a transport receipt proves arrival at the gateway, not processing).
 * Acknowledging twice answers with the first business receipt.
 */
export async function acknowledgeInbound(
  deps: AcknowledgeDeps,
  principal: Principal,
  input: AcknowledgeInput,
): Promise<DocumentSummary> {
  const agencyId = requireAgency(principal);
  const agency = deps.agencies.hosted(agencyId)!;
  const inbound = await findInbound(deps, agencyId, input);
  const now = deps.clock.now();
  // Issue 9 item 1: only case documents are acknowledged (no receipt of a receipt), and only once; a
  // voucher was presented by the person, not sent by its issuer (issue 11).
  if (inbound.type === "business-receipt" || inbound.type === "receipt" || inbound.type === "contribution-voucher") {
    throw new GatewayError("NOT_ACKNOWLEDGEABLE", `${inbound.type} ${inbound.documentId} is not itself acknowledged`);
  }
  if (inbound.businessReceiptId) return answerRepeat(deps, inbound, inbound.businessReceiptId, input);
  const document = {
    jiexu: 1,
    id: deps.ids.newId("brcpt"),
    type: "business-receipt" as const,
    caseId: inbound.caseId,
    from: agencyId,
    to: inbound.from,
    issuedAt: shanghaiTimestamp(now),
    replyTo: inbound.documentId,
    body: {
      documentId: inbound.documentId,
      documentDigest: inbound.documentSha256,
      outcome: input.outcome ?? "accepted",
      processedAt: shanghaiTimestamp(now),
      ...(input.note ? { note: input.note } : {}),
    },
  };
  const canonical = canonicalBytes(document);
  const seal = agency.sealKey.seal(canonical, now);
  const at = now.toISOString();
  const record = sentRecord(document, { canonical, seal }, { recordedAt: at, state: "queued" });
  try {
    await deps.store.commit(acknowledgement(deps, record, inbound, document.body.outcome));
  } catch (err) {
    // A concurrent acknowledgement of the same document won (the store's guard): answer as a repeat would.
    if (!(err instanceof StoreError && err.code === "VERSION_CONFLICT")) throw err;
    const winner = (await deps.store.getDocument(inboundKey(inbound)))?.businessReceiptId;
    if (!winner) throw err;
    return answerRepeat(deps, inbound, winner, input);
  }
  deps.logger?.info("document.acknowledged", {
    caseId: record.caseId,
    documentId: inbound.documentId,
    from: inbound.from,
    businessReceiptId: record.documentId,
    outcome: document.body.outcome,
  });
  deps.onQueued?.();
  return summarizeDocument(record);
}

/** Asking again for the same outcome answers the first receipt; asking for another one is refused. */
async function answerRepeat(
  deps: { store: DocumentReads },
  inbound: DocumentRecord,
  businessReceiptId: string,
  input: AcknowledgeInput,
): Promise<DocumentSummary> {
  const sent = await deps.store.getDocument({
    ownerAgency: inbound.ownerAgency,
    direction: "out",
    from: inbound.ownerAgency,
    documentId: businessReceiptId,
  });
  const outcome = sent && documentOf<{ body: { outcome: string } }>(sent).body.outcome;
  if (sent && outcome === (input.outcome ?? "accepted")) return summarizeDocument(sent);
  throw new GatewayError(
    "ALREADY_ACKNOWLEDGED",
    `document ${inbound.documentId} was already acknowledged by ${businessReceiptId}`,
  );
}

function inboundKey(inbound: DocumentRecord): DocumentKey {
  return { ownerAgency: inbound.ownerAgency, direction: "in", from: inbound.from, documentId: inbound.documentId };
}

/** The batch: the business receipt, its archive leaf, the inbound document marked, the delivery, the audit event. */
function acknowledgement(
  deps: Pick<AcknowledgeDeps, "ids">,
  record: DocumentRecord,
  inbound: DocumentRecord,
  outcome: string,
): StateChange {
  const { ownerAgency: agencyId, documentId, recordedAt: at } = record;
  return {
    newDocuments: [record],
    archive: [documentLeaf()],
    documentUpdates: [
      {
        key: inboundKey(inbound),
        state: "acknowledged",
        businessReceiptId: documentId,
      },
    ],
    newDeliveries: [
      {
        id: deps.ids.newId("dlv"),
        kind: "document",
        ownerAgency: agencyId,
        documentId,
        target: inbound.from,
        state: "queued",
        attempts: 0,
        nextAttemptAt: at,
        createdAt: at,
        updatedAt: at,
      },
    ],
    audit: [
      {
        at,
        kind: "document.acknowledged",
        agencyId,
        caseId: inbound.caseId,
        documentId: inbound.documentId,
        detail: { outcome },
      },
    ],
  };
}

async function findInbound(
  deps: { store: DocumentReads },
  agencyId: string,
  input: AcknowledgeInput,
): Promise<DocumentRecord> {
  const candidates = input.from
    ? [
        await deps.store.getDocument({
          ownerAgency: agencyId,
          direction: "in",
          from: input.from,
          documentId: input.documentId,
        }),
      ].filter((d) => d !== undefined)
    : await deps.store.inboundDocuments(agencyId, input.documentId);
  if (candidates.length === 0) throw new GatewayError("DOCUMENT_NOT_FOUND", `no inbound document ${input.documentId}`);
  if (candidates.length > 1)
    throw new GatewayError("REQUEST_INVALID", "several senders used this document id: pass ?from=");
  return candidates[0]!;
}
