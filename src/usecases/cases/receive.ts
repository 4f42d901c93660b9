import { validateSealedDocument, type Document, type DocumentOf } from "../../domain/documents/index.ts";
import { CodedError } from "../../domain/errors.ts";
import { readStrictJson } from "../../domain/strict-json.ts";
import { maskIdNumber, maskIdNumbersIn } from "../../domain/identifiers/index.ts";
import { commandForDocument, type CaseCommand } from "../../domain/transfer-case/index.ts";
import { documentLeaf, receiptLeaf } from "../archive/index.ts";
import { canonicalBytes, decodeSeal, sameDigest, sha256Hex } from "../canonical.ts";
import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import { verifySealFrom } from "./seal-checks.ts";
import { readCaseContext, type VoucherFinding } from "./receive-reads.ts";
import type { CaseReads, Committer, DocumentKey, DocumentReads, DocumentRecord, HostedAgency } from "../ports.ts";
import { DEFAULT_CONFLICT_RETRY, handleCaseCommand, type CaseBatch, type DecidedCase } from "./handle-command.ts";
import { answerReplay, refuseStrangers } from "./parties.ts";
import { issueReceipt, webhookDelivery } from "../delivery/index.ts";
import { StoreError } from "../store-error.ts";

export interface ReceiveResult {
  /** 201 for a new document, 200 for a replay answered with the original receipt. */
  status: 200 | 201;
  /** The sealed receipt, as sealed-document JSON. */
  receipt: string;
  documentId: string;
}

/** What receiving touches: the agency's case and documents, seal checks, the receipt key, the outbox. */
export type ReceiveDeps = Pick<
  GatewayDeps,
  "agencies" | "calendar" | "clock" | "decider" | "ids" | "limits" | "logger" | "metrics" | "onQueued" | "verifier"
> & { store: CaseReads & DocumentReads & Committer };

/** What the rest of a received document's batch is built from: the document, its owner, its bytes and digests. */
interface Arrival extends Pick<DocumentRecord, "canonical" | "seal" | "documentSha256" | "sealSha256" | "report"> {
  document: Document;
  owner: HostedAgency;
  now: Date;
}

/**
 * The receiving pipeline every gateway exposes at POST /v1/exchange (issue 4 item 4): size → JSON →
 * envelope and body schema → `document.to` hosted here → byte-identical replay answered with the stored
 * receipt → seal verification → sealer is `document.from` and listed → idempotency by (from, id) →
 * parties (the sealer is the case's counterpart, each document type from its side; a business receipt
 * acknowledges once a document sent to its sealer) → case decider → durable commit → receipt sealed by
 * the receiving agency's gateway key. Hosted-to-hosted traffic goes through here too (no shortcut).
 */
export async function receiveDocument(deps: ReceiveDeps, bytes: Uint8Array, requestId: string): Promise<ReceiveResult> {
  const started = performance.now();
  try {
    const result = await receive(deps, bytes, requestId);
    deps.metrics.count("jiexu_documents_in_total", {
      type: result.type,
      outcome: result.status === 201 ? "accepted" : "replayed",
    });
    // One line per received document and the receipt answered for it (issue 15 item 7); no personal data.
    deps.logger.info("document.received", {
      requestId,
      caseId: result.caseId,
      documentId: result.documentId,
      type: result.type,
      from: result.from,
      to: result.to,
      outcome: result.status === 201 ? "accepted" : "replayed",
    });
    return { status: result.status, receipt: result.receipt, documentId: result.documentId };
  } catch (err) {
    const code = err instanceof CodedError ? String(err.code) : "INTERNAL";
    deps.metrics.count("jiexu_documents_in_total", { type: "unknown", outcome: code });
    throw err;
  } finally {
    deps.metrics.observe("jiexu_receive_seconds", {}, (performance.now() - started) / 1000);
  }
}

async function receive(deps: ReceiveDeps, bytes: Uint8Array, requestId: string) {
  if (bytes.length > deps.limits.maxDocumentBytes)
    throw new GatewayError("BODY_TOO_LARGE", `body of ${bytes.length} bytes exceeds ${deps.limits.maxDocumentBytes}`);
  const now = deps.clock.now();
  // The one strict reader every body passes (issue 9 items 3–4): UTF-8, bounded depth, finite numbers, no
  // lone surrogate, no duplicate key. Its StrictJsonError is a coded JSON_INVALID (400) naming the reason.
  const value = readStrictJson(bytes);
  // One pass gives schema and business-rule problems; the rules see the case's documents only below.
  const emergencyWindows = deps.calendar.emergencyWindows;
  const checked = validateSealedDocument(value, { now, emergencyWindows }).problems;
  const schema = checked.filter((p) => p.severity === "error" && p.code === "SCHEMA");
  if (schema.length)
    throw new GatewayError("DOCUMENT_INVALID", "the sealed document does not match its schema", { problems: schema });
  const { document, seal: sealB64 } = value as { document: Document; seal: string };
  if (document.type === "receipt")
    throw new GatewayError("TYPE_NOT_SUBMITTABLE", "transport receipts are returned, not exchanged");
  // Issue 11 item 1: a voucher travels with the person, not between gateways.
  if (document.type === "contribution-voucher")
    throw new GatewayError("TYPE_NOT_SUBMITTABLE", "a contribution voucher is presented by the person, not exchanged");

  const canonical = canonicalBytes(document);
  const seal = decodeSeal(sealB64);
  const owner = deps.agencies.hosted(document.to);
  if (!owner) throw new GatewayError("RECIPIENT_NOT_HOSTED", `agency ${document.to} is not hosted on this gateway`);

  const documentSha256 = sha256Hex(canonical);
  const sealSha256 = sha256Hex(seal);
  const key = { ownerAgency: document.to, direction: "in" as const, from: document.from, documentId: document.id };
  // Issue 9 item 7: a byte-identical replay (same document, same seal) is answered from what was stored
  // before anything is re-verified, so a sender retrying after its certificate expired or was rolled over
  // still gets the original receipt. Anything else is verified first: an unverified offer must not be
  // able to plant an equivocation event.
  const existing = await deps.store.getDocument(key);
  if (
    existing?.receipt &&
    sameDigest(existing.documentSha256, documentSha256) &&
    sameDigest(existing.sealSha256, sealSha256)
  ) {
    return { status: 200 as const, receipt: existing.receipt, documentId: document.id, ...routeOf(document) };
  }
  const report = verifySealFrom(deps, document.from, canonical, seal, now);
  if (existing)
    return { ...(await answerReplay(deps, existing, key, documentSha256, requestId)), ...routeOf(document) };

  // What the case holds, read in one round once the seal holds (receive-reads.ts).
  const { firstLoad, related, voucher, acknowledged } = await readCaseContext(deps, document);
  // Business rules on the document itself, with this agency's copy of the case as context.
  // Without related documents the first pass already gave exactly these problems (related = []).
  const all = related.length ? validateSealedDocument(value, { now, related, emergencyWindows }).problems : checked;
  const problems = all.filter((p) => p.severity === "error");
  if (problems.length) throw new GatewayError("DOCUMENT_INVALID", "the document breaks a business rule", { problems });

  const arrival: Arrival = { document, owner, now, canonical, seal, documentSha256, sealSha256, report };
  const target = { agencyId: document.to, caseId: document.caseId };
  let accepted: { receipt: string; queued: boolean };
  try {
    accepted = await refuseStrangers(deps, document, requestId, () =>
      handleCaseCommand(
        deps,
        target,
        async () => {
          const { command, change } = await caseStep(document, now, requestId, voucher, acknowledged);
          return { command, batch: (decided) => receivedBatch(deps, arrival, change, decided) };
        },
        DEFAULT_CONFLICT_RETRY,
        firstLoad,
      ),
    );
  } catch (err) {
    // A concurrent copy of the same document won the race: answer as a replay would.
    if (err instanceof StoreError && err.code === "DUPLICATE_DOCUMENT") {
      const winner = await deps.store.getDocument(key);
      if (winner)
        return { ...(await answerReplay(deps, winner, key, documentSha256, requestId)), ...routeOf(document) };
    }
    throw err;
  }
  if (accepted.queued) deps.onQueued?.();
  if (voucher && voucher.check !== "issued-here") logVoucherMismatch(deps, document, voucher, requestId);
  return Object.assign({ status: 201 as const, receipt: accepted.receipt, documentId: document.id }, routeOf(document));
}

/** The rest of the batch: the document as received, the receipt we seal for it, both archived, and the webhook. */
function receivedBatch(deps: ReceiveDeps, arrival: Arrival, change: CaseBatch, decided: DecidedCase) {
  const { document, owner, now, documentSha256, sealSha256 } = arrival;
  const receipt = issueReceipt(deps, owner, document, { documentSha256, sealSha256, receivedAt: now });
  // Object.assign where a member is optional, not spreads followed by members (a hidden class per literal in Node 20:
  // docs/ingest-performance.md).
  const record: DocumentRecord = Object.assign(
    {
      ownerAgency: document.to,
      direction: "in" as const,
      documentId: document.id,
      type: document.type,
      caseId: document.caseId,
      from: document.from,
      to: document.to,
    },
    document.replyTo ? { replyTo: document.replyTo } : undefined,
    { canonical: arrival.canonical, seal: arrival.seal, documentSha256, sealSha256 },
    arrival.report ? { report: arrival.report } : undefined,
    { recordedAt: now.toISOString(), state: "received" as const, receipt },
  );
  const caseStatus = decided.write?.state.status;
  const hook = webhookDelivery(
    deps,
    owner,
    "document.received",
    {
      documentId: document.id,
      type: document.type,
      caseId: document.caseId,
      from: document.from,
      ...(caseStatus ? { caseStatus } : {}),
    },
    now,
  );
  // The received document and the receipt we issue for it are archived in the same batch (issue 6).
  const archive = [documentLeaf(), receiptLeaf()];
  return {
    change: Object.assign(
      {},
      change,
      { newDocuments: [record], archive },
      hook ? { newDeliveries: [hook] } : undefined,
    ),
    result: { receipt, queued: hook !== undefined },
  };
}

/** What the document does to this agency's records: a case step, or (business receipt) an acknowledged delivery. */
async function caseStep(
  document: Document,
  now: Date,
  requestId: string,
  voucher: VoucherFinding | undefined,
  acknowledged: (receipt: DocumentOf<"business-receipt">) => Promise<DocumentKey>,
): Promise<{ command: CaseCommand | null; change: CaseBatch }> {
  const at = now.toISOString();
  const change: CaseBatch = {
    audit: [
      auditRow(at, document, requestId, "document.received", { from: document.from, type: document.type }),
      // A letter naming a voucher this agency did not issue (or not so) is flagged, not refused.
      ...(voucher && voucher.check !== "issued-here"
        ? [auditRow(at, document, requestId, "voucher.mismatch", { from: document.from, ...voucher })]
        : []),
    ],
  };
  if (document.type === "business-receipt") {
    const key = await acknowledged(document as DocumentOf<"business-receipt">);
    return {
      command: null,
      change: { ...change, documentUpdates: [{ key, businessReceiptId: document.id }] },
    };
  }
  const context = voucher ? { now, voucherCheck: voucher.check } : { now };
  return { command: commandForDocument(document, "received", context), change };
}

/**
 * One audit row about the received document, written out rather than as `{ ...event, kind, detail }`
 * (a hidden class per literal in Node 20: docs/ingest-performance.md).
 */
function auditRow(at: string, document: Document, requestId: string, kind: string, detail: Record<string, unknown>) {
  return { at, agencyId: document.to, caseId: document.caseId, documentId: document.id, requestId, kind, detail };
}

/** Operators see the mismatch in the log too; the person's 公民身份号码 only masked. */
function logVoucherMismatch(deps: ReceiveDeps, document: Document, voucher: VoucherFinding, requestId: string) {
  const person = (document.body as { person?: { idNumber?: unknown } }).person;
  deps.logger.warn("voucher.mismatch", {
    from: document.from,
    to: document.to,
    caseId: document.caseId,
    documentId: document.id,
    voucherId: maskIdNumbersIn(voucher.voucherId),
    check: voucher.check,
    ...(typeof person?.idNumber === "string" ? { person: maskIdNumber(person.idNumber) } : {}),
    requestId,
  });
}

/** What the received-document log line names of a document: its case, type and parties. */
function routeOf(document: Document) {
  return { type: document.type, caseId: document.caseId, from: document.from, to: document.to };
}
