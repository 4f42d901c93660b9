import type { CaseEvent, CaseState } from "../domain/transfer-case/index.ts";
import type { DocumentType } from "../domain/documents/index.ts";
import type { VerificationReport } from "../pki/report.ts";

/**
 * The ports the use cases own (DESIGN.md "Architecture"). Adapters live in storage/ and runtime/;
 * tests use the fakes in test/fakes. Every write that changes state goes through `GatewayStore.commit`
 * as one guarded batch, and a promise from it resolves only once the batch is durable on disk.
 */

export interface Clock {
  now(): Date;
}

export interface IdSource {
  /** A fresh unique id with a readable prefix, e.g. `doc-…`, `case-…` (randomness is injected here). */
  newId(prefix: string): string;
}

export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export type Role = "agency" | "compliance" | "admin";

/** Who called: resolved from a bearer token at the edge. Agency principals carry their agency id. */
export interface Principal {
  tokenId: string;
  role: Role;
  agencyId?: string;
}

// ---------------------------------------------------------------------------------------------
// Stored records

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
  /** When the record was created: submission (out) or durable receipt (in). */
  recordedAt: string;
  state: OutboundState | InboundState;
  /** The transport receipt: issued by us (in) or returned by the peer (out), as sealed-document JSON. */
  receipt?: string;
  /** Id of the business-receipt that acknowledged this document, once there is one. */
  businessReceiptId?: string;
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
  caseWrite?: { agencyId: string; caseId: string; expectedVersion: number; state: CaseState; events: CaseEvent[]; at: string };
  newDocuments?: DocumentRecord[];
  documentUpdates?: { key: DocumentKey; state?: DocumentRecord["state"]; receipt?: string; businessReceiptId?: string }[];
  newDeliveries?: DeliveryRecord[];
  deliveryUpdates?: { id: string; state: OutboundState; attempts?: number; nextAttemptAt?: string; lastError?: string | null; updatedAt: string }[];
  audit?: AuditEvent[];
  /** Deadline reminders emitted by this change (recording one twice is a no-op). */
  reminders?: ReminderRecord[];
  /** Archive log entries appended in this same batch: an index exists only once committed (issue 6). */
  archive?: ArchiveEntryInput[];
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

export interface ArchiveEntryInput {
  /** `case-index` leaves are appended by the store itself (src/usecases/archive-case-index.ts). */
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

export interface ReminderRecord {
  agencyId: string;
  caseId: string;
  step: string;
  kind: "overdue" | "due-soon";
  /** The effective due date the reminder is about (a new deadline gets new reminders). */
  due: string;
  sentAt: string;
}

export type StoreErrorCode = "VERSION_CONFLICT" | "DUPLICATE_DOCUMENT" | "STORE_UNAVAILABLE" | "INVALID_CURSOR";

export interface CaseQuery {
  agencyId?: string;
  status?: string;
  /** Opaque cursor from a previous page. */
  after?: string;
  limit: number;
}

export interface GatewayStore {
  /** Durable when the promise resolves; rejects with a StoreError and writes nothing on conflict. */
  commit(change: StateChange): Promise<{ documentSeqs: number[]; archiveIndexes: number[] }>;
  getCase(agencyId: string, caseId: string): Promise<CaseRecord | undefined>;
  caseEvents(agencyId: string, caseId: string): Promise<StoredCaseEvent[]>;
  listCases(query: CaseQuery): Promise<{ cases: CaseRecord[]; next?: string }>;
  getDocument(key: DocumentKey): Promise<DocumentRecord | undefined>;
  /** Any record of the document id sent by `from`, on either side (for business receipts and lookups). */
  findDocuments(from: string | undefined, documentId: string): Promise<DocumentRecord[]>;
  caseDocuments(agencyId: string, caseId: string): Promise<DocumentRecord[]>;
  inbox(agencyId: string, afterSeq: number, limit: number): Promise<DocumentRecord[]>;
  dueDeliveries(now: string, limit: number): Promise<DeliveryRecord[]>;
  sentReminders(agencyId: string, caseId: string): Promise<ReminderRecord[]>;
  /** Deliveries not yet settled (queued, sending, retrying, uncertain): the queue depth. */
  outboxDepth(): Promise<number>;
  listDeliveries(query: { ownerAgency?: string; state?: OutboundState; limit: number }): Promise<DeliveryRecord[]>;
  getDelivery(id: string): Promise<DeliveryRecord | undefined>;
  /** Principal for a token hash (SHA-256 hex of the bearer token); tokens are never stored in clear. */
  principalByTokenHash(hash: string): Promise<Principal | undefined>;
  saveToken(hash: string, principal: Principal, label: string): Promise<void>;
  auditEvents(query: { agencyId?: string; kind?: string; limit: number }): Promise<AuditEvent[]>;
  archive: ArchiveReader;
}

/** Reads of the archive log; hashes come from stored complete subtrees (never by rehashing). */
export interface ArchiveReader {
  /** Number of committed leaves. */
  size(): Promise<number>;
  /** Stored node hashes for the requested (level, index) pairs, undefined where absent. */
  nodes(ids: { level: number; index: number }[]): Promise<(Uint8Array | undefined)[]>;
  leaves(from: number, limit: number): Promise<ArchiveLeaf[]>;
  leaf(index: number): Promise<ArchiveLeaf | undefined>;
  leafByHash(leafHash: Uint8Array): Promise<ArchiveLeaf | undefined>;
  caseLeaves(ownerAgency: string, caseId: string): Promise<ArchiveLeaf[]>;
  latestCheckpoint(): Promise<CheckpointRecord | undefined>;
  checkpoint(size: number): Promise<CheckpointRecord | undefined>;
  checkpoints(): Promise<CheckpointRecord[]>;
  peerCheckpoints(origin?: string): Promise<PeerCheckpointRecord[]>;
}

// ---------------------------------------------------------------------------------------------
// Keys, trust and transport

/** A hosted agency's signing capability (its seal key, or its gateway receipt key). */
export interface SigningKey {
  seal(content: Uint8Array, signingTime: Date): Uint8Array;
  readonly certificateSha256: string;
}

export interface HostedAgency {
  id: string;
  name: string;
  sealKey: SigningKey;
  receiptKey: SigningKey;
  webhook?: { url: string; secret: string };
}

export interface Agencies {
  hosted(agencyId: string): HostedAgency | undefined;
  hostedIds(): string[];
  /**
   * Why documents to this agency cannot be sent at `at` (not hosted here and not listed in the
   * directory, or the directory has expired), or undefined when they can.
   */
  routeProblem(agencyId: string, at: Date): RouteProblem | undefined;
  /** SHA-256 fingerprints of the certificates allowed to seal receipts for this agency. */
  receiptCertificates(agencyId: string): string[];
  /** Whether this certificate may seal documents from this agency at `at` (the directory's listing for remote agencies). */
  sealCertificateAccepted(agencyId: string, certificateSha256: string, at: Date): boolean;
}

/**
 * The checkpoint keys the signed directory pins for peer gateways' logs (issue 9 item 2): the only
 * keys a witness verifies an offered checkpoint with.
 */
export interface PeerLogKeys {
  /** C2SP vkeys counted for the log `origin` at `at` (ours too); undefined when the directory lists no such log. */
  pinnedKeys(origin: string, at: Date): string[] | undefined;
}

export interface RouteProblem {
  code: "RECIPIENT_UNKNOWN" | "DIRECTORY_EXPIRED" | "DIRECTORY_MISSING";
  message: string;
}

export type SealPurpose = "seal" | "receipt";

/** Seal verification with the configured trust anchors, CRLs and policy. */
export interface SealVerifier {
  verify(content: Uint8Array, sealDer: Uint8Array, at: Date, purpose: SealPurpose): VerificationReport;
}

export type TransportOutcome =
  | { kind: "receipt"; body: Uint8Array }
  | { kind: "rejected"; status: number; code: string; message: string }
  | { kind: "unreachable"; message: string }
  | { kind: "uncertain"; message: string };

/** Hands sealed-document bytes to the gateway hosting `to` (this one included: same pipeline). */
export interface PeerTransport {
  deliver(to: string, sealedDocument: Uint8Array): Promise<TransportOutcome>;
}

export interface WebhookSender {
  post(url: string, body: string, signature: string): Promise<{ ok: boolean; status?: number; message?: string }>;
}

/** Counters and timings for /metrics. */
export interface Metrics {
  count(name: string, labels: Record<string, string>, by?: number): void;
  observe(name: string, labels: Record<string, string>, seconds: number): void;
}
