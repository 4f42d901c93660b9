import { and, eq, sql } from "drizzle-orm";
import { toPriority, type CaseState } from "../domain/transfer-case/index.ts";
import type { StateChange } from "../usecases/ports.ts";
import type { SqliteDb } from "./connection.ts";
import { byDocumentKey } from "./reads.ts";
import { auditEvents, caseEvents, cases, deliveries, documents, reminders } from "./schema.ts";

const p = (name: string) => sql.placeholder(name);

/**
 * The write statements of a StateChange, prepared once. None of them reads before writing: the version
 * guard lives in constraints (the cases primary key for a new case, NULL into NOT NULL `version` for a
 * stale update, the unique key and foreign key of `case_events`), so the same statements, bound and handed to D1's `db.batch([...])`, fail whole there.
 */
export function prepareWrites(db: SqliteDb) {
  // A new case: a second creator hits the primary key (UNIQUE constraint failed: cases.…).
  const insertCase = db
    .insert(cases)
    .values({
      agencyId: p("agencyId"),
      caseId: p("caseId"),
      version: p("version"),
      status: p("status"),
      priority: p("priority"),
      state: p("state"),
      createdAt: p("at"),
      updatedAt: p("at"),
    })
    .prepare();

  // An existing case: a stale writer sets version to NULL, which NOT NULL refuses. A missing row
  // updates nothing, and the event rows' foreign key then refuses the batch.
  const updateCase = db
    .update(cases)
    .set({
      version: sql`(CASE WHEN ${cases.version} = ${p("expected")} THEN ${p("version")} ELSE NULL END)`,
      status: sql`${p("status")}`,
      priority: sql`${p("priority")}`,
      state: sql`${p("state")}`,
      updatedAt: sql`${p("at")}`,
    })
    .where(and(eq(cases.agencyId, p("agencyId")), eq(cases.caseId, p("caseId"))))
    .prepare();

  const appendEvent = db
    .insert(caseEvents)
    .values({ agencyId: p("agencyId"), caseId: p("caseId"), version: p("version"), at: p("at"), event: p("event") })
    .prepare();

  const insertDocument = db
    .insert(documents)
    .values({
      ownerAgency: p("ownerAgency"),
      direction: p("direction"),
      documentId: p("documentId"),
      type: p("type"),
      caseId: p("caseId"),
      fromAgency: p("from"),
      toAgency: p("to"),
      replyTo: p("replyTo"),
      canonical: p("canonical"),
      seal: p("seal"),
      documentSha256: p("documentSha256"),
      sealSha256: p("sealSha256"),
      report: p("report"),
      recordedAt: p("recordedAt"),
      state: p("state"),
      receipt: p("receipt"),
      businessReceiptId: p("businessReceiptId"),
    })
    .returning({ seq: documents.seq })
    .prepare();

  // Absent fields are bound as NULL and keep the stored value. The guard, a constraint like the others: a
  // second, different business receipt for a document already acknowledged sets the NOT NULL `state` to
  // NULL, so the whole change fails (toStoreError: VERSION_CONFLICT) — a document is acknowledged once.
  const updateDocument = db
    .update(documents)
    .set({
      state: sql`CASE WHEN ${p("businessReceiptId")} IS NOT NULL AND ${documents.businessReceiptId} IS NOT NULL
        AND ${documents.businessReceiptId} <> ${p("businessReceiptId")} THEN NULL
        ELSE COALESCE(${p("state")}, ${documents.state}) END`,
      // Written once: archive leaves keep a receipt by reference to this column (archive-refs.ts).
      receipt: sql`COALESCE(${documents.receipt}, ${p("receipt")})`,
      businessReceiptId: sql`COALESCE(${p("businessReceiptId")}, ${documents.businessReceiptId})`,
    })
    .where(byDocumentKey())
    .prepare();

  const insertDelivery = db
    .insert(deliveries)
    .values({
      id: p("id"),
      kind: p("kind"),
      ownerAgency: p("ownerAgency"),
      documentId: p("documentId"),
      target: p("target"),
      payload: p("payload"),
      state: p("state"),
      attempts: p("attempts"),
      nextAttemptAt: p("nextAttemptAt"),
      lastError: p("lastError"),
      createdAt: p("createdAt"),
      updatedAt: p("updatedAt"),
    })
    .prepare();

  // `lastError: null` clears the column and `undefined` keeps it, hence the explicit flag.
  const updateDelivery = db
    .update(deliveries)
    .set({
      state: sql`${p("state")}`,
      attempts: sql`COALESCE(${p("attempts")}, ${deliveries.attempts})`,
      nextAttemptAt: sql`COALESCE(${p("nextAttemptAt")}, ${deliveries.nextAttemptAt})`,
      lastError: sql`(CASE WHEN ${p("setLastError")} = 1 THEN ${p("lastError")} ELSE ${deliveries.lastError} END)`,
      updatedAt: sql`${p("updatedAt")}`,
    })
    .where(eq(deliveries.id, p("id")))
    .prepare();

  const insertAudit = db
    .insert(auditEvents)
    .values({
      at: p("at"),
      kind: p("kind"),
      agencyId: p("agencyId"),
      caseId: p("caseId"),
      documentId: p("documentId"),
      requestId: p("requestId"),
      detail: p("detail"),
    })
    .prepare();

  // A reminder already recorded is not an error: the tick that raced us sent the same one.
  const insertReminder = db
    .insert(reminders)
    .values({
      agencyId: p("agencyId"),
      caseId: p("caseId"),
      step: p("step"),
      kind: p("kind"),
      due: p("due"),
      sentAt: p("sentAt"),
    })
    .onConflictDoNothing()
    .prepare();

  return {
    insertCase,
    updateCase,
    appendEvent,
    insertDocument,
    updateDocument,
    insertDelivery,
    updateDelivery,
    insertAudit,
    insertReminder,
  };
}

export type Writes = ReturnType<typeof prepareWrites>;

/** The `cases.priority` copy: 1 for a green-channel case (states are opaque here, so read defensively). */
function priorityColumn(state: CaseState): 0 | 1 {
  return state.status !== "empty" && toPriority(state.flags?.priority) !== null ? 1 : 0;
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
    const row = { agencyId, caseId, version, status: cw.state.status, priority: priorityColumn(cw.state), at };
    if (cw.expectedVersion === 0) w.insertCase.run({ ...row, state: cw.state });
    // Raw sql placeholders bypass the column's JSON encoder, hence the explicit stringify.
    else w.updateCase.run({ ...row, state: JSON.stringify(cw.state), expected: cw.expectedVersion });
    for (const [i, event] of cw.events.entries()) {
      w.appendEvent.run({ agencyId, caseId, version: cw.expectedVersion + i + 1, at: event.at, event });
    }
  }
  const seqs = (change.newDocuments ?? []).map((d) => {
    const row = w.insertDocument.get({
      ...d,
      replyTo: d.replyTo ?? null,
      report: d.report ?? null,
      receipt: d.receipt ?? null,
      businessReceiptId: d.businessReceiptId ?? null,
    });
    return row!.seq;
  });
  for (const u of change.documentUpdates ?? []) {
    w.updateDocument.run({
      ...u.key,
      state: u.state ?? null,
      receipt: u.receipt ?? null,
      businessReceiptId: u.businessReceiptId ?? null,
    });
  }
  for (const d of change.newDeliveries ?? []) {
    w.insertDelivery.run({
      ...d,
      documentId: d.documentId ?? null,
      payload: d.payload ?? null,
      lastError: d.lastError ?? null,
    });
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
    w.insertAudit.run({
      ...a,
      agencyId: a.agencyId ?? null,
      caseId: a.caseId ?? null,
      documentId: a.documentId ?? null,
      requestId: a.requestId ?? null,
      detail: a.detail ?? null,
    });
  }
  return seqs;
}
