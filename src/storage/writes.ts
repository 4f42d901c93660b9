import { toPriority, type CaseState } from "../domain/transfer-case/index.ts";
import type { DocumentRecord, StateChange } from "../usecases/ports.ts";
import type { SqliteDb } from "./connection.ts";
import { prepareTemplateWrites, templateReport } from "./report-template.ts";

/**
 * The write statements of a StateChange, prepared once. None of them reads before writing: the version
 * guard lives in constraints (the cases primary key for a new case, NULL into NOT NULL `version` for a
 * stale update, the unique key and foreign key of `case_events`), so the same SQL, bound and handed to D1's
 * `db.batch([...])`, fails whole there. A document's report template id is one the writer stored in this
 * transaction or before (report-template.ts forgets its ids on every rollback), so its foreign key holds.
 */
export function prepareWrites(db: SqliteDb) {
  // Plain better-sqlite3 statements with positional parameters: the commit path runs them for every
  // document, and drizzle's prepared queries add placeholder filling and value mapping to each run (issue 12).
  const prepare = (text: string) => db.$client.prepare(text);
  return {
    // A new case: a second creator hits the primary key (UNIQUE constraint failed: cases.…).
    insertCase: prepare(
      "INSERT INTO cases (agency_id, case_id, version, status, priority, person_id, voucher_id, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    // An existing case: a stale writer sets version to NULL, which NOT NULL refuses. A missing row
    // updates nothing, and the event rows' foreign key then refuses the batch.
    updateCase: prepare(
      "UPDATE cases SET version = (CASE WHEN version = ? THEN ? ELSE NULL END), status = ?, priority = ?, person_id = ?, voucher_id = ?, state = ?, updated_at = ? WHERE agency_id = ? AND case_id = ?",
    ),
    appendEvent: prepare("INSERT INTO case_events (agency_id, case_id, version, at, event) VALUES (?, ?, ?, ?, ?)"),
    insertDocument: prepare(
      `INSERT INTO documents (owner_agency, direction, document_id, type, case_id, from_agency, to_agency, reply_to,
        canonical, seal, document_sha256, seal_sha256, report, report_template, report_validation_time,
        report_signing_time, recorded_at, state, receipt, business_receipt_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
    ).pluck(),
    // Absent fields are bound as NULL and keep the stored value. The guard, a constraint like the others: a
    // second, different business receipt for a document already acknowledged sets the NOT NULL `state` to
    // NULL, so the whole change fails (toStoreError: VERSION_CONFLICT) — a document is acknowledged once.
    updateDocument: prepare(
      `UPDATE documents SET
        state = CASE WHEN @businessReceiptId IS NOT NULL AND business_receipt_id IS NOT NULL
          AND business_receipt_id <> @businessReceiptId THEN NULL ELSE COALESCE(@state, state) END,
        -- Written once: archive leaves keep a receipt by reference to this column (archive-refs.ts).
        receipt = COALESCE(receipt, @receipt),
        business_receipt_id = COALESCE(@businessReceiptId, business_receipt_id)
       WHERE owner_agency = @ownerAgency AND direction = @direction AND from_agency = @from AND document_id = @documentId`,
    ),
    insertDelivery: prepare(
      `INSERT INTO deliveries (id, kind, owner_agency, document_id, target, payload, state, attempts, next_attempt_at,
        last_error, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // `lastError: null` clears the column and `undefined` keeps it, hence the explicit flag.
    updateDelivery: prepare(
      `UPDATE deliveries SET state = @state, attempts = COALESCE(@attempts, attempts),
        next_attempt_at = COALESCE(@nextAttemptAt, next_attempt_at),
        last_error = (CASE WHEN @setLastError = 1 THEN @lastError ELSE last_error END), updated_at = @updatedAt
       WHERE id = @id`,
    ),
    insertAudit: prepare(
      "INSERT INTO audit_events (at, kind, agency_id, case_id, document_id, request_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    // A reminder already recorded is not an error: the tick that raced us sent the same one.
    insertReminder: prepare(
      `INSERT INTO reminders (agency_id, case_id, step, kind, due, sent_at) VALUES (@agencyId, @caseId, @step, @kind, @due, @sentAt)
       ON CONFLICT DO NOTHING`,
    ),
    templates: prepareTemplateWrites(db),
  };
}

export type Writes = ReturnType<typeof prepareWrites>;

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
 * Runs every statement of one change, in batch order, inside the caller's transaction or savepoint.
 * Order matters for the guard: the case row is written first, so a stale version fails before anything else.
 */
export function applyChange(w: Writes, change: StateChange): number[] {
  const cw = change.caseWrite;
  if (cw) {
    const version = cw.expectedVersion + cw.events.length;
    const { agencyId, caseId, at } = cw;
    const state = JSON.stringify(cw.state);
    const priority = priorityColumn(cw.state);
    const [personId, voucherId] = lookupColumns(cw.state);
    if (cw.expectedVersion === 0)
      w.insertCase.run(agencyId, caseId, version, cw.state.status, priority, personId, voucherId, state, at, at);
    else
      w.updateCase.run(
        cw.expectedVersion,
        version,
        cw.state.status,
        priority,
        personId,
        voucherId,
        state,
        at,
        agencyId,
        caseId,
      );
    for (let i = 0; i < cw.events.length; i++) {
      const event = cw.events[i]!;
      w.appendEvent.run(agencyId, caseId, cw.expectedVersion + i + 1, event.at, JSON.stringify(event));
    }
  }
  const seqs = (change.newDocuments ?? []).map((d) => insertDocument(w, d));
  for (const u of change.documentUpdates ?? []) {
    w.updateDocument.run({
      ...u.key,
      state: u.state ?? null,
      receipt: u.receipt ?? null,
      businessReceiptId: u.businessReceiptId ?? null,
    });
  }
  for (const d of change.newDeliveries ?? []) {
    w.insertDelivery.run(
      d.id,
      d.kind,
      d.ownerAgency,
      d.documentId ?? null,
      d.target,
      d.payload ?? null,
      d.state,
      d.attempts,
      d.nextAttemptAt,
      d.lastError ?? null,
      d.createdAt,
      d.updatedAt,
    );
  }
  for (const u of change.deliveryUpdates ?? []) {
    const { id, state, updatedAt } = u;
    const setLastError = u.lastError === undefined ? 0 : 1;
    w.updateDelivery.run({
      id,
      state,
      updatedAt,
      attempts: u.attempts ?? null,
      nextAttemptAt: u.nextAttemptAt ?? null,
      setLastError,
      lastError: u.lastError ?? null,
    });
  }
  for (const r of change.reminders ?? []) w.insertReminder.run({ ...r });
  for (const a of change.audit ?? []) {
    const detail = a.detail === undefined || a.detail === null ? null : JSON.stringify(a.detail);
    w.insertAudit.run(
      a.at,
      a.kind,
      a.agencyId ?? null,
      a.caseId ?? null,
      a.documentId ?? null,
      a.requestId ?? null,
      detail,
    );
  }
  return seqs;
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

/** Inserts one document, its report templated when it can be (report-template.ts); returns its seq. */
function insertDocument(w: Writes, d: WireDocument): number {
  const text = d.reportJson ?? (d.report === undefined || d.report === null ? null : JSON.stringify(d.report));
  const times = d.reportTimes ?? d.report;
  const cut = times && text !== null ? templateReport(times, text) : undefined;
  const templateId = cut ? w.templates.idOf(cut.template) : null;
  return w.insertDocument.get(
    d.ownerAgency,
    d.direction,
    d.documentId,
    d.type,
    d.caseId,
    d.from,
    d.to,
    d.replyTo ?? null,
    d.canonical,
    d.seal,
    d.documentSha256,
    d.sealSha256,
    templateId === null ? text : null,
    templateId,
    templateId === null ? null : cut!.validationTime,
    templateId === null ? null : cut!.signingTime,
    d.recordedAt,
    d.state,
    d.receipt ?? null,
    d.businessReceiptId ?? null,
  ) as number;
}
