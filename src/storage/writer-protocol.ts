import type { DocumentRecord, StateChange, StoreErrorCode } from "../usecases/ports.ts";
import { StoreError } from "../usecases/store-error.ts";
import type { Outcome } from "./group-commit.ts";
import type { Committed } from "./group-runner.ts";
import type { WireDocument } from "./write-sql.ts";

/**
 * The messages between the gateway thread and the writer thread (runtime/writer-thread.ts). They
 * travel by structured clone, which keeps Uint8Arrays and plain objects but drops an Error's class
 * and `code`: refusals cross as `{ code, message }` and are rebuilt here as the same coded errors,
 * so the use cases' VERSION_CONFLICT retry and DUPLICATE_DOCUMENT replay see no difference.
 */
export type ToWriter =
  | { type: "commit"; id: number; change: StateChange }
  /** The WAL checkpointer thread failed: this connection checkpoints inside its COMMITs again (0 turns that off). */
  | { type: "autocheckpoint"; pages: number }
  /** Sent after the last commit: the writer finishes every group before it, closes its connection and exits. */
  | { type: "close" };

/**
 * The commit message for a change. Structured clone copies a Uint8Array's whole ArrayBuffer, so a view
 * into a larger one (a pooled Buffer, a slice of a request body) is first cut down to its own bytes;
 * archive items go as references where they can (ArchiveRef), the writer building their entries, so
 * what crosses is the change's rows and little else (issue 12 item 1).
 */
export function commitMessage(id: number, change: StateChange): ToWriter {
  const docs = change.newDocuments;
  if (!docs?.some((d) => d.report || isView(d.canonical) || isView(d.seal))) return { type: "commit", id, change };
  return { type: "commit", id, change: { ...change, newDocuments: docs.map(wireDocument) } };
}

/** A document's own bytes, and its report as JSON text (writes.ts WireDocument). */
function wireDocument(d: DocumentRecord): WireDocument {
  // The bytes set on the copy, not `{ ...rest, canonical, seal }` (a hidden class per literal in Node 20:
  // docs/ingest-performance.md).
  const { report, ...wire }: WireDocument = d;
  wire.canonical = ownBytes(d.canonical);
  wire.seal = ownBytes(d.seal);
  if (report) {
    wire.reportJson = JSON.stringify(report);
    const { validationTime, signingTime } = report;
    wire.reportTimes = signingTime === undefined ? { validationTime } : { validationTime, signingTime };
  }
  return wire;
}

const isView = (bytes: Uint8Array) => bytes.byteLength !== bytes.buffer.byteLength;
const ownBytes = (bytes: Uint8Array) => (isView(bytes) ? bytes.slice() : bytes);

export type EncodedOutcome =
  | { ok: true; value: Committed }
  | { ok: false; code?: StoreErrorCode; name: string; message: string };

export type FromWriter =
  /** The writer's connection is open and its archive frontier loaded. */
  | { type: "ready" }
  /** One group's outcomes, sent only after its COMMIT returned (durable under synchronous=FULL). */
  | { type: "done"; ids: number[]; outcomes: EncodedOutcome[] }
  | { type: "closed" };

export function encodeOutcome(outcome: Outcome<Committed>): EncodedOutcome {
  if (outcome.ok) return outcome;
  const error = outcome.error;
  if (error instanceof StoreError) return { ok: false, code: error.code, name: error.name, message: error.message };
  const e = error instanceof Error ? error : new Error(String(error));
  return { ok: false, name: e.name, message: e.message };
}

/** The outcome as the in-process store would have reported it; an uncoded failure stays an uncoded bug. */
export function decodeOutcome(encoded: EncodedOutcome): Outcome<Committed> {
  if (encoded.ok) return encoded;
  if (encoded.code) return { ok: false, error: new StoreError(encoded.code, encoded.message) };
  const error = new Error(`writer thread: ${encoded.message}`);
  error.name = encoded.name;
  return { ok: false, error };
}
