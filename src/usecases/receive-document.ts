import { validateSealedDocument, type Document, type Problem } from "../domain/documents/index.ts";
import { CaseError, commandForDocument } from "../domain/transfer-case/index.ts";
import { documentEntry, receiptEntry } from "./archive-entries.ts";
import { canonicalBytes, decodeSeal, sha256Hex } from "./canonical.ts";
import { applyCommand, loadCase, relatedDocuments } from "./case-state.ts";
import type { GatewayDeps } from "./deps.ts";
import { GatewayError } from "./errors.ts";
import { sealRejection } from "./seal-checks.ts";
import type { DocumentKey, DocumentRecord, StateChange } from "./ports.ts";
import { issueReceipt } from "./receipts.ts";
import { StoreError } from "./store-error.ts";
import { webhookDelivery } from "./webhooks.ts";

export interface ReceiveResult {
  /** 201 for a new document, 200 for a replay answered with the original receipt. */
  status: 200 | 201;
  /** The sealed receipt, as sealed-document JSON. */
  receipt: string;
  documentId: string;
}

/**
 * The receiving pipeline every gateway exposes at POST /v1/exchange (issue 4 item 4): size → JSON →
 * envelope and body schema → seal verification → sealer is `document.from` → `document.to` hosted here →
 * idempotency by (from, id) → case decider → durable commit → receipt sealed by the receiving
 * agency's gateway key. Hosted-to-hosted traffic goes through here too (no shortcut).
 */
export async function receiveDocument(deps: GatewayDeps, bytes: Uint8Array, requestId: string): Promise<ReceiveResult> {
  const started = performance.now();
  try {
    const result = await receive(deps, bytes, requestId);
    deps.metrics.count("jiexu_documents_in_total", { type: result.type, outcome: result.status === 201 ? "accepted" : "replayed" });
    return { status: result.status, receipt: result.receipt, documentId: result.documentId };
  } catch (err) {
    const code = err instanceof GatewayError || err instanceof CaseError ? err.code : "INTERNAL";
    deps.metrics.count("jiexu_documents_in_total", { type: "unknown", outcome: code });
    throw err;
  } finally {
    deps.metrics.observe("jiexu_receive_seconds", {}, (performance.now() - started) / 1000);
  }
}

async function receive(deps: GatewayDeps, bytes: Uint8Array, requestId: string) {
  if (bytes.length > deps.limits.maxDocumentBytes) throw new GatewayError("BODY_TOO_LARGE", `body of ${bytes.length} bytes exceeds ${deps.limits.maxDocumentBytes}`);
  const now = deps.clock.now();
  const value = parseJson(bytes);
  // One pass gives schema and business-rule problems; the rules see the case's documents only below.
  const checked = validateSealedDocument(value, { now }).problems;
  const schema = checked.filter((p) => p.severity === "error" && p.code === "SCHEMA");
  if (schema.length) throw new GatewayError("DOCUMENT_INVALID", "the sealed document does not match its schema", { problems: schema });
  const { document, seal: sealB64 } = value as { document: Document; seal: string };
  if (document.type === "receipt") throw new GatewayError("TYPE_NOT_SUBMITTABLE", "transport receipts are returned, not exchanged");

  const canonical = canonicalBytes(document);
  const seal = decodeSeal(sealB64);
  const report = verifySender(deps, document, canonical, seal, now);
  const owner = deps.agencies.hosted(document.to);
  if (!owner) throw new GatewayError("RECIPIENT_NOT_HOSTED", `agency ${document.to} is not hosted on this gateway`, { report });

  const documentSha256 = sha256Hex(canonical);
  const sealSha256 = sha256Hex(seal);
  const key = { ownerAgency: document.to, direction: "in" as const, from: document.from, documentId: document.id };
  const replay = await answerReplay(deps, key, documentSha256, requestId);
  if (replay) return { ...replay, type: document.type };

  // Business rules on the document itself, with this agency's copy of the case as context.
  // Without related documents the first pass already gave exactly these problems (related = []).
  const related = await relatedDocuments(deps, document.to, document.caseId, document.type);
  const problems = (related.length ? validateSealedDocument(value, { now, related }).problems : checked).filter((p) => p.severity === "error");
  if (problems.length) throw new GatewayError("DOCUMENT_INVALID", "the document breaks a business rule", { problems });

  const change = await caseChange(deps, document, now, requestId);
  const receipt = issueReceipt(deps, owner, document, { documentSha256, sealSha256, receivedAt: now });
  const record: DocumentRecord = {
    ownerAgency: document.to, direction: "in", documentId: document.id, type: document.type, caseId: document.caseId,
    from: document.from, to: document.to, ...(document.replyTo ? { replyTo: document.replyTo } : {}),
    canonical, seal, documentSha256, sealSha256, report, recordedAt: now.toISOString(), state: "received", receipt,
  };
  change.newDocuments = [record];
  // The received document and the receipt we issue for it are archived in the same batch (issue 6).
  change.archive = [documentEntry(record), receiptEntry(record, receipt, record.recordedAt)];
  const caseStatus = change.caseWrite?.state.status;
  const hook = webhookDelivery(deps, owner, "document.received", {
    documentId: document.id, type: document.type, caseId: document.caseId, from: document.from, ...(caseStatus ? { caseStatus } : {}),
  }, now);
  if (hook) change.newDeliveries = [hook];
  try {
    await deps.store.commit(change);
  } catch (err) {
    // A concurrent copy of the same document won the race: answer as a replay would.
    if (err instanceof StoreError && err.code === "DUPLICATE_DOCUMENT") {
      const again = await answerReplay(deps, key, documentSha256, requestId);
      if (again) return { ...again, type: document.type };
    }
    if (err instanceof StoreError && err.code === "VERSION_CONFLICT") throw new GatewayError("CASE_CONFLICT", "the case changed concurrently; retry", { cause: err });
    throw err;
  }
  if (hook) deps.onQueued?.();
  return { status: 201 as const, receipt, documentId: document.id, type: document.type };
}

/**
 * The seal must verify (TOTAL_PASSED, fail closed), bind the agency in `document.from`, and, for an
 * agency hosted elsewhere, be a certificate the directory lists for it (rollover: old and new overlap).
 */
function verifySender(deps: GatewayDeps, document: Document, canonical: Uint8Array, seal: Uint8Array, now: Date) {
  const started = performance.now();
  const report = deps.verifier.verify(canonical, seal, now, "seal");
  deps.metrics.observe("jiexu_seal_verify_seconds", {}, (performance.now() - started) / 1000);
  const rejection = sealRejection(report, document.from);
  if (rejection) throw rejection;
  if (!deps.agencies.sealCertificateAccepted(document.from, report.signer!.certificateSha256, now)) {
    throw new GatewayError("SEAL_NOT_LISTED", `the seal certificate is not listed for agency ${document.from} in the directory`, { report });
  }
  return report;
}

/** What the document does to this agency's records: a case step, or (business receipt) an acknowledged delivery. */
async function caseChange(deps: GatewayDeps, document: Document, now: Date, requestId: string): Promise<StateChange> {
  const change: StateChange = {
    audit: [{ at: now.toISOString(), kind: "document.received", agencyId: document.to, caseId: document.caseId, documentId: document.id, requestId, detail: { from: document.from, type: document.type } }],
  };
  if (document.type === "business-receipt") {
    const acknowledged: DocumentKey = { ownerAgency: document.to, direction: "out", from: document.to, documentId: document.body.documentId };
    if (!(await deps.store.getDocument(acknowledged))) throw new GatewayError("DOCUMENT_NOT_FOUND", `business receipt for unknown document ${document.body.documentId}`);
    change.documentUpdates = [{ key: acknowledged, businessReceiptId: document.id }];
    return change;
  }
  const command = commandForDocument(document, "received", { now });
  if (command) change.caseWrite = applyCommand(deps, await loadCase(deps, document.to, document.caseId), command, now);
  return change;
}

/** Same (from, id) again: the original receipt for the same bytes, 409 and a security event for others. */
async function answerReplay(deps: GatewayDeps, key: DocumentKey, documentSha256: string, requestId: string) {
  const existing = await deps.store.getDocument(key);
  if (!existing) return undefined;
  if (existing.documentSha256 === documentSha256 && existing.receipt) {
    return { status: 200 as const, receipt: existing.receipt, documentId: key.documentId };
  }
  await deps.store.commit({
    audit: [{ at: deps.clock.now().toISOString(), kind: "security.equivocation", agencyId: key.ownerAgency, documentId: key.documentId, requestId, detail: { from: key.from, storedDigest: existing.documentSha256, offeredDigest: documentSha256 } }],
  });
  deps.logger.warn("security.equivocation", { from: key.from, documentId: key.documentId, requestId });
  throw new GatewayError("DOCUMENT_CONFLICT", `document ${key.documentId} from ${key.from} was already received with different content`);
}

// A shared decoder: decode() without { stream } keeps no state between calls.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(strictUtf8.decode(bytes));
  } catch (err) {
    throw new GatewayError("JSON_INVALID", `body is not UTF-8 JSON: ${(err as Error).message}`);
  }
}
