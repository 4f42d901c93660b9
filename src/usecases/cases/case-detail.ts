import type { CaseDocumentKind, CaseState, DocumentType } from "../../domain/transfer-case/index.ts";
import type { VerificationReport } from "../../pki/index.ts";
import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import type { CaseReads, DocumentReads, Principal } from "../ports.ts";
import { readableAgency } from "../principal.ts";
import { caseNotFound } from "./state.ts";

/**
 * What the console's case page shows beyond `describeCase` (issue 13 item 4): each document's full
 * verification report, and what the agency holding this view may send next with what the template needs
 * (the person in full — the agency's own record — and the ids of the documents the case holds).
 */
export interface CaseWorkbench {
  /** Full reports by `${direction}:${from}:${documentId}`. */
  reports: Record<string, VerificationReport>;
  /** Types this agency may submit now, in the order a transfer usually takes (a hint: the decider rules). */
  expects: DocumentType[];
  person?: { name: string; idNumber: string };
  transferIn?: string;
  transferOut?: string;
  /** The current document of each kind the case holds, by id. */
  documents: Partial<Record<CaseDocumentKind, string>>;
}

export async function readCaseWorkbench(
  deps: Pick<GatewayDeps, "decider"> & { store: CaseReads & DocumentReads },
  principal: Principal,
  caseId: string,
): Promise<CaseWorkbench> {
  const owner = readableAgency(principal);
  if (!owner) throw new GatewayError("FORBIDDEN", "a case's workbench belongs to an agency");
  const [record, documents] = await Promise.all([
    deps.store.getCase(owner, caseId),
    deps.store.caseDocuments(owner, caseId),
  ]);
  if (!record) throw caseNotFound(owner, caseId);
  const reports: Record<string, VerificationReport> = {};
  for (const d of documents) if (d.report) reports[`${d.direction}:${d.from}:${d.documentId}`] = d.report;
  const state = deps.decider.upgrade(record.state);
  if (state.status === "empty") return { reports, expects: [], documents: {} };
  const [transferIn, transferOut] =
    state.view === "transfer-in" ? [state.agencyId, state.counterpartId] : [state.counterpartId, state.agencyId];
  return {
    reports,
    expects: expectedDocuments(state),
    ...(state.person ? { person: state.person } : {}),
    transferIn,
    transferOut,
    documents: state.documents,
  };
}

/**
 * The documents the holder of this view can send in this state (66号 art 8 order): the contact letter; record
 * and funds (either order) or a return; completion or a discrepancy; the corrections a discrepancy awaits.
 */
export function expectedDocuments(state: CaseState): DocumentType[] {
  if (state.status === "empty") return [];
  const sent = (kind: CaseDocumentKind) => state.documents[kind] !== undefined;
  if (state.view === "transfer-in") {
    if (state.status === "application-registered") return ["contact-letter"];
    if (state.status === "awaiting-completion") return ["completion", "discrepancy"];
    return [];
  }
  if (state.status === "contact-letter-received") {
    const owed = (["insurance-record", "fund-transfer"] as const).filter((k) => !sent(k));
    return owed.length === 2 ? [...owed, "return"] : owed;
  }
  if (state.status === "discrepancy-raised") {
    const { disputed, corrected } = state.discrepancy;
    return [...new Set(disputed.map((d) => d.kind))].filter((k) => !corrected.includes(k));
  }
  return [];
}
