import type { CaseEvent, CaseState } from "../../src/domain/transfer-case/index.ts";
import type { DocumentKey, DocumentRecord, StateChange } from "../../src/usecases/ports.ts";

/** The changes the store contract (store-contract.ts) commits: plain port values, no store of their own. */

export const AGENCY = "330000";
export const PEER = "440000";
const AT = "2026-03-02T08:00:00.000Z";
export const bytes = (text: string) => new TextEncoder().encode(text);
export const decode = (data: Uint8Array) => new TextDecoder().decode(data);

export function state(caseId: string, status: string): CaseState {
  return { status, caseId, agencyId: AGENCY, counterpartId: PEER, documents: {} } as unknown as CaseState;
}

export function event(caseId: string, type: string): CaseEvent {
  return { type, caseId, at: AT, data: { note: type } } as unknown as CaseEvent;
}

/** `tag` goes into the bytes, so a stored copy of a shared document key tells whose it is. */
export function document(documentId: string, caseId: string, tag: string): DocumentRecord {
  return {
    ownerAgency: AGENCY,
    direction: "in",
    documentId,
    type: "contact-letter",
    caseId,
    from: PEER,
    to: AGENCY,
    canonical: bytes(`{"id":"${documentId}","tag":"${tag}"}`),
    seal: Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x01]),
    documentSha256: "a".repeat(64),
    sealSha256: "b".repeat(64),
    recordedAt: AT,
    state: "received",
  };
}

export const keyOf = (documentId: string): DocumentKey => ({
  ownerAgency: AGENCY,
  direction: "in",
  from: PEER,
  documentId,
});

/**
 * Step `expectedVersion → +1` of a case, tagged `tag`, carrying every part a change can have: the case row and
 * its event, a document, a delivery, an audit row and an archive leaf — all named after the tag.
 */
export function step(caseId: string, expectedVersion: number, tag: string, documentId = `doc-${tag}`): StateChange {
  return {
    caseWrite: {
      agencyId: AGENCY,
      caseId,
      expectedVersion,
      state: state(caseId, `status-${tag}`),
      events: [event(caseId, `Event-${tag}`)],
      at: AT,
    },
    newDocuments: [document(documentId, caseId, tag)],
    newDeliveries: [
      {
        id: `dlv-${tag}`,
        kind: "webhook",
        ownerAgency: AGENCY,
        documentId,
        target: "https://example.invalid/hook",
        state: "queued",
        attempts: 0,
        nextAttemptAt: AT,
        createdAt: AT,
        updatedAt: AT,
      },
    ],
    audit: [{ at: AT, kind: `audit-${tag}`, agencyId: AGENCY, caseId, documentId }],
    archive: [
      { kind: "document", ownerAgency: AGENCY, caseId, documentId, recordedAt: AT, entry: bytes(`leaf-${tag}`) },
    ],
  };
}
