import type { CaseEvent, CaseState } from "../domain/transfer-case/index.ts";
import type { DocumentType } from "../domain/documents/index.ts";
import type { VerificationReport } from "../pki/index.ts";

/**
 * What the store keeps and what one atomic write carries (split out of ports.ts, issue 10 item 1): the
 * records every store port reads and writes, and `StateChange`, the one batch `Committer.commit` takes.
 */

export interface CaseRecord {
  agencyId: string;
  caseId: string;
  /** Number of events applied; the optimistic-concurrency guard. */
  version: number;
  state: CaseState;
  createdAt: string;
  updatedAt: string;
}

export interface StoredCaseEvent {
  version: number;
  at: string;
  event: CaseEvent;
}

export type OutboundState = "queued" | "sending" | "delivered" | "retrying" | "failed" | "uncertain" | "cancelled";
export type InboundState = "received" | "acknowledged";

/** Delivery states the dispatcher picks up; `uncertain` is re-sent because the peer dedupes by (from, id). */
export const DUE_STATES: readonly OutboundState[] = ["queued", "retrying", "uncertain"];

/** A sealed document as this gateway keeps it, on the side of the hosted agency that owns the record. */
export interface DocumentRecord {
  /** Storage sequence, assigned at commit; the inbox cursor for inbound documents. */
  seq?: number;
  ownerAgency: string;
  direction: "in" | "out";
  documentId: string;
  type: DocumentType;
  caseId: string;
  from: string;
  to: string;
  replyTo?: string;
  /** RFC 8785 (JCS) UTF-8 bytes of the document: exactly what the seal covers. */
  canonical: Uint8Array;
  /** DER of the CAdES seal. */
  seal: Uint8Array;
  documentSha256: string;
  sealSha256: string;
  /** Verification report kept for inbound documents (and for pre-sealed submissions). */
  report?: VerificationReport;
  /** When the record was created: submission or issue (out), durable receipt or presentation (in). */
  recordedAt: string;
  /** `issued`: a contribution voucher this agency sealed for the person to carry; it is never delivered. */
  state: OutboundState | InboundState | "issued";
  /** The transport receipt: issued by us (in) or returned by the peer (out), as sealed-document JSON. */
  receipt?: string;
  /** Id of the business-receipt that acknowledged this document, once there is one. */
  businessReceiptId?: string;
}

/**
 * The storage case an issued contribution voucher is filed under at its issuer: a voucher belongs to no
 * transfer case, and a case id (the envelope's documentId pattern: it starts with a letter or digit) can never
 * take this form, so no case a counterpart opens can pull an issued voucher into its documents or archive.
 */
export function voucherCaseKey(voucherId: string): string {
  return `@voucher:${voucherId}`;
}

export interface DocumentKey {
  ownerAgency: string;
  direction: "in" | "out";
  from: string;
  documentId: string;
}

export interface DeliveryRecord {
  id: string;
  /** "document": a sealed document to a peer agency; "webhook": a notification to the owner's system. */
  kind: "document" | "webhook";
  ownerAgency: string;
  documentId?: string;
  /** Peer agency id (document) or webhook URL. */
  target: string;
  payload?: string;
  state: OutboundState;
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  createdAt: string;
  updatedAt: string;
}

export interface AuditEvent {
  at: string;
  kind: string;
  agencyId?: string;
  caseId?: string;
  documentId?: string;
  requestId?: string;
  detail?: Record<string, unknown>;
}

/** One atomic, guarded state change: all of it becomes durable or none of it does. */
export interface StateChange {
  /** Append events to a case; fails with VERSION_CONFLICT unless the stored version is `expectedVersion`. */
  caseWrite?: {
    agencyId: string;
    caseId: string;
    expectedVersion: number;
    state: CaseState;
    events: CaseEvent[];
    at: string;
    /**
     * The case's next reminder look (usecases/reminder-schedule.ts `lookAfterWrite`; null: none, the case is
     * closed). Absent: the stored look stands; a new open case is due a look at `at`.
     */
    remindAt?: string | null;
  };
  newDocuments?: DocumentRecord[];
  documentUpdates?: {
    key: DocumentKey;
    state?: DocumentRecord["state"];
    receipt?: string;
    businessReceiptId?: string;
  }[];
  newDeliveries?: DeliveryRecord[];
  deliveryUpdates?: {
    id: string;
    state: OutboundState;
    attempts?: number;
    nextAttemptAt?: string;
    lastError?: string | null;
    updatedAt: string;
    /**
     * A claim: applies only while the row is still in this state with this many attempts, else the change
     * fails with VERSION_CONFLICT (another dispatcher took the delivery since it was read).
     */
    expected?: { state: OutboundState; attempts: number };
  }[];
  audit?: AuditEvent[];
  /** Deadline reminders emitted by this change (recording one twice is a no-op). */
  reminders?: ReminderRecord[];
  /**
   * The reminder pass's next look at cases it looked at (null: none needed). Applied only to a case still at
   * `version`; a case written since keeps the write's own look, and that is not a conflict.
   */
  reminderVisits?: ReminderVisit[];
  /** Archive log entries appended in this same batch: an index exists only once committed (issue 6). */
  archive?: ArchiveItem[];
  /**
   * Cases to (re)index without new items (an export of a case archived before case indexes existed).
   * Every batch with `archive` entries gets one fresh case-index leaf per (owner, case) anyway (issue 9 item 10).
   */
  indexCases?: { ownerAgency: string; caseId: string; at: string }[];
  checkpoint?: CheckpointRecord;
  /** Replace a stored checkpoint's note (same text, more signatures: peers' co-signatures). */
  checkpointNotes?: { size: number; note: string }[];
  peerCheckpoint?: PeerCheckpointRecord;
}

/** What a change archives: a leaf by reference to one of its own new documents, or given as bytes. */
export type ArchiveItem = ArchiveRef | ArchiveEntryInput;

/**
 * "Archive `newDocuments[newDocument]` as a document leaf / its `receipt` as a receipt leaf" (issue 12
 * item 1): the store builds the entry (usecases/archive/entries.ts) on its writer, and as the documents
 * row holds its sealed bytes, keeps only the entry's head (usecases/archive/entry-refs.ts).
 */
export interface ArchiveRef {
  kind: "document" | "receipt";
  newDocument: number;
}

export interface ArchiveEntryInput {
  /** `case-index` leaves are appended by the store itself (src/usecases/case-index.ts). */
  kind: "document" | "receipt" | "case-index";
  ownerAgency: string;
  caseId: string;
  documentId: string;
  recordedAt: string;
  /** Canonical record bytes (the leaf's data). */
  entry: Uint8Array;
}

export interface ArchiveLeaf extends ArchiveEntryInput {
  index: number;
  leafHash: Uint8Array;
}

export interface CheckpointRecord {
  size: number;
  rootHex: string;
  /** The C2SP signed note (checkpoint body + signature lines). */
  note: string;
  at: string;
}

export interface PeerCheckpointRecord {
  origin: string;
  size: number;
  rootHex: string;
  note: string;
  receivedAt: string;
}

export interface ReminderVisit {
  agencyId: string;
  caseId: string;
  version: number;
  /** ISO instant; null when the case needs no further look. */
  remindAt: string | null;
}

export interface ReminderRecord {
  agencyId: string;
  caseId: string;
  step: string;
  kind: "overdue" | "due-soon";
  /** The effective due date the reminder is about (a new deadline gets new reminders). */
  due: string;
  sentAt: string;
}

/**
 * `STORE_DOCUMENT_TOO_LARGE`: the document's row would exceed what the database takes (D1 without a blob
 * store), refused before anything is written. `STORE_BLOB_MISSING`: a row's bytes are in the blob store
 * and the object is not there; the read fails rather than answer an empty or partial document.
 */
export type StoreErrorCode =
  | "VERSION_CONFLICT"
  | "DUPLICATE_DOCUMENT"
  | "STORE_UNAVAILABLE"
  | "INVALID_CURSOR"
  | "STORE_DOCUMENT_TOO_LARGE"
  | "STORE_BLOB_MISSING";

export interface CaseQuery {
  agencyId?: string;
  status?: string;
  /** Only green-channel cases (true) or only the others (false). */
  priority?: boolean;
  /** Only the cases of this person (公民身份号码, compared upper-case). */
  idNumber?: string;
  /** Opaque cursor from a previous page. */
  after?: string;
  limit: number;
}
