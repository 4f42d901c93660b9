import {
  customType,
  foreignKey,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";
import type { CaseEvent, CaseState } from "../domain/transfer-case/index.ts";
import type { DocumentRecord } from "../usecases/ports.ts";

/** Through the port: storage may not import pki/ (test/architecture.test.ts). */
type VerificationReport = NonNullable<DocumentRecord["report"]>;

/**
 * The gateway's tables (drizzle sqlite-core), shared by better-sqlite3 and D1. Instants are ISO-8601
 * text: they sort lexically, survive JSON, and avoid the timestamp_ms/Date placeholder pitfall.
 * The optimistic guards are constraints, not reads (emmett-style, so a D1 `batch()` fails whole):
 * `cases.version` is NOT NULL (the upsert writes NULL on a version mismatch) and `case_events`
 * is keyed by (agency, case, version), so a racing batch that appends the same version is refused.
 */

/**
 * Bytes as a plain Uint8Array view. better-sqlite3 hands back a Buffer and D1 an ArrayBuffer or an
 * array of numbers; callers see one type, and nothing Node-only leaks above the storage layer.
 */
const bytes = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "blob",
  fromDriver(value: unknown): Uint8Array {
    if (value instanceof Uint8Array) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    return Uint8Array.from(value as ArrayLike<number>);
  },
});

/** JSON as text. A missing value stays SQL NULL (drizzle's json mode would store the text "null"). */
function json<T>(name: string) {
  return customType<{ data: T; driverData: string | null }>({
    dataType: () => "text",
    toDriver: (value) => (value === null || value === undefined ? null : JSON.stringify(value)),
    fromDriver: (value) => JSON.parse(value as string) as T,
  })(name);
}

export const cases = sqliteTable(
  "cases",
  {
    agencyId: text("agency_id").notNull(),
    caseId: text("case_id").notNull(),
    version: integer("version").notNull(),
    /** Copy of `state.status`, so listing by status needs no JSON parsing. */
    status: text("status").notNull(),
    /** 1 for a green-channel case (copied from `state.flags.priority`, set at opening): lists put these first. */
    priority: integer("priority").notNull().default(0),
    /** Copy of the person's ID number (upper-case X), so a console finds a person's cases by an index. */
    personId: text("person_id"),
    /** Copy of `state.voucher.id`: the person tracks a case by the voucher number they hold (issue 13). */
    voucherId: text("voucher_id"),
    state: json<CaseState>("state").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    /**
     * When the deadline reminder pass next looks at this open case (usecases/reminder-schedule.ts; NULL once closed
     * or not yet scheduled): a case write and each look set it to the next moment a reminder could fall due, a week
     * on at the latest, so a pass reads the cases due a look, not every open case (migration 0008).
     */
    remindAt: text("remind_at"),
  },
  (t) => [
    primaryKey({ columns: [t.agencyId, t.caseId] }),
    // Every list a console, the API or compliance staff reads is walked in its order through an index, so a page
    // costs its own rows however many cases the gateway has kept (test/storage/read-plans.test.ts, migration 0007).
    index("cases_agency_priority_created").on(t.agencyId, t.priority, t.createdAt),
    index("cases_status_priority_created").on(t.status, t.priority, t.createdAt),
    index("cases_priority_created").on(t.priority, t.createdAt, t.agencyId, t.caseId),
    index("cases_person").on(t.personId),
    index("cases_voucher").on(t.voucherId),
    index("cases_case_id").on(t.caseId),
    index("cases_remind_at").on(t.remindAt, t.agencyId, t.caseId).where(sql`remind_at IS NOT NULL`),
    // Closed cases, and open ones no look has scheduled yet (stored before 0008, or by a gateway of an earlier
    // version during a rolling upgrade): the pass sweeps the open statuses of this index first.
    index("cases_unscheduled").on(t.status, t.agencyId, t.caseId).where(sql`remind_at IS NULL`),
  ],
);

export const caseEvents = sqliteTable(
  "case_events",
  {
    agencyId: text("agency_id").notNull(),
    caseId: text("case_id").notNull(),
    version: integer("version").notNull(),
    at: text("at").notNull(),
    event: json<CaseEvent>("event").notNull(),
  },
  (t) => [
    // The append guard: exactly one batch can write version N of a case.
    primaryKey({ columns: [t.agencyId, t.caseId, t.version] }),
    foreignKey({ columns: [t.agencyId, t.caseId], foreignColumns: [cases.agencyId, cases.caseId] }),
  ],
);

/**
 * Verification reports with their per-document values (validation and signing time) cut out: documents of
 * one signer under one policy share a row. `id` is derived from the text (report-template.ts), so an id never
 * names two templates, even after a rolled-back insert.
 */
export const reportTemplates = sqliteTable("report_templates", {
  id: integer("id").primaryKey(),
  template: text("template").notNull(),
});

export const documents = sqliteTable(
  "documents",
  {
    /** Storage sequence: the inbox cursor. AUTOINCREMENT so a seq is never reused after a delete. */
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    ownerAgency: text("owner_agency").notNull(),
    direction: text("direction", { enum: ["in", "out"] }).notNull(),
    documentId: text("document_id").notNull(),
    type: text("type").notNull(),
    caseId: text("case_id").notNull(),
    fromAgency: text("from_agency").notNull(),
    toAgency: text("to_agency").notNull(),
    replyTo: text("reply_to"),
    /** Empty when the bytes are in the blob store (canonicalBlob): never a partial copy. */
    canonical: bytes("canonical").notNull(),
    seal: bytes("seal").notNull(),
    /**
     * Where the bytes are when they are too large for a D1 row (issue 14): the blob store (R2) key of the
     * canonical document, or of the seal; NULL when the row holds them itself (always, on SQLite).
     */
    canonicalBlob: text("canonical_blob"),
    sealBlob: text("seal_blob"),
    documentSha256: text("document_sha256").notNull(),
    sealSha256: text("seal_sha256").notNull(),
    /** A report stored whole: written before migration 0004, or one that cannot be templated (report-template.ts). */
    report: json<VerificationReport>("report"),
    /**
     * A templated report (issue 12): its shared text in `report_templates`, and the per-document values the
     * template's placeholders stand for. The foreign key is what catches a template row a refused change took
     * with it (writes.ts re-inserts it).
     */
    reportTemplate: integer("report_template").references(() => reportTemplates.id),
    reportValidationTime: text("report_validation_time"),
    reportSigningTime: text("report_signing_time"),
    recordedAt: text("recorded_at").notNull(),
    state: text("state").notNull(),
    receipt: text("receipt"),
    businessReceiptId: text("business_receipt_id"),
  },
  (t) => [
    // Idempotency key of a receiver (docs/contracts.md "Exchange": documents are keyed by (from, id)),
    // per owner and side. The id before the sender (migration 0007): an agency acknowledging an inbound document
    // by its id alone finds it through the same index, without scanning its history.
    uniqueIndex("documents_key").on(t.ownerAgency, t.direction, t.documentId, t.fromAgency),
    index("documents_inbox").on(t.ownerAgency, t.direction, t.seq),
    // The console's inbox: only what still waits for this agency's business receipt, however long the history.
    index("documents_pending").on(t.ownerAgency, t.seq).where(sql`direction = 'in' AND state = 'received'`),
    index("documents_case").on(t.ownerAgency, t.caseId),
    // The public verification page /v/<sha256> printed in a voucher's QR code (issue 13).
    index("documents_sha256").on(t.documentSha256),
  ],
);

export const deliveries = sqliteTable(
  "deliveries",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ["document", "webhook"] }).notNull(),
    ownerAgency: text("owner_agency").notNull(),
    documentId: text("document_id"),
    target: text("target").notNull(),
    payload: text("payload"),
    state: text("state").notNull(),
    attempts: integer("attempts").notNull(),
    nextAttemptAt: text("next_attempt_at").notNull(),
    lastError: text("last_error"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("deliveries_due").on(t.state, t.nextAttemptAt),
    index("deliveries_owner").on(t.ownerAgency, t.createdAt),
    // The console's troubles (an agency's failed or uncertain sends) and a case page's deliveries.
    index("deliveries_owner_state").on(t.ownerAgency, t.state, t.createdAt),
    index("deliveries_document").on(t.documentId),
  ],
);

export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: text("at").notNull(),
    kind: text("kind").notNull(),
    agencyId: text("agency_id"),
    caseId: text("case_id"),
    documentId: text("document_id"),
    requestId: text("request_id"),
    detail: json<Record<string, unknown>>("detail"),
  },
  (t) => [index("audit_agency").on(t.agencyId, t.id), index("audit_kind").on(t.kind, t.id)],
);

export const tokens = sqliteTable("tokens", {
  /** SHA-256 hex of the bearer token; the token itself is never stored. */
  tokenHash: text("token_hash").primaryKey(),
  tokenId: text("token_id").notNull(),
  role: text("role", { enum: ["agency", "compliance", "admin"] }).notNull(),
  agencyId: text("agency_id"),
  label: text("label").notNull(),
  createdAt: text("created_at").notNull(),
});

export const schema = { cases, caseEvents, documents, deliveries, auditEvents, tokens };

/** Deadline reminders already emitted: one per (case view, step, kind, due date), so a tick never repeats one. */
export const reminders = sqliteTable(
  "reminders",
  {
    agencyId: text("agency_id").notNull(),
    caseId: text("case_id").notNull(),
    step: text("step").notNull(),
    kind: text("kind").notNull(),
    due: text("due").notNull(),
    sentAt: text("sent_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.agencyId, t.caseId, t.step, t.kind, t.due] })],
);

/**
 * The e-archive log (issue 6): one row per leaf, in index order; `entry` is the canonical record whose
 * RFC 9162 leaf hash is `leaf_hash`. Appended in the same batch as the state change it records.
 */
export const archiveLeaves = sqliteTable(
  "archive_leaves",
  {
    idx: integer("idx").primaryKey(),
    kind: text("kind").notNull(),
    ownerAgency: text("owner_agency").notNull(),
    caseId: text("case_id").notNull(),
    documentId: text("document_id").notNull(),
    recordedAt: text("recorded_at").notNull(),
    entry: bytes("entry").notNull(),
    leafHash: bytes("leaf_hash").notNull(),
  },
  (t) => [index("archive_leaves_case").on(t.ownerAgency, t.caseId), index("archive_leaves_hash").on(t.leafHash)],
);

/** Every complete subtree hash (level 0 = leaf hashes), so proofs read O(log n) rows and never rehash the log. */
export const archiveNodes = sqliteTable(
  "archive_nodes",
  { level: integer("level").notNull(), idx: integer("idx").notNull(), hash: bytes("hash").notNull() },
  (t) => [primaryKey({ columns: [t.level, t.idx] })],
);

/** Signed tree heads this gateway cut (C2SP signed notes). */
export const checkpoints = sqliteTable("checkpoints", {
  size: integer("size").primaryKey(),
  rootHex: text("root_hex").notNull(),
  note: text("note").notNull(),
  at: text("at").notNull(),
});

/** Tree heads of peer gateways this gateway has seen (and co-signed): the cross-witnessing record. */
export const peerCheckpoints = sqliteTable(
  "peer_checkpoints",
  {
    origin: text("origin").notNull(),
    size: integer("size").notNull(),
    rootHex: text("root_hex").notNull(),
    note: text("note").notNull(),
    receivedAt: text("received_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.origin, t.size] })],
);
