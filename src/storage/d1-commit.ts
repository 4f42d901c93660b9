import { CompactRange, toHex, type LogHasher } from "../domain/archive/index.ts";
import type { IndexedItem } from "../usecases/case-index.ts";
import type { StateChange } from "../usecases/ports.ts";
import { type CaseLookup, listedItems, planAppend, touchedCases, writtenStatus } from "./archive-append.ts";
import {
  caseItemsAfter,
  caseStatus,
  insertCheckpoint,
  insertLeaf,
  insertNode,
  insertPeerCheckpoint,
  lastCaseIndex,
  nodeAt,
  storedSize,
  updateCheckpointNote,
} from "./archive-queries.ts";
import { resolveItems } from "./archive-refs.ts";
import { type BlobPolicy, offloadDocuments } from "./blob-store.ts";
import { type D1Handles, type D1Statement, numbered, row, rows, toD1Value } from "./d1-sql.ts";
import { toStoreError, unavailable } from "./errors.ts";
import { TEMPLATE_SQL, templateId } from "./report-template.ts";
import { changeOps, WRITE_SQL, type WriteKey, type WriteOp } from "./write-sql.ts";

/** Committed change: the documents' seqs and the archive leaf indexes of its items. */
export type Committed = { documentSeqs: number[]; archiveIndexes: number[] };

/** A batch ready to send, and what to adopt once D1 has committed it. */
interface PlannedBatch {
  statements: D1Statement[];
  /** Positions of the insertDocument statements (their RETURNING seq). */
  seqAt: number[];
  archiveIndexes: number[];
  next: CompactRange | undefined;
  templates: Map<number, string>;
}

/** Templates remembered as stored (a few KB each: a Worker has 128 MB). */
const REMEMBERED = 1_000;
/**
 * A racing batch (another isolate) that appended first: our leaf indexes are taken; read again, this often,
 * after a random pause that grows with each attempt, so two writers in step do not keep colliding.
 */
const ATTEMPTS = 10;
const backoff = (attempt: number) => new Promise((done) => setTimeout(done, Math.random() * 2 ** Math.min(attempt, 7)));
const ARCHIVE_RACE = /UNIQUE constraint failed: archive_(leaves|nodes)\./;
const TEMPLATE_COLLISION = /NOT NULL constraint failed: report_templates\.template/;
/** A case's status read for its index leaf (below) changed before the batch ran. */
const STATUS_GUARD =
  "UPDATE cases SET version = (CASE WHEN status IS ? THEN version ELSE NULL END) WHERE agency_id = ? AND case_id = ?";

/**
 * Commits on D1: each StateChange is ONE `db.batch([...])` (D1 has no interactive transactions; a batch is
 * atomic) of the same statements SQLite runs in a savepoint (write-sql.ts), so the guards — constraints, not
 * reads — fail the whole batch and the errors map to the same coded StoreErrors (errors.ts).
 *
 * What SQLite reads inside its transaction D1 reads before the batch: the log's size and frontier, and for
 * each case-index leaf the case's leaves and status. That is still correct because the batch carries guards:
 * leaf indexes are dense and `archive_leaves.idx` is the primary key, so if anyone appended after our read
 * (another isolate, `wrangler d1 execute`), its leaf holds our first index and our batch fails on the unique
 * key — nothing written — and we read again and retry, a bounded number of times. The status read is pinned
 * by a no-op update that NULLs `cases.version` if the status moved (VERSION_CONFLICT, as a stale write).
 * Within this isolate commits run one at a time (a promise chain) unless `serialize` is off (the Worker: see
 * D1StoreOptions.serializeCommits); then a commit that loses a race to one of its own isolate retries as it
 * would against another isolate, and a stale cached frontier only costs that retry.
 */
export function d1Committer(
  { d1, db, statementOf }: D1Handles,
  hasher: LogHasher,
  blobs: BlobPolicy,
  serialize: boolean,
) {
  const texts = new Map<WriteKey, { sql: string; names: string[] }>();
  const bind = ({ key, args }: WriteOp): D1Statement => {
    let text = texts.get(key);
    if (!text) texts.set(key, (text = numbered(WRITE_SQL[key])));
    const values = Array.isArray(args) ? args : text.names.map((name) => (args as Record<string, unknown>)[name]);
    return d1.prepare(text.sql).bind(...values.map((v) => toD1Value(v ?? null)));
  };
  const stored = new Map<number, string>();
  let frontier: CompactRange | undefined;
  let tail: Promise<unknown> = Promise.resolve();

  /** The log's frontier at its stored size: the one in memory, unless another writer has appended. */
  async function currentFrontier(): Promise<CompactRange> {
    const size = (await row(storedSize(db)))?.n ?? 0;
    if (frontier?.size === size) return frontier;
    const ids = CompactRange.frontierIds(size);
    const found = await Promise.all(ids.map((id) => row(nodeAt(db, id.level, id.index))));
    return CompactRange.fromHashes(
      hasher,
      size,
      found.flatMap((n) => (n ? [n.hash] : [])),
    );
  }

  /** What the log and cases table hold of every case the change indexes, read before the batch. */
  async function caseLookup(change: StateChange, entries: Parameters<typeof touchedCases>[1]): Promise<CaseLookup> {
    const keyOf = (owner: string, caseId: string) => JSON.stringify([owner, caseId]);
    const found = new Map<
      string,
      { last?: { idx: number; entry: Uint8Array }; items: IndexedItem[]; status: string | null }
    >();
    await Promise.all(
      touchedCases(change, entries).map(async ({ ownerAgency: owner, caseId }) => {
        // The status beside the index chain: each read before the batch is a round trip from the Worker to D1.
        const readStatus = async () =>
          writtenStatus(change, owner, caseId) ?? (await row(caseStatus(db, owner, caseId)))?.status ?? null;
        const readIndex = async () => {
          const last = await row(lastCaseIndex(db, owner, caseId));
          return { last, later: await rows(caseItemsAfter(db, owner, caseId, listedItems(last).after)) };
        };
        const [status, { last, later }] = await Promise.all([readStatus(), readIndex()]);
        const items = later.map((r) => ({
          leafIndex: r.idx,
          leafHash: toHex(r.leafHash),
          kind: r.kind as IndexedItem["kind"],
          documentId: r.documentId,
        }));
        found.set(keyOf(owner, caseId), { ...(last ? { last } : {}), items, status });
      }),
    );
    return {
      lastIndex: (owner, caseId) => found.get(keyOf(owner, caseId))?.last,
      itemsAfter: (owner, caseId) => found.get(keyOf(owner, caseId))?.items ?? [],
      status: (owner, caseId) => found.get(keyOf(owner, caseId))?.status ?? null,
    };
  }

  /** `rows` is the change as its rows are inserted (blob-store.ts); the archive entries are of `change` itself. */
  async function plan(change: StateChange, rows: StateChange, wholeReports: boolean): Promise<PlannedBatch> {
    // Ids derive from the text (report-template.ts), so INSERT OR IGNORE is safe in the batch; the guard
    // after it refuses a colliding text, and then the change is retried with its reports stored whole.
    const templates = new Map<number, string>();
    const ops = changeOps(rows, (template) => {
      if (wholeReports) return null;
      const id = templateId(template);
      if (stored.get(id) !== template) templates.set(id, template);
      return id;
    });
    const statements: D1Statement[] = [];
    for (const [id, template] of templates)
      statements.push(
        d1.prepare(TEMPLATE_SQL.insert).bind(id, template),
        d1.prepare(TEMPLATE_SQL.guard).bind(template, id),
      );
    const seqAt: number[] = [];
    for (const op of ops) {
      if (op.key === "insertDocument") seqAt.push(statements.length);
      statements.push(bind(op));
    }
    const items = resolveItems(change);
    const entries = items.map((i) => i.input);
    const appends = items.length > 0 || (change.indexCases?.length ?? 0) > 0;
    // The frontier and the cases' reads are independent: read together, two round trips before the batch, not four.
    const [tentative, lookup] = appends
      ? await Promise.all([currentFrontier(), caseLookup(change, entries)])
      : [frontier, undefined];
    const planned = lookup && planAppend(change, items, tentative, hasher, lookup);
    for (const c of appends ? touchedCases(change, entries) : [])
      if (writtenStatus(change, c.ownerAgency, c.caseId) === undefined)
        statements.push(
          d1.prepare(STATUS_GUARD).bind(lookup!.status(c.ownerAgency, c.caseId), c.ownerAgency, c.caseId),
        );
    for (const l of planned?.leaves ?? []) {
      const { idx, kind, ownerAgency, caseId, documentId, recordedAt, leafHash } = l;
      statements.push(
        statementOf(
          insertLeaf(db, { idx, kind, ownerAgency, caseId, documentId, recordedAt, entry: l.stored, leafHash }),
        ),
      );
    }
    for (const n of planned?.nodes ?? [])
      statements.push(statementOf(insertNode(db, { level: n.level, idx: n.index, hash: n.hash })));
    if (change.checkpoint) statements.push(statementOf(insertCheckpoint(db, { ...change.checkpoint })));
    for (const c of change.checkpointNotes ?? [])
      statements.push(statementOf(updateCheckpointNote(db, c.size, c.note)));
    if (change.peerCheckpoint) statements.push(statementOf(insertPeerCheckpoint(db, { ...change.peerCheckpoint })));
    const next = planned ? planned.next : tentative;
    return { statements, seqAt, archiveIndexes: planned?.indexes ?? [], next, templates };
  }

  async function commitNow(change: StateChange, rows: StateChange): Promise<Committed> {
    let wholeReports = false;
    for (let attempt = 1; ; attempt++) {
      const batch = await plan(change, rows, wholeReports);
      if (!batch.statements.length) return { documentSeqs: [], archiveIndexes: [] };
      try {
        const results = await d1.batch<{ seq: number }>(batch.statements);
        frontier = batch.next;
        if (stored.size + batch.templates.size > REMEMBERED) stored.clear();
        for (const [id, template] of batch.templates) stored.set(id, template);
        const documentSeqs = batch.seqAt.map((i) => results[i]!.results![0]!.seq);
        return { documentSeqs, archiveIndexes: batch.archiveIndexes };
      } catch (error) {
        const message = messagesOf(error);
        if (TEMPLATE_COLLISION.test(message) && !wholeReports) wholeReports = true;
        else if (!ARCHIVE_RACE.test(message)) throw toStoreError(error);
        else if (attempt >= ATTEMPTS) throw unavailable("the archive log kept moving under this change", error);
        else await backoff(attempt);
        frontier = undefined;
      }
    }
  }

  return {
    async commit(change: StateChange): Promise<Committed> {
      // Large bytes go to the blob store first, outside the chain (uploads may overlap), and before the batch:
      // a row is never committed without its object; an object without its row is harmless (blob-store.ts).
      const docs = change.newDocuments?.length ? await offloadDocuments(change.newDocuments, blobs) : undefined;
      const rows = docs ? { ...change, newDocuments: docs } : change;
      if (!serialize) return commitNow(change, rows);
      const result = tail.then(() => commitNow(change, rows));
      tail = result.catch(() => undefined);
      return result;
    },
  };
}

/** An error's message and its causes' (D1 wraps SQLite's message: "D1_ERROR: … constraint failed: …"). */
function messagesOf(error: unknown): string {
  const out: string[] = [];
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) out.push(e.message);
  return out.join("\n");
}
