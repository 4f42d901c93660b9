import { and, asc, desc, eq, inArray, lte, sql, type Placeholder, type SQL } from "drizzle-orm";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import { type CaseQuery, type CaseRecord, DUE_STATES, type OutboundState, type Principal } from "../usecases/ports.ts";
import { StoreError } from "../usecases/store-error.ts";
import { decodeCursor, encodeCursor, toCaseRecord } from "./rows.ts";
import { auditEvents, cases, deliveries, reminders, type schema, tokens } from "./schema.ts";

/**
 * The queries written with drizzle's builder, shared by both adapters, so the SQL is built once from the one
 * schema: the SQLite store prepares them with placeholders and runs them at once; the D1 store builds them on
 * a drizzle-orm/d1 database, where running one returns a promise — d1-sql.ts `rows` and `row` say so in one
 * place: drizzle's builder types cannot be generic over the result kind without losing their methods.
 */
export type AnyDb = BaseSQLiteDatabase<"sync", unknown, typeof schema>;

/** A value, or a placeholder the SQLite store fills when it runs its prepared statement. */
export type Param<T> = T | Placeholder;

export const dueDeliveries = (db: AnyDb, now: Param<string>, limit: Param<number>) =>
  db
    .select()
    .from(deliveries)
    .where(and(inArray(deliveries.state, [...DUE_STATES]), lte(deliveries.nextAttemptAt, now)))
    .orderBy(asc(deliveries.nextAttemptAt), asc(deliveries.createdAt), asc(deliveries.id))
    .limit(limit);

export const outboxDepth = (db: AnyDb) =>
  db
    .select({ n: sql<number>`count(*)` })
    .from(deliveries)
    .where(inArray(deliveries.state, [...DUE_STATES, "sending"]));

export const deliveryById = (db: AnyDb, id: Param<string>) => db.select().from(deliveries).where(eq(deliveries.id, id));

export const sentReminders = (db: AnyDb, agencyId: Param<string>, caseId: Param<string>) =>
  db
    .select()
    .from(reminders)
    .where(and(eq(reminders.agencyId, agencyId), eq(reminders.caseId, caseId)));

export const tokenByHash = (db: AnyDb, hash: Param<string>) =>
  db.select().from(tokens).where(eq(tokens.tokenHash, hash));

/** Tokens are provisioned by operators, rarely: one upsert outside the batches. */
export const saveToken = (db: AnyDb, hash: string, principal: Principal, label: string, at: Date) => {
  const row = {
    tokenHash: hash,
    tokenId: principal.tokenId,
    role: principal.role,
    agencyId: principal.agencyId ?? null,
    label,
    createdAt: at.toISOString(),
  };
  return db
    .insert(tokens)
    .values(row)
    .onConflictDoUpdate({ target: tokens.tokenHash, set: { ...row, tokenHash: undefined } });
};

/**
 * Priority (green-channel) cases first, then newest first, in a total order (priority, created_at, agency_id,
 * case_id) so a keyset cursor never skips or repeats a row while cases are being added. A case's priority is
 * set when it opens and never changes, so the cursor stays valid across pages. One row more than the page:
 * {@link casesPageOf} turns it into the next cursor.
 */
export function casesPageQuery(db: AnyDb, query: CaseQuery) {
  const where: SQL[] = [];
  // With a person, the agency's term is kept off the index choice (SQLite's unary +): the planner, without
  // statistics, would walk all the agency's cases in order rather than sort the person's few (read-plans.test.ts).
  if (query.agencyId)
    where.push(
      query.idNumber === undefined ? eq(cases.agencyId, query.agencyId) : sql`+${cases.agencyId} = ${query.agencyId}`,
    );
  if (query.status) where.push(eq(cases.status, query.status));
  if (query.priority !== undefined) where.push(eq(cases.priority, query.priority ? 1 : 0));
  if (query.idNumber !== undefined) where.push(eq(cases.personId, query.idNumber.toUpperCase()));
  if (query.after !== undefined) {
    const after = decodeCursor(query.after, 4);
    if (!after || (after[0] !== 0 && after[0] !== 1))
      throw new StoreError("INVALID_CURSOR", "the page cursor is not one this gateway issued");
    where.push(
      sql`(${cases.priority}, ${cases.createdAt}, ${cases.agencyId}, ${cases.caseId}) < (${after[0]}, ${after[1]}, ${after[2]}, ${after[3]})`,
    );
  }
  return db
    .select()
    .from(cases)
    .where(and(...where))
    .orderBy(desc(cases.priority), desc(cases.createdAt), desc(cases.agencyId), desc(cases.caseId))
    .limit(query.limit + 1);
}

export function casesPageOf(
  rows: (typeof cases.$inferSelect)[],
  query: CaseQuery,
): { cases: CaseRecord[]; next?: string } {
  const last = rows.at(query.limit - 1);
  const page = rows.slice(0, query.limit).map(toCaseRecord);
  const next =
    rows.length > query.limit && last
      ? encodeCursor([last.priority, last.createdAt, last.agencyId, last.caseId])
      : undefined;
  return next ? { cases: page, next } : { cases: page };
}

/** Deliveries for the console, newest first. */
export function deliveriesQuery(
  db: AnyDb,
  query: { ownerAgency?: string; state?: OutboundState; documentIds?: string[]; limit: number },
) {
  const where: SQL[] = [];
  // With documents named, the owner's term is kept off the index choice (as in casesPageQuery): their few rows
  // by deliveries_document, not the owner's whole history.
  if (query.ownerAgency)
    where.push(
      query.documentIds
        ? sql`+${deliveries.ownerAgency} = ${query.ownerAgency}`
        : eq(deliveries.ownerAgency, query.ownerAgency),
    );
  if (query.documentIds) where.push(inArray(deliveries.documentId, query.documentIds));
  if (query.state) where.push(eq(deliveries.state, query.state));
  return db
    .select()
    .from(deliveries)
    .where(and(...where))
    .orderBy(desc(deliveries.createdAt), desc(deliveries.id))
    .limit(query.limit);
}

/** Audit trail, newest first. */
export function auditQuery(db: AnyDb, query: { agencyId?: string; kind?: string; limit: number }) {
  const where: SQL[] = [];
  if (query.agencyId) where.push(eq(auditEvents.agencyId, query.agencyId));
  if (query.kind) where.push(eq(auditEvents.kind, query.kind));
  return db
    .select()
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.id))
    .limit(query.limit);
}
