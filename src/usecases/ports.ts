import type { Directory, SealFormatName } from "../domain/directory/index.ts";
import type { VerificationReport } from "../pki/index.ts";
import type {
  ArchiveLeaf,
  AuditEvent,
  CaseQuery,
  CaseRecord,
  CheckpointRecord,
  DeliveryRecord,
  DocumentKey,
  DocumentRecord,
  OutboundState,
  PeerCheckpointRecord,
  ReminderRecord,
  StateChange,
  StoredCaseEvent,
} from "./records.ts";

export type * from "./records.ts";
export { DUE_STATES } from "./records.ts";

/**
 * The ports the use cases own (docs/architecture.md "Ports"). Adapters live in storage/ and runtime/; tests
 * run over the real ones (test/support/gateway-harness.ts: in-memory SQLite, the development PKI). Every write
 * that changes state goes through `GatewayStore.commit` as one guarded batch, and a promise from it resolves
 * only once the batch is durable on disk.
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

/*
 * The store, split by what its callers need (issue 10 item 1): each use case names the few of these it
 * reads and writes through, and `GatewayStore` is all of them (what a storage adapter implements).
 */

/** The one way state changes: a whole StateChange, atomic and guarded. */
export interface Committer {
  /** Durable when the promise resolves; rejects with a StoreError and writes nothing on conflict. */
  commit(change: StateChange): Promise<{ documentSeqs: number[]; archiveIndexes: number[] }>;
}

export interface CaseReads {
  getCase(agencyId: string, caseId: string): Promise<CaseRecord | undefined>;
  caseEvents(agencyId: string, caseId: string): Promise<StoredCaseEvent[]>;
  listCases(query: CaseQuery): Promise<{ cases: CaseRecord[]; next?: string }>;
  /**
   * Every hosted agency's view of a case found by its case id or by the voucher id it carries (the person's
   * tracking lookup, issue 13): at most a few rows, oldest first.
   */
  findCases(by: { caseId: string } | { voucherId: string }): Promise<CaseRecord[]>;
}

export interface DocumentReads {
  getDocument(key: DocumentKey): Promise<DocumentRecord | undefined>;
  /** This agency's inbound documents with this id, from any sender, oldest first (acknowledging without `from`). */
  inboundDocuments(ownerAgency: string, documentId: string): Promise<DocumentRecord[]>;
  caseDocuments(agencyId: string, caseId: string): Promise<DocumentRecord[]>;
  /** Every stored copy (either direction, any owner) of the document with this canonical SHA-256 (hex). */
  documentsBySha256(documentSha256: string): Promise<DocumentRecord[]>;
  /** Documents received from peer gateways, in arrival order (a voucher presented at registration is not one). */
  inbox(agencyId: string, afterSeq: number, limit: number): Promise<DocumentRecord[]>;
  /** Inbound case documents not yet acknowledged with a business receipt, in arrival order (the console's inbox). */
  pendingInbox(agencyId: string, limit: number): Promise<DocumentRecord[]>;
}

/** The outbox: deliveries to peer gateways and webhooks. */
export interface OutboxReads {
  dueDeliveries(now: string, limit: number): Promise<DeliveryRecord[]>;
  /** Deliveries not yet settled (queued, sending, retrying, uncertain): the queue depth. */
  outboxDepth(): Promise<number>;
  /** Newest first; `documentIds` keeps the deliveries of those documents (a case's, for its detail page). */
  listDeliveries(query: {
    ownerAgency?: string;
    state?: OutboundState;
    documentIds?: string[];
    limit: number;
  }): Promise<DeliveryRecord[]>;
  getDelivery(id: string): Promise<DeliveryRecord | undefined>;
}

export interface ReminderReads {
  sentReminders(agencyId: string, caseId: string): Promise<ReminderRecord[]>;
  /**
   * Open cases due a look by the reminder pass at `dueBy` (their `remindAt` at or before it), in the order they
   * fell due, after `after` (keyset: a pass never reads a case twice, whatever it schedules meanwhile).
   */
  casesToRemind(query: { dueBy: string; after?: RemindCursor; limit: number }): Promise<RemindableCase[]>;
  /**
   * Cases in `status` that no look has scheduled (`remindAt` unset: stored before reminder schedules existed, or by
   * an earlier version during a rolling upgrade), in (agency, case) order after `after`.
   */
  unscheduledCases(query: {
    status: string;
    after?: Pick<CaseRecord, "agencyId" | "caseId">;
    limit: number;
  }): Promise<CaseRecord[]>;
}

/** Where a reminder pass's page ended: the last case it read. */
export type RemindCursor = Pick<RemindableCase, "remindAt" | "agencyId" | "caseId">;

export type RemindableCase = CaseRecord & { remindAt: string };

/** Bearer tokens, provisioned outside the batches (operators, first run). */
export interface TokenStore {
  /** Principal for a token hash (SHA-256 hex of the bearer token); tokens are never stored in clear. */
  principalByTokenHash(hash: string): Promise<Principal | undefined>;
  saveToken(hash: string, principal: Principal, label: string): Promise<void>;
}

export interface AuditReads {
  auditEvents(query: { agencyId?: string; kind?: string; limit: number }): Promise<AuditEvent[]>;
}

export interface ArchiveReads {
  archive: ArchiveReader;
}

export interface GatewayStore
  extends Committer,
    CaseReads,
    DocumentReads,
    OutboxReads,
    ReminderReads,
    TokenStore,
    AuditReads,
    ArchiveReads {}

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
  /** The certificate (DER), for showing its subject and period (the console's expiry warnings). */
  readonly certificate?: Uint8Array;
}

export interface HostedAgency {
  id: string;
  name: string;
  sealKey: SigningKey;
  receiptKey: SigningKey;
  webhook?: { url: string; secret: string };
}

/**
 * What the directory says about the seals of one agency's documents (issue 16 item 4; docs/national-seal.md):
 * the formats it seals in and, for SES, the trust anchors of its seal makers (制章者). Absent makers: the
 * receiving gateway's own trust anchors verify the seal maker's chain, as they verify every other chain.
 */
export interface SealProfile {
  formats: readonly SealFormatName[];
  /** DER certificates; absent when the listing names none. */
  makers?: readonly Uint8Array[];
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
  /**
   * The seal formats and seal makers the directory lists for a remote agency (issue 16); undefined for a
   * hosted agency (it seals as it is configured) and for one no directory lists (its certificate is refused anyway).
   */
  sealProfile(agencyId: string): SealProfile | undefined;
}

/**
 * The checkpoint keys the signed directory pins for peer gateways' logs (issue 9 item 2): the only
 * keys a witness verifies an offered checkpoint with.
 */
export interface PeerLogKeys {
  /** C2SP vkeys counted for the log `origin` at `at` (ours too); undefined when the directory lists no such log. */
  pinnedKeys(origin: string, at: Date): string[] | undefined;
}

/** The directory (trust list) this gateway last accepted, to show its listings and expiry (issue 13). */
export interface DirectoryView {
  current(): Directory | undefined;
}

/** Signs this gateway's archive checkpoints (C2SP tlog-checkpoint in a signed note, Ed25519). */
export interface ArchiveSigner {
  /** The log's origin line, e.g. `jiexu/440000-gateway`. */
  origin: string;
  /** Sign checkpoint text as a C2SP signed note. */
  sign(text: string): string;
  /** Verifier key in C2SP vkey form (`<name>+<keyid>+<base64>`). */
  verifierKey: string;
}

export interface RouteProblem {
  code: "RECIPIENT_UNKNOWN" | "DIRECTORY_EXPIRED" | "DIRECTORY_MISSING";
  message: string;
}

export type SealPurpose = "seal" | "receipt";

/**
 * Seal verification with the configured trust anchors, CRLs and policy. `makers`: trust anchors (DER) for
 * an SES seal's maker (制章者) in place of the configured ones, as the directory lists them for the sender.
 */
export interface SealVerifier {
  verify(
    content: Uint8Array,
    sealDer: Uint8Array,
    at: Date,
    purpose: SealPurpose,
    makers?: readonly Uint8Array[],
  ): VerificationReport;
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

/** A file a printed copy carries (PDF embedded file): its name and exact bytes. */
export interface PrintedAttachment {
  name: string;
  bytes: Uint8Array;
}

/**
 * The printed copy of a sealed document (issue 13 item 2), implemented in src/print: an A4 PDF whose attached
 * files lead back to the machine-verifiable original. What a page shows is decided by the use case
 * (`PrintInput`); the printer only lays it out.
 */
export interface DocumentPrinter {
  print(input: PrintInput): Promise<Uint8Array>;
  /** The embedded files of a PDF (none for a PDF without any); throws PDF_NO_SEALED_ORIGINAL on bytes that are no PDF. */
  attachments(pdf: Uint8Array): Promise<PrintedAttachment[]>;
}

/** Everything one printed page shows and carries; refined by the print use cases. */
export interface PrintInput {
  /** The parsed canonical document (envelope and body). */
  document: Record<string, unknown>;
  /** Attached as they are: `<id>.json` (the exact bytes the seal covers), `<id>.p7s`, `<id>.sealed.json`. */
  attachments: PrintedAttachment[];
  documentSha256: string;
  /** Where the QR code leads: the public verification page `/v/<documentSha256>` of this gateway. */
  verifyUrl: string;
  /** The agency whose seal is drawn (its name in the ring). */
  sealedBy: { agencyId: string; name: string };
  /** Shown under the digest: the verdict at print time and the archive inclusion, when known. */
  verification?: { indication: string; subIndication?: string; signingTime?: string };
  archive?: { leafIndex: number; treeSize?: number };
}
