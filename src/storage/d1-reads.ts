import { isEntryHead, rebuildEntry, referencedKey } from "../usecases/archive/index.ts";
import type {
  ArchiveReader,
  CheckpointRecord,
  DocumentRecord,
  GatewayStore,
  PeerCheckpointRecord,
  ReminderRecord,
} from "../usecases/ports.ts";
import {
  allCheckpoints,
  caseLeaves,
  checkpointBySize,
  latestCheckpoint,
  leafAt,
  leafByHash,
  leavesFrom,
  nodeAt,
  peerCheckpointsOf,
  storedSize,
} from "./archive-queries.ts";
import { type LeafRow, toLeaf } from "./archive-reads.ts";
import { type SealedColumns, sealedRowQuery } from "./archive-refs.ts";
import { type BlobStore, hydrateRow, hydrateSealed } from "./blob-store.ts";
import { type D1Handles, row, rows } from "./d1-sql.ts";
import {
  auditQuery,
  casesPageOf,
  casesPageQuery,
  deliveriesQuery,
  deliveryById,
  dueDeliveries,
  outboxDepth,
  sentReminders,
  tokenByHash,
} from "./queries.ts";
import {
  type CaseRow,
  type DocumentQuery,
  READ_SQL,
  type RemindableRow,
  remindArgs,
  toCase,
  toRemindable,
  unscheduledArgs,
} from "./read-sql.ts";
import { TEMPLATE_SQL, templateReads } from "./report-template.ts";
import { type DocumentRow, toAuditEvent, toDeliveryRecord, toDocumentRecord } from "./rows.ts";

/** Template texts kept once read (a template row never changes under its id); bounded, as on SQLite. */
const REMEMBERED = 1_000;
/**
 * Document bytes one inbox page may carry (an isolate has 128 MB, and each R2 object is a subrequest): a page
 * stops after the row that passes it. The seq cursor makes a shorter page lossless: the next one follows it.
 */
export const INBOX_PAGE_BYTES = 16 * 1024 * 1024;

type Reads = Omit<GatewayStore, "commit" | "saveToken">;

/**
 * The GatewayStore's reads on D1: the same SQL as SQLite (read-sql.ts texts in raw mode, queries.ts and
 * archive-queries.ts builders on drizzle-orm/d1). D1 reads only committed rows, and a batch is atomic, so
 * the log's stored size is its committed size.
 */
export function d1Reads(handles: D1Handles, blobs?: BlobStore, pageBytes = INBOX_PAGE_BYTES): Reads {
  const { d1, db } = handles;
  const texts = new Map<number, string>();
  /** Reads the template texts `docRows` need and are not yet known, then maps the rows to records. */
  const toRecords = async (stored: DocumentRow[], maxBytes = Number.POSITIVE_INFINITY): Promise<DocumentRecord[]> => {
    // Bytes too large for their row are in the blob store (blob-store.ts); a missing object fails the read.
    const docRows = await hydrateBounded(stored, blobs, maxBytes);
    const missing = [...new Set(docRows.map((r) => r[14]).filter((id) => id !== null && !texts.has(id)))];
    const found = await Promise.all(
      missing.map((id) => d1.prepare(TEMPLATE_SQL.select).bind(id).first<{ template: string }>()),
    );
    if (texts.size + missing.length > REMEMBERED) texts.clear();
    for (const [i, id] of missing.entries()) if (found[i]) texts.set(id!, found[i]!.template);
    const templates = templateReads((id) => {
      const text = texts.get(id);
      if (text === undefined) throw new Error(`report template ${id} is missing`);
      return text;
    });
    return docRows.map((r) => toDocumentRecord(r, templates));
  };
  const documents =
    (query: DocumentQuery, maxBytes?: number) =>
    async (...params: unknown[]) =>
      toRecords(
        await d1
          .prepare(READ_SQL[query])
          .bind(...params)
          .raw<DocumentRow>(),
        maxBytes,
      );
  const cases = (query: "casesByCaseId" | "casesByVoucherId", key: string) =>
    d1
      .prepare(READ_SQL[query])
      .bind(key)
      .raw<CaseRow>()
      .then((found) => found.map(toCase));
  return {
    getCase: async (agencyId, caseId) => {
      const [found] = await d1.prepare(READ_SQL.getCase).bind(agencyId, caseId).raw<CaseRow>();
      return found && toCase(found);
    },
    caseEvents: async (agencyId, caseId) => {
      const found = await d1.prepare(READ_SQL.caseEvents).bind(agencyId, caseId).raw<[number, string, string]>();
      return found.map(([version, at, event]) => ({ version, at, event: JSON.parse(event) }));
    },
    listCases: async (query) => casesPageOf(await rows(casesPageQuery(db, query)), query),
    findCases: (by) => ("caseId" in by ? cases("casesByCaseId", by.caseId) : cases("casesByVoucherId", by.voucherId)),
    getDocument: async (key) => {
      const statement = d1.prepare(READ_SQL.getDocument).bind(key.ownerAgency, key.direction, key.from, key.documentId);
      return (await toRecords(await statement.raw<DocumentRow>()))[0];
    },
    inboundDocuments: documents("inboundDocuments"),
    caseDocuments: documents("caseDocuments"),
    documentsBySha256: documents("documentsBySha256"),
    inbox: documents("inbox", pageBytes),
    pendingInbox: documents("pendingInbox", pageBytes),
    sentReminders: (agencyId, caseId) => rows(sentReminders(db, agencyId, caseId)) as Promise<ReminderRecord[]>,
    casesToRemind: async (query) =>
      (
        await d1
          .prepare(READ_SQL.casesToRemind)
          .bind(...remindArgs(query))
          .raw<RemindableRow>()
      ).map(toRemindable),
    unscheduledCases: async (query) =>
      (
        await d1
          .prepare(READ_SQL.unscheduledCases)
          .bind(...unscheduledArgs(query))
          .raw<CaseRow>()
      ).map(toCase),
    outboxDepth: async () => (await row(outboxDepth(db)))?.n ?? 0,
    dueDeliveries: async (at, limit) => (await rows(dueDeliveries(db, at, limit))).map(toDeliveryRecord),
    listDeliveries: async (query) => (await rows(deliveriesQuery(db, query))).map(toDeliveryRecord),
    getDelivery: async (id) => {
      const found = await row(deliveryById(db, id));
      return found && toDeliveryRecord(found);
    },
    principalByTokenHash: async (hash) => {
      const found = await row(tokenByHash(db, hash));
      return (
        found && { tokenId: found.tokenId, role: found.role, ...(found.agencyId ? { agencyId: found.agencyId } : {}) }
      );
    },
    auditEvents: async (query) => (await rows(auditQuery(db, query))).map(toAuditEvent),
    archive: d1ArchiveReader(handles, blobs),
  };
}

/** The archive reads on D1; a leaf stored by reference is rebuilt from its documents row (archive-refs.ts). */
function d1ArchiveReader({ db }: D1Handles, blobs: BlobStore | undefined): ArchiveReader {
  const leafOf = async (r: LeafRow) => {
    if (!isEntryHead(r.entry)) return toLeaf(r, r.entry);
    const ref = referencedKey(r.entry);
    const query: { get(): SealedColumns | undefined } | undefined = ref && sealedRowQuery(db, ref.kind, ref.key);
    const sealed = query && (await row(query));
    return toLeaf(r, rebuildEntry(r.entry, sealed && (await hydrateSealed(sealed, blobs))));
  };
  const size = async () => (await row(storedSize(db)))?.n ?? 0;
  return {
    size,
    nodes: (ids) => Promise.all(ids.map(async (id) => (await row(nodeAt(db, id.level, id.index)))?.hash)),
    leaves: async (from, limit) => Promise.all((await rows(leavesFrom(db, from, limit))).map(leafOf)),
    leaf: async (index) => {
      const found = await row(leafAt(db, index));
      return found && leafOf(found);
    },
    leafByHash: async (hash) => {
      const found = await row(leafByHash(db, hash));
      return found && leafOf(found);
    },
    caseLeaves: async (owner, caseId) => Promise.all((await rows(caseLeaves(db, owner, caseId))).map(leafOf)),
    latestCheckpoint: () => row(latestCheckpoint(db)) as Promise<CheckpointRecord | undefined>,
    checkpoint: (s) => row(checkpointBySize(db, s)) as Promise<CheckpointRecord | undefined>,
    checkpoints: () => rows(allCheckpoints(db)) as Promise<CheckpointRecord[]>,
    peerCheckpoints: (origin) => rows(peerCheckpointsOf(db, origin)) as Promise<PeerCheckpointRecord[]>,
  };
}

/** The rows in order with their bytes, stopping after the one whose bytes pass `maxBytes` (never an empty page). */
async function hydrateBounded(
  stored: DocumentRow[],
  blobs: BlobStore | undefined,
  maxBytes: number,
): Promise<DocumentRow[]> {
  if (maxBytes === Number.POSITIVE_INFINITY) return Promise.all(stored.map((r) => hydrateRow(r, blobs)));
  const out: DocumentRow[] = [];
  let bytes = 0;
  // One row at a time: a row held in D1 costs no I/O here, and a row in R2 is fetched only if the page has room.
  for (const row of stored) {
    if (out.length > 0 && bytes > maxBytes) break;
    const hydrated = await hydrateRow(row, blobs);
    out.push(hydrated);
    bytes += byteLength(hydrated[9]) + byteLength(hydrated[10]);
  }
  return out;
}

/** D1 hands BLOB columns back as ArrayBuffer (or number arrays in older runtimes); R2 reads are Uint8Array. */
function byteLength(value: unknown): number {
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  return Array.isArray(value) ? value.length : 0;
}
