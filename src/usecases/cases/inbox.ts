import { toPriority } from "../../domain/transfer-case/index.ts";
import type { VerificationReport } from "../../pki/index.ts";
import { sealedOf } from "../canonical.ts";
import { GatewayError } from "../errors.ts";
import type { CaseReads, DocumentReads, DocumentRecord, Principal } from "../ports.ts";
import { readableAgency } from "../principal.ts";
import type { CaseView } from "./queries.ts";

/**
 * The inbox of an agency: inbound documents as a lossless feed (GET /v1/inbox) and those still awaiting its
 * business receipt (the console inbox), each with its verification report and its case's priority.
 */

export interface InboxEntry {
  cursor: string;
  documentId: string;
  type: string;
  caseId: string;
  from: string;
  receivedAt: string;
  state: string;
  /** The sealed document exactly as received: `{ document, seal }`. */
  sealed: { document: unknown; seal: string };
  report?: VerificationReport;
  receipt?: string;
  /** The case's green-channel reason, or null: clients sort by it (the feed itself keeps arrival order). */
  priority: CaseView["priority"];
}

/** Each case's priority as this agency's view of it records it (null for a case it does not hold). */
async function casePriorities(store: CaseReads, agencyId: string, caseIds: string[]) {
  const unique = [...new Set(caseIds)];
  const records = await Promise.all(unique.map((caseId) => store.getCase(agencyId, caseId)));
  const priorities = new Map<string, CaseView["priority"]>();
  for (const [i, record] of records.entries()) {
    const p = record && record.state.status !== "empty" ? toPriority(record.state.flags.priority) : null;
    priorities.set(unique[i]!, p ? { reasonCode: p.reasonCode } : null);
  }
  return priorities;
}

/**
 * Documents received for the caller's agency after a cursor, in arrival (seq) order, with their reports
 * and each case's priority. Not reordered by priority: the seq cursor must stay a lossless feed.
 */
export async function readInbox(
  deps: { store: DocumentReads & CaseReads },
  principal: Principal,
  after: string | undefined,
  limit = 50,
): Promise<{ entries: InboxEntry[]; next: string }> {
  const agencyId = readableAgency(principal);
  if (!agencyId) throw new GatewayError("FORBIDDEN", "the inbox belongs to an agency");
  const afterSeq = after === undefined ? 0 : Number(after);
  if (!Number.isSafeInteger(afterSeq) || afterSeq < 0)
    throw new GatewayError("REQUEST_INVALID", "after must be a cursor from a previous page");
  const records = await deps.store.inbox(agencyId, afterSeq, Math.min(Math.max(limit, 1), 200));
  const entries = await toInboxEntries(deps.store, agencyId, records);
  return { entries, next: entries.at(-1)?.cursor ?? String(afterSeq) };
}

/** The caller's inbound case documents still awaiting its business receipt, oldest first (the console inbox). */
export async function readPendingInbox(
  deps: { store: DocumentReads & CaseReads },
  principal: Principal,
  limit = 100,
): Promise<InboxEntry[]> {
  const agencyId = readableAgency(principal);
  if (!agencyId) throw new GatewayError("FORBIDDEN", "the inbox belongs to an agency");
  const records = await deps.store.pendingInbox(agencyId, Math.min(Math.max(limit, 1), 200));
  return toInboxEntries(deps.store, agencyId, records);
}

async function toInboxEntries(store: CaseReads, agencyId: string, records: DocumentRecord[]): Promise<InboxEntry[]> {
  const priorities = await casePriorities(
    store,
    agencyId,
    records.map((r) => r.caseId),
  );
  return records.map((r) => ({
    cursor: String(r.seq),
    documentId: r.documentId,
    type: r.type,
    caseId: r.caseId,
    from: r.from,
    receivedAt: r.recordedAt,
    state: r.state,
    sealed: sealedOf(r),
    ...(r.report ? { report: r.report } : {}),
    ...(r.receipt ? { receipt: r.receipt } : {}),
    priority: priorities.get(r.caseId) ?? null,
  }));
}
