import { isOpen, toPriority, type CaseState } from "../domain/transfer-case/index.ts";
import type { DocumentRecord, StateChange } from "../usecases/ports.ts";
import { templateReport } from "./report-template.ts";

/**
 * The SQL of a StateChange, shared by both adapters: better-sqlite3 prepares each text once (writes.ts) and
 * runs it inside a group's savepoint; D1 binds the same texts into one `db.batch([...])` (d1-commit.ts).
 * None of them reads before writing: the version guard lives in constraints (the cases primary key for a new
 * case, NULL into NOT NULL `version` for a stale update, the unique key and foreign key of `case_events`), so
 * the batch fails whole on D1 as the savepoint does on SQLite. Texts use `?` or `@name` parameters; D1 knows
 * only numbered ones, and d1-sql.ts rewrites `@name` to `?N` once per text.
 */
/**
 * A document row. On SQLite the writer reads its seq as last_insert_rowid (writes.ts): a RETURNING insert runs
 * through a buffer of result rows, ≈ 2 µs per document more; D1 needs the RETURNING (WRITE_SQL.insertDocument).
 */
export const INSERT_DOCUMENT = `INSERT INTO documents (owner_agency, direction, document_id, type, case_id, from_agency, to_agency, reply_to,
      canonical, seal, document_sha256, seal_sha256, report, report_template, report_validation_time,
      report_signing_time, recorded_at, state, receipt, business_receipt_id, canonical_blob, seal_blob)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export const WRITE_SQL = {
  // A new case: a second creator hits the primary key (UNIQUE constraint failed: cases.…).
  insertCase:
    "INSERT INTO cases (agency_id, case_id, version, status, priority, person_id, voucher_id, state, remind_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  // An existing case: a stale writer sets version to NULL, which NOT NULL refuses. A missing row
  // updates nothing, and the event rows' foreign key then refuses the batch.
  updateCase:
    "UPDATE cases SET version = (CASE WHEN version = ? THEN ? ELSE NULL END), status = ?, priority = ?, person_id = ?, voucher_id = ?, state = ?, remind_at = (CASE WHEN ? = 1 THEN ? ELSE remind_at END), updated_at = ? WHERE agency_id = ? AND case_id = ?",
  // The reminder pass's next look at a case it has just looked at — only while the case is at the version it read:
  // a case written since carries the look its write scheduled, which must win. Matching no row is not an error.
  scheduleReminder:
    "UPDATE cases SET remind_at = @remindAt WHERE agency_id = @agencyId AND case_id = @caseId AND version = @version",
  appendEvent: "INSERT INTO case_events (agency_id, case_id, version, at, event) VALUES (?, ?, ?, ?, ?)",
  insertDocument: `${INSERT_DOCUMENT} RETURNING seq`,
  // Absent fields are bound as NULL and keep the stored value. The guard, a constraint like the others: a
  // second, different business receipt for a document already acknowledged sets the NOT NULL `state` to
  // NULL, so the whole change fails (toStoreError: VERSION_CONFLICT) — a document is acknowledged once.
  updateDocument: `UPDATE documents SET
      state = CASE WHEN @businessReceiptId IS NOT NULL AND business_receipt_id IS NOT NULL
        AND business_receipt_id <> @businessReceiptId THEN NULL ELSE COALESCE(@state, state) END,
      -- Written once: archive leaves keep a receipt by reference to this column (archive-refs.ts).
      receipt = COALESCE(receipt, @receipt),
      business_receipt_id = COALESCE(@businessReceiptId, business_receipt_id)
     WHERE owner_agency = @ownerAgency AND direction = @direction AND from_agency = @from AND document_id = @documentId`,
  insertDelivery: `INSERT INTO deliveries (id, kind, owner_agency, document_id, target, payload, state, attempts, next_attempt_at,
      last_error, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  // `lastError: null` clears the column and `undefined` keeps it, hence the explicit flag.
  // A claim (expectedState set) that finds the row moved on writes NULL into the NOT NULL state: the batch fails
  // as a lost race (errors.ts), as the case guards do.
  updateDelivery: `UPDATE deliveries SET state = (CASE WHEN @expectedState IS NULL
        OR (state = @expectedState AND attempts = @expectedAttempts) THEN @state ELSE NULL END),
      attempts = COALESCE(@attempts, attempts),
      next_attempt_at = COALESCE(@nextAttemptAt, next_attempt_at),
      last_error = (CASE WHEN @setLastError = 1 THEN @lastError ELSE last_error END), updated_at = @updatedAt
     WHERE id = @id`,
  insertAudit:
    "INSERT INTO audit_events (at, kind, agency_id, case_id, document_id, request_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
  // A reminder already recorded is not an error: the tick that raced us sent the same one.
  insertReminder: `INSERT INTO reminders (agency_id, case_id, step, kind, due, sent_at) VALUES (@agencyId, @caseId, @step, @kind, @due, @sentAt)
     ON CONFLICT DO NOTHING`,
} as const;

export type WriteKey = keyof typeof WRITE_SQL;

/** One bound statement of a change: positional values, or named ones for the `@name` texts. */
export type WriteOp = { key: WriteKey; args: unknown[] | Record<string, unknown> };

/** Template text → the row id a document may reference, or null to store its report whole. */
export type TemplateIdOf = (template: string) => number | null;

/** The `cases.priority` copy: 1 for a green-channel case (states are opaque here, so read defensively). */
function priorityColumn(state: CaseState): 0 | 1 {
  return state.status !== "empty" && toPriority(state.flags?.priority) !== null ? 1 : 0;
}

/** The `cases.person_id` and `voucher_id` copies (upper-case X: the index is matched exactly). */
function lookupColumns(state: CaseState): [string | null, string | null] {
  if (state.status === "empty") return [null, null];
  return [state.person?.idNumber.toUpperCase() ?? null, state.voucher?.id ?? null];
}

/**
 * Every statement of one change, in batch order. Order matters for the guard: the case row is written
 * first, so a stale version fails before anything else. `insertDocument` ops return the documents' seqs.
 */
export function changeOps(change: StateChange, templateIdOf: TemplateIdOf): WriteOp[] {
  const ops: WriteOp[] = [];
  const cw = change.caseWrite;
  if (cw) {
    const version = cw.expectedVersion + cw.events.length;
    const { agencyId, caseId, at } = cw;
    const state = JSON.stringify(cw.state);
    const [personId, voucherId] = lookupColumns(cw.state);
    const columns = [cw.state.status, priorityColumn(cw.state), personId, voucherId, state];
    // The look the use case scheduled; without one a new open case is due a look at once, an update keeps its own.
    if (cw.expectedVersion === 0) {
      const remindAt = cw.remindAt !== undefined ? cw.remindAt : isOpen(cw.state) ? at : null;
      ops.push({ key: "insertCase", args: [agencyId, caseId, version, ...columns, remindAt, at, at] });
    } else {
      const remind = cw.remindAt === undefined ? [0, null] : [1, cw.remindAt];
      ops.push({ key: "updateCase", args: [cw.expectedVersion, version, ...columns, ...remind, at, agencyId, caseId] });
    }
    for (const [i, event] of cw.events.entries())
      ops.push({
        key: "appendEvent",
        args: [agencyId, caseId, cw.expectedVersion + i + 1, event.at, JSON.stringify(event)],
      });
  }
  for (const d of change.newDocuments ?? []) ops.push({ key: "insertDocument", args: documentArgs(d, templateIdOf) });
  for (const u of change.documentUpdates ?? []) {
    const [state, receipt, businessReceiptId] = [u.state ?? null, u.receipt ?? null, u.businessReceiptId ?? null];
    ops.push({ key: "updateDocument", args: { ...u.key, state, receipt, businessReceiptId } });
  }
  for (const d of change.newDeliveries ?? []) {
    const { id, kind, ownerAgency, target, state, attempts, nextAttemptAt, createdAt, updatedAt } = d;
    const [documentId, payload, lastError] = [d.documentId ?? null, d.payload ?? null, d.lastError ?? null];
    const args = [id, kind, ownerAgency, documentId, target, payload, state, attempts, nextAttemptAt, lastError];
    ops.push({ key: "insertDelivery", args: [...args, createdAt, updatedAt] });
  }
  for (const u of change.deliveryUpdates ?? []) {
    const { id, state, updatedAt } = u;
    const [attempts, nextAttemptAt, lastError] = [u.attempts ?? null, u.nextAttemptAt ?? null, u.lastError ?? null];
    const setLastError = u.lastError === undefined ? 0 : 1;
    const [expectedState, expectedAttempts] = [u.expected?.state ?? null, u.expected?.attempts ?? null];
    ops.push({
      key: "updateDelivery",
      args: { id, state, updatedAt, attempts, nextAttemptAt, setLastError, lastError, expectedState, expectedAttempts },
    });
  }
  for (const r of change.reminders ?? []) ops.push({ key: "insertReminder", args: { ...r } });
  for (const v of change.reminderVisits ?? [])
    ops.push({
      key: "scheduleReminder",
      args: { agencyId: v.agencyId, caseId: v.caseId, version: v.version, remindAt: v.remindAt },
    });
  for (const a of change.audit ?? []) {
    const detail = a.detail === undefined || a.detail === null ? null : JSON.stringify(a.detail);
    const refs = [a.agencyId ?? null, a.caseId ?? null, a.documentId ?? null, a.requestId ?? null];
    ops.push({ key: "insertAudit", args: [a.at, a.kind, ...refs, detail] });
  }
  return ops;
}

/**
 * A document as the writer thread receives it (writer-protocol.ts): its report already written as JSON
 * text by the gateway thread, beside the two times the template cuts out. Structured clone copies a
 * string as one block but walks a report's ~20 nested objects, and the writer would stringify it anyway.
 */
export type WireDocument = DocumentRecord & {
  reportJson?: string;
  reportTimes?: Pick<NonNullable<DocumentRecord["report"]>, "validationTime" | "signingTime">;
};

/** A document as the D1 batch inserts it: bytes moved to the blob store are empty and named by key (blob-store.ts). */
export type StoredDocument = WireDocument & { canonicalBlob?: string; sealBlob?: string };

/** The insertDocument values, its report templated when it can be (report-template.ts). */
function documentArgs(d: StoredDocument, templateIdOf: TemplateIdOf): unknown[] {
  const text = d.reportJson ?? (d.report === undefined || d.report === null ? null : JSON.stringify(d.report));
  const times = d.reportTimes ?? d.report;
  const cut = times && text !== null ? templateReport(times, text) : undefined;
  const templateId = cut ? templateIdOf(cut.template) : null;
  const report =
    templateId === null ? [text, null, null, null] : [null, templateId, cut!.validationTime, cut!.signingTime];
  const { ownerAgency, direction, documentId, type, caseId, from, to, canonical, seal } = d;
  const head = [ownerAgency, direction, documentId, type, caseId, from, to, d.replyTo ?? null, canonical, seal];
  const tail = [d.recordedAt, d.state, d.receipt ?? null, d.businessReceiptId ?? null];
  tail.push(d.canonicalBlob ?? null, d.sealBlob ?? null);
  return [...head, d.documentSha256, d.sealSha256, ...report, ...tail];
}
