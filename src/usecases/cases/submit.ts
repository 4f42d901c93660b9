import { CASE_STEP_TYPES, validateDocument, type Document, type DocumentType } from "../../domain/documents/index.ts";
import { CaseError, commandForDocument, type CaseCommand, type CaseState } from "../../domain/transfer-case/index.ts";
import { documentLeaf } from "../archive/index.ts";
import { canonicalBytes, decodeSeal, sentRecord, shanghaiTimestamp } from "../canonical.ts";
import { assertCaseExists, counterpartOf, relatedDocuments, type LoadedCase } from "./state.ts";
import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import type {
  CaseReads,
  Committer,
  DeliveryRecord,
  DocumentReads,
  DocumentRecord,
  HostedAgency,
  Principal,
} from "../ports.ts";
import { handleCaseCommand, type CaseBatch } from "./handle-command.ts";
import { requireAgency } from "../principal.ts";
import { summarizeDocument, type DocumentSummary } from "./queries.ts";
import { assertRoutable } from "./routing.ts";
import { sealRejection } from "./seal-checks.ts";
import { assertIssuedVoucher, assertCasePerson, assertNamesCaseVoucher, withCaseFacts } from "./voucher-checks.ts";
import { StoreError } from "../store-error.ts";
import { webhookDelivery } from "../delivery/index.ts";

/** What an agency submits in a case: its steps (receipts are issued by gateways, vouchers carried by the person). */
const SUBMITTABLE: readonly DocumentType[] = CASE_STEP_TYPES;

export type SubmitInput =
  /** `to`, when the caller names the recipient, must be the case's counterpart (the gateway addresses it). */
  | { type: DocumentType; body: unknown; id?: string; replyTo?: string; to?: string }
  /** Already sealed by the agency's own signing system; verified like an inbound document. */
  | { sealed: { document: Document; seal: string } };

/** What a submission touches: the case and its documents, the agency's seal key or the verifier, the outbox. */
export type SubmitDeps = Pick<
  GatewayDeps,
  "agencies" | "calendar" | "clock" | "decider" | "ids" | "metrics" | "onQueued" | "verifier"
> &
  Partial<Pick<GatewayDeps, "logger">> & {
    store: CaseReads & DocumentReads & Committer;
  };

/**
 * An agency submits a case document (issue 4 item 3): validate (schema + business rules), seal with
 * the agency's key (or verify the agency's own seal), apply the case decider, and queue it for the
 * counterpart — case version, document, delivery row and audit commit as one batch.
 */
export async function submitDocument(
  deps: SubmitDeps,
  principal: Principal,
  caseId: string,
  input: SubmitInput,
): Promise<DocumentSummary> {
  const agencyId = requireAgency(principal);
  const agency = deps.agencies.hosted(agencyId);
  if (!agency) throw new GatewayError("FORBIDDEN", `agency ${agencyId} is not hosted here`);
  const now = deps.clock.now();
  let document: Document | undefined;
  let record: DocumentRecord;
  try {
    record = await handleCaseCommand(deps, { agencyId, caseId }, async (loaded) => {
      // A retried attempt keeps the document id the first one drew.
      const checked = await checkedDocument(deps, agencyId, assertCaseExists(loaded), input, now, document?.id);
      document = checked;
      return {
        command: commandForDocument(checked, "sent", { now }),
        batch: (decided) => queued(deps, agency, checked, input, decided.state, now),
      };
    });
  } catch (err) {
    if (err instanceof StoreError && err.code === "DUPLICATE_DOCUMENT")
      throw new GatewayError("DOCUMENT_CONFLICT", `document ${document?.id} was already submitted`, { cause: err });
    throw err;
  }
  deps.metrics.count("jiexu_documents_out_total", { type: record.type, outcome: "queued" });
  deps.logger?.info("document.submitted", {
    caseId,
    documentId: record.documentId,
    type: record.type,
    from: record.from,
    to: record.to,
  });
  deps.onQueued?.();
  return summarizeDocument(record);
}

/** The document to submit, built here or taken pre-sealed, checked against the case: schema, rules, parties, route. */
async function checkedDocument(
  deps: SubmitDeps,
  agencyId: string,
  loaded: LoadedCase,
  input: SubmitInput,
  now: Date,
  id: string | undefined,
): Promise<Document> {
  const { caseId, state } = loaded;
  if (!("sealed" in input)) assertClaimedRecipient(input.to, counterpartOf(state), caseId);
  const document =
    "sealed" in input
      ? input.sealed.document
      : buildDocument(deps, withFacts(input, state, id), agencyId, counterpartOf(state), caseId, state, now);
  // A named type is refused before its rules: a voucher travels with the person (issue 11 item 1).
  if (!("sealed" in input)) assertSubmittable(document.type);
  // The sender's side before the document's rows (issue 15 item 6): a document the other side sends is refused
  // as WRONG_PARTY, not for its content. Other refusals wait: the rules name the field (a correction superseding
  // a stranger is REFERENCE_NOT_IN_CASE at /body/supersedes). The decider decides again on commit.
  // (A pre-sealed document is checked in the original order: its schema and sender first.)
  if (!("sealed" in input)) assertSendersSide(deps, commandForDocument(document, "sent", { now }), state);
  const related = await relatedDocuments(deps, agencyId, caseId, document.type);
  const emergencyWindows = deps.calendar.emergencyWindows;
  const problems = validateDocument(document, { now, related, emergencyWindows }).problems.filter(
    (p) => p.severity === "error",
  );
  if (problems.length) throw new GatewayError("DOCUMENT_INVALID", "the document is invalid", { problems });
  assertSubmittable(document.type);
  // Issue 11 item 1: the letter names the case's voucher; a record attaches only a voucher its sender issued.
  if ("sealed" in input) assertNamesCaseVoucher(document, state);
  assertCasePerson(document, state);
  await assertIssuedVoucher(deps, document);
  if (document.from !== agencyId || document.caseId !== caseId)
    throw new GatewayError(
      "REQUEST_INVALID",
      "a pre-sealed document must be from the calling agency and for this case",
    );
  // Issue 9 item 1: a case document goes to the case's counterpart and no one else.
  if (document.to !== counterpartOf(state))
    throw new GatewayError("WRONG_PARTY", `agency ${document.to} is not the counterpart in case ${caseId}`);
  assertRoutable(deps, document.to, now);
  return document;
}

/** The rest of the batch: the sealed record, its delivery to the counterpart, the webhook, archive entry and audit. */
function queued(
  deps: SubmitDeps,
  agency: HostedAgency,
  document: Document,
  input: SubmitInput,
  state: CaseState,
  now: Date,
): { change: CaseBatch; result: DocumentRecord } {
  const { caseId, from: agencyId } = document;
  const canonical = canonicalBytes(document);
  const { seal, report } =
    "sealed" in input
      ? checkOwnSeal(deps, canonical, input.sealed.seal, agencyId, now)
      : { seal: agency.sealKey.seal(canonical, now), report: undefined };
  const at = now.toISOString();
  const record = sentRecord(document, { canonical, seal }, { recordedAt: at, state: "queued", report });
  const delivery: DeliveryRecord = {
    id: deps.ids.newId("dlv"),
    kind: "document",
    ownerAgency: agencyId,
    documentId: document.id,
    target: document.to,
    state: "queued",
    attempts: 0,
    nextAttemptAt: at,
    createdAt: at,
    updatedAt: at,
  };
  const hook = webhookDelivery(
    deps,
    agency,
    "case.updated",
    { caseId, status: state.status, documentId: document.id, type: document.type },
    now,
  );
  const change = {
    newDocuments: [record],
    newDeliveries: hook ? [delivery, hook] : [delivery],
    archive: [documentLeaf()],
    audit: [
      {
        at,
        kind: "document.submitted",
        agencyId,
        caseId,
        documentId: document.id,
        detail: { type: document.type, to: document.to },
      },
    ],
  };
  return { change, result: record };
}

/** A recipient the caller named (a copied envelope's `to`) is the case's counterpart, or the submission is refused. */
function assertClaimedRecipient(to: string | undefined, counterpart: string, caseId: string): void {
  if (to !== undefined && to !== counterpart)
    throw new GatewayError(
      "WRONG_PARTY",
      `to: agency ${to} is not the counterpart in case ${caseId}, ${counterpart}; leave "to" out or name ${counterpart}`,
    );
}

function assertSubmittable(type: DocumentType): void {
  if (!SUBMITTABLE.includes(type))
    throw new GatewayError("TYPE_NOT_SUBMITTABLE", `${type} is not a case document an agency submits`);
}

/** The input with the case's facts a contact letter carries (voucher, priority reason) filled in; the id kept. */
function withFacts(
  input: { type: DocumentType; body: unknown; id?: string; replyTo?: string; to?: string },
  state: CaseState,
  id: string | undefined,
) {
  const { to: _checked, ...rest } = input;
  const body = input.type === "contact-letter" ? withCaseFacts(input.body, state) : input.body;
  return { ...rest, body, ...(id ? { id } : {}) };
}

function buildDocument(
  deps: Pick<GatewayDeps, "ids">,
  input: { type: DocumentType; body: unknown; id?: string; replyTo?: string },
  from: string,
  to: string,
  caseId: string,
  state: CaseState,
  now: Date,
): Document {
  return {
    jiexu: 1,
    id: input.id ?? deps.ids.newId("doc"),
    type: input.type,
    caseId,
    from,
    to,
    issuedAt: shanghaiTimestamp(now),
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
    ...(state.status !== "empty" && state.flags.priority ? { priority: "green" } : {}),
    body: input.body,
  } as Document;
}

function checkOwnSeal(
  deps: Pick<GatewayDeps, "verifier">,
  canonical: Uint8Array,
  sealB64: string,
  agencyId: string,
  now: Date,
) {
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

function assertSendersSide(deps: Pick<GatewayDeps, "decider">, command: CaseCommand | null, state: CaseState): void {
  if (!command) return;
  try {
    deps.decider.decide(command, state);
  } catch (err) {
    if (err instanceof CaseError && err.code === "WRONG_PARTY") throw err;
  }
}
