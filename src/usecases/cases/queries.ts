import { maskIdNumber } from "../../domain/identifiers/index.ts";
import {
  documentProgress,
  type CaseDocumentKind,
  type DocumentProgress,
  toPriority,
  type CaseFlags,
  type CasePriority,
  type CaseState,
  type CaseVoucher,
  type OpenDeadline,
  type OpenDiscrepancy,
  type SupersededDocument,
} from "../../domain/transfer-case/index.ts";
import { caseNotFound } from "./state.ts";
import { timelineEntry, type TimelineEntry } from "./timeline.ts";
import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import type { CaseReads, CaseRecord, DocumentReads, DocumentRecord, Principal } from "../ports.ts";
import { readableAgency } from "../principal.ts";

export interface DocumentSummary {
  documentId: string;
  type: string;
  direction: "in" | "out";
  from: string;
  to: string;
  recordedAt: string;
  /** Outbound: queued → … → delivered; inbound: received → acknowledged. */
  state: string;
  documentSha256: string;
  sealSha256: string;
  receipted: boolean;
  businessReceiptId?: string;
  verification?: { indication: string; subIndication?: string };
}

export interface CaseView {
  caseId: string;
  agencyId: string;
  version: number;
  status: CaseState["status"];
  view?: string;
  counterpartId?: string;
  flags?: CaseFlags;
  /** Green channel reason, or null: clients sort and filter on it. */
  priority: { reasonCode: CasePriority["reasonCode"] } | null;
  /** The person, ID number masked (GB 11643 digits 7–14). */
  person?: { name: string; idNumber: string };
  /** The sealed contribution voucher of the case, with the transfer-out side's check, or null. */
  voucher: { id: string; sha256: string; check?: CaseVoucher["check"] } | null;
  /** The open 核对不符, while one holds the case. */
  discrepancy?: OpenDiscrepancy;
  /** Documents replaced by corrections, oldest first. */
  superseded: SupersededDocument[];
  /** Which documents moved (sent or received from this view) and which are still awaited; the status is the phase. */
  progress: Partial<Record<CaseDocumentKind, DocumentProgress>>;
  openedAt?: string;
  closedAt?: string;
  /** Each with the legal `due`/`overdue` and, for priority cases, the internal `target`/`targetMissed`. */
  openDeadlines: OpenDeadline[];
  overdue: boolean;
  timeline: TimelineEntry[];
  documents: DocumentSummary[];
  updatedAt: string;
}

/** State, timeline, every document with its delivery state, open deadlines and the overdue flag. */
export async function describeCase(
  deps: Pick<GatewayDeps, "clock" | "decider"> & { store: CaseReads & DocumentReads },
  principal: Principal,
  caseId: string,
  agencyId?: string,
): Promise<CaseView> {
  const owner = readableAgency(principal, agencyId);
  if (!owner) throw new GatewayError("REQUEST_INVALID", "name the agency whose view of the case to read (?agency=)");
  const [record, events, documents] = await Promise.all([
    deps.store.getCase(owner, caseId),
    deps.store.caseEvents(owner, caseId),
    deps.store.caseDocuments(owner, caseId),
  ]);
  if (!record) throw caseNotFound(owner, caseId);
  return {
    ...summarizeCase(deps, record, deps.clock.now()),
    timeline: events.map((e) => timelineEntry(e.version, e.at, e.event)),
    documents: documents.map(summarizeDocument),
  };
}

export function summarizeCase(deps: Pick<GatewayDeps, "decider">, record: CaseRecord, now: Date): CaseView {
  // Views read the store directly: the state is upgraded here as loadCase does for commands.
  const s = deps.decider.upgrade(record.state);
  const open = deps.decider.openDeadlines(s, now);
  const base: CaseView = {
    caseId: record.caseId,
    agencyId: record.agencyId,
    version: record.version,
    status: s.status,
    priority: null,
    voucher: null,
    superseded: [],
    progress: documentProgress(s),
    openDeadlines: open,
    overdue: deps.decider.isOverdue(s, now),
    timeline: [],
    documents: [],
    updatedAt: record.updatedAt,
  };
  if (s.status === "empty") return base;
  const priority = toPriority(s.flags.priority);
  const { voucher, person } = s;
  return {
    ...base,
    view: s.view,
    counterpartId: s.counterpartId,
    flags: { ...s.flags, priority },
    priority: priority ? { reasonCode: priority.reasonCode } : null,
    ...(person ? { person: { name: person.name, idNumber: maskIdNumber(person.idNumber) } } : {}),
    voucher: voucher
      ? { id: voucher.id, sha256: voucher.sha256, ...(voucher.check ? { check: voucher.check } : {}) }
      : null,
    ...(s.status === "discrepancy-raised" ? { discrepancy: s.discrepancy } : {}),
    superseded: s.superseded ?? [],
    openedAt: s.openedAt,
    ...("closedAt" in s ? { closedAt: s.closedAt } : {}),
  };
}

export function summarizeDocument(r: DocumentRecord): DocumentSummary {
  return {
    documentId: r.documentId,
    type: r.type,
    direction: r.direction,
    from: r.from,
    to: r.to,
    recordedAt: r.recordedAt,
    state: r.state,
    documentSha256: r.documentSha256,
    sealSha256: r.sealSha256,
    receipted: r.receipt !== undefined,
    ...(r.businessReceiptId ? { businessReceiptId: r.businessReceiptId } : {}),
    ...(r.report
      ? {
          verification: {
            indication: r.report.indication,
            ...(r.report.subIndication ? { subIndication: r.report.subIndication } : {}),
          },
        }
      : {}),
  };
}

/**
 * Cases the caller may see, priority (green-channel) cases first, then newest first; filtered by status,
 * priority and the derived overdue flag, paginated.
 */
export async function listCases(
  deps: Pick<GatewayDeps, "clock" | "decider"> & { store: CaseReads },
  principal: Principal,
  query: {
    agencyId?: string;
    status?: string;
    priority?: boolean;
    overdue?: boolean;
    /** The person's 公民身份号码 (18 characters; a final x is read as X). */
    idNumber?: string;
    after?: string;
    limit?: number;
  },
): Promise<{ cases: CaseView[]; next?: string }> {
  const agencyId = readableAgency(principal, query.agencyId);
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const now = deps.clock.now();
  const page = await deps.store.listCases({
    ...(agencyId ? { agencyId } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.priority !== undefined ? { priority: query.priority } : {}),
    ...(query.idNumber ? { idNumber: query.idNumber.toUpperCase() } : {}),
    ...(query.after ? { after: query.after } : {}),
    limit,
  });
  let cases = page.cases.map((c) => summarizeCase(deps, c, now));
  // Overdue is derived from the clock, never stored, so it filters the page rather than the query.
  if (query.overdue !== undefined) cases = cases.filter((c) => c.overdue === query.overdue);
  return { cases, ...(page.next ? { next: page.next } : {}) };
}
