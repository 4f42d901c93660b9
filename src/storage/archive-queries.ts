import { and, asc, desc, eq, gt, gte, ne, sql } from "drizzle-orm";
import { CASE_INDEX_KIND } from "../usecases/case-index.ts";
import type { Param, AnyDb } from "./queries.ts";
import { archiveLeaves, archiveNodes, cases, checkpoints, peerCheckpoints } from "./schema.ts";

/** The archive log's queries (queries.ts: one builder for both adapters; SQLite prepares them). */

export const nodeAt = (db: AnyDb, level: Param<number>, idx: Param<number>) =>
  db
    .select({ hash: archiveNodes.hash })
    .from(archiveNodes)
    .where(and(eq(archiveNodes.level, level), eq(archiveNodes.idx, idx)));

/** The stored size: leaves are dense from 0, so the largest index + 1. */
export const storedSize = (db: AnyDb) =>
  db.select({ n: sql<number | null>`max(${archiveLeaves.idx}) + 1` }).from(archiveLeaves);

export const leavesFrom = (db: AnyDb, from: Param<number>, limit: Param<number>) =>
  db.select().from(archiveLeaves).where(gte(archiveLeaves.idx, from)).orderBy(asc(archiveLeaves.idx)).limit(limit);

export const leafAt = (db: AnyDb, idx: Param<number>) =>
  db.select().from(archiveLeaves).where(eq(archiveLeaves.idx, idx));

export const leafByHash = (db: AnyDb, hash: Param<Uint8Array>) =>
  db.select().from(archiveLeaves).where(eq(archiveLeaves.leafHash, hash)).orderBy(asc(archiveLeaves.idx)).limit(1);

export const caseLeaves = (db: AnyDb, owner: Param<string>, caseId: Param<string>) =>
  db
    .select()
    .from(archiveLeaves)
    .where(and(eq(archiveLeaves.ownerAgency, owner), eq(archiveLeaves.caseId, caseId)))
    .orderBy(asc(archiveLeaves.idx));

export const latestCheckpoint = (db: AnyDb) => db.select().from(checkpoints).orderBy(desc(checkpoints.size)).limit(1);

export const checkpointBySize = (db: AnyDb, size: Param<number>) =>
  db.select().from(checkpoints).where(eq(checkpoints.size, size));

export const allCheckpoints = (db: AnyDb) => db.select().from(checkpoints).orderBy(asc(checkpoints.size));

export const peerCheckpointsOf = (db: AnyDb, origin: string | undefined) =>
  (origin
    ? db.select().from(peerCheckpoints).where(eq(peerCheckpoints.origin, origin))
    : db.select().from(peerCheckpoints)
  ).orderBy(asc(peerCheckpoints.origin), asc(peerCheckpoints.size));

/** The case's latest case-index leaf. */
export const lastCaseIndex = (db: AnyDb, owner: Param<string>, caseId: Param<string>) =>
  db
    .select({ idx: archiveLeaves.idx, entry: archiveLeaves.entry })
    .from(archiveLeaves)
    .where(
      and(
        eq(archiveLeaves.ownerAgency, owner),
        eq(archiveLeaves.caseId, caseId),
        eq(archiveLeaves.kind, CASE_INDEX_KIND),
      ),
    )
    .orderBy(desc(archiveLeaves.idx))
    .limit(1);

/** The case's item leaves (not indexes) after leaf `after`. */
export const caseItemsAfter = (db: AnyDb, owner: Param<string>, caseId: Param<string>, after: Param<number>) =>
  db
    .select({
      idx: archiveLeaves.idx,
      leafHash: archiveLeaves.leafHash,
      kind: archiveLeaves.kind,
      documentId: archiveLeaves.documentId,
    })
    .from(archiveLeaves)
    .where(
      and(
        eq(archiveLeaves.ownerAgency, owner),
        eq(archiveLeaves.caseId, caseId),
        ne(archiveLeaves.kind, CASE_INDEX_KIND),
        gt(archiveLeaves.idx, after),
      ),
    )
    .orderBy(asc(archiveLeaves.idx));

export const caseStatus = (db: AnyDb, owner: Param<string>, caseId: Param<string>) =>
  db
    .select({ status: cases.status })
    .from(cases)
    .where(and(eq(cases.agencyId, owner), eq(cases.caseId, caseId)));

type Values<T> = { [K in keyof T]: Param<T[K]> };

export const insertLeaf = (db: AnyDb, row: Values<typeof archiveLeaves.$inferInsert>) =>
  db.insert(archiveLeaves).values(row);

export const insertNode = (db: AnyDb, row: Values<typeof archiveNodes.$inferInsert>) =>
  db.insert(archiveNodes).values(row);

export const insertCheckpoint = (db: AnyDb, row: Values<typeof checkpoints.$inferInsert>) =>
  db.insert(checkpoints).values(row).onConflictDoNothing();

export const insertPeerCheckpoint = (db: AnyDb, row: Values<typeof peerCheckpoints.$inferInsert>) =>
  db.insert(peerCheckpoints).values(row).onConflictDoNothing();

export const updateCheckpointNote = (db: AnyDb, size: Param<number>, note: Param<string>) =>
  db
    .update(checkpoints)
    .set({ note: sql`${note}` })
    .where(eq(checkpoints.size, size));
