import { validateDocument, type Document, type DocumentType } from "../domain/documents/index.ts";
import { commandForDocument } from "../domain/transfer-case/index.ts";
import { documentEntry } from "./archive-entries.ts";
import { canonicalBytes, decodeSeal, sha256Hex, shanghaiTimestamp } from "./canonical.ts";
import { applyCommand, counterpartOf, relatedDocuments, requireCase } from "./case-state.ts";
import type { GatewayDeps } from "./deps.ts";
import { GatewayError } from "./errors.ts";
import type { DeliveryRecord, DocumentRecord, Principal } from "./ports.ts";
import { requireAgency } from "./principal.ts";
import { summarizeDocument, type DocumentSummary } from "./queries.ts";
import { assertRoutable } from "./routing.ts";
import { sealRejection } from "./seal-checks.ts";
import { StoreError } from "./store-error.ts";
import { webhookDelivery } from "./webhooks.ts";

const SUBMITTABLE: readonly DocumentType[] = ["contact-letter", "insurance-record", "fund-transfer", "return", "completion"];

export type SubmitInput =
  | { type: DocumentType; body: unknown; id?: string; replyTo?: string }
  /** Already sealed by the agency's own signing system; verified like an inbound document. */
  | { sealed: { document: Document; seal: string } };

/**
 * An agency submits a case document (issue 4 item 3): validate (schema + business rules), seal with
 * the agency's key (or verify the agency's own seal), apply the case decider, and queue it for the
 * counterpart — case version, document, delivery row and audit commit as one batch.
 */
export async function submitDocument(deps: GatewayDeps, principal: Principal, caseId: string, input: SubmitInput): Promise<DocumentSummary> {
  const agencyId = requireAgency(principal);
  const agency = deps.agencies.hosted(agencyId);
  if (!agency) throw new GatewayError("FORBIDDEN", `agency ${agencyId} is not hosted here`);
  const now = deps.clock.now();
  const loaded = await requireCase(deps, agencyId, caseId);
  const document = "sealed" in input ? input.sealed.document : buildDocument(deps, input, agencyId, counterpartOf(loaded.state), caseId, loaded.state, now);
  const related = await relatedDocuments(deps, agencyId, caseId, document.type);
  const problems = validateDocument(document, { now, related }).problems.filter((p) => p.severity === "error");
  if (problems.length) throw new GatewayError("DOCUMENT_INVALID", "the document is invalid", { problems });
  if (!SUBMITTABLE.includes(document.type)) throw new GatewayError("TYPE_NOT_SUBMITTABLE", `${document.type} is not a case document an agency submits`);
  if (document.from !== agencyId || document.caseId !== caseId) throw new GatewayError("REQUEST_INVALID", "a pre-sealed document must be from the calling agency and for this case");
  // Issue 9 item 1: a case document goes to the case's counterpart and no one else.
  if (document.to !== counterpartOf(loaded.state)) throw new GatewayError("WRONG_PARTY", `agency ${document.to} is not the counterpart in case ${caseId}`);
  assertRoutable(deps, document.to, now);

  const command = commandForDocument(document, "sent", { now });
  const caseWrite = applyCommand(deps, loaded, command!, now);
  const canonical = canonicalBytes(document);
  const { seal, report } = "sealed" in input ? checkOwnSeal(deps, canonical, input.sealed.seal, agencyId, now) : { seal: agency.sealKey.seal(canonical, now), report: undefined };
  const at = now.toISOString();
  const record: DocumentRecord = {
    ownerAgency: agencyId, direction: "out", documentId: document.id, type: document.type, caseId, from: agencyId, to: document.to,
    ...(document.replyTo ? { replyTo: document.replyTo } : {}), canonical, seal,
    documentSha256: sha256Hex(canonical), sealSha256: sha256Hex(seal), ...(report ? { report } : {}), recordedAt: at, state: "queued",
  };
  const delivery: DeliveryRecord = {
    id: deps.ids.newId("dlv"), kind: "document", ownerAgency: agencyId, documentId: document.id, target: document.to,
    state: "queued", attempts: 0, nextAttemptAt: at, createdAt: at, updatedAt: at,
  };
  const hook = webhookDelivery(deps, agency, "case.updated", { caseId, status: caseWrite.state.status, documentId: document.id, type: document.type }, now);
  try {
    await deps.store.commit({
      caseWrite, newDocuments: [record], newDeliveries: hook ? [delivery, hook] : [delivery], archive: [documentEntry(record)],
      audit: [{ at, kind: "document.submitted", agencyId, caseId, documentId: document.id, detail: { type: document.type, to: document.to } }],
    });
  } catch (err) {
    if (err instanceof StoreError && err.code === "DUPLICATE_DOCUMENT") throw new GatewayError("DOCUMENT_CONFLICT", `document ${document.id} was already submitted`, { cause: err });
    if (err instanceof StoreError && err.code === "VERSION_CONFLICT") throw new GatewayError("CASE_CONFLICT", "the case changed concurrently; retry", { cause: err });
    throw err;
  }
  deps.metrics.count("jiexu_documents_out_total", { type: document.type, outcome: "queued" });
  deps.onQueued?.();
  return summarizeDocument(record);
}

function buildDocument(
  deps: GatewayDeps, input: { type: DocumentType; body: unknown; id?: string; replyTo?: string },
  from: string, to: string, caseId: string, state: { status: string; flags?: { priority: boolean } }, now: Date,
): Document {
  return {
    jiexu: 1, id: input.id ?? deps.ids.newId("doc"), type: input.type, caseId, from, to, issuedAt: shanghaiTimestamp(now),
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
    ...(state.flags?.priority ? { priority: "green" } : {}),
    body: input.body,
  } as Document;
}

function checkOwnSeal(deps: GatewayDeps, canonical: Uint8Array, sealB64: string, agencyId: string, now: Date) {
  let seal: Uint8Array;
  try {
    seal = decodeSeal(sealB64);
  } catch {
    throw new GatewayError("SEAL_INVALID", "the seal is not base64");
  }
  const report = deps.verifier.verify(canonical, seal, now, "seal");
  const rejection = sealRejection(report, agencyId);
  if (rejection) throw rejection;
  return { seal, report };
}
