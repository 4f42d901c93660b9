import { CaseError, type CaseState } from "../../domain/transfer-case/index.ts";
import type { GatewayDeps } from "../deps.ts";
import { documentOf } from "../canonical.ts";
import { GatewayError } from "../errors.ts";
import type { CaseReads, DocumentReads } from "../ports.ts";

export interface LoadedCase {
  agencyId: string;
  caseId: string;
  version: number;
  state: CaseState;
}

/** What loading a case touches: its record, and the decider's initial state for one never seen. */
export type LoadCaseDeps = Pick<GatewayDeps, "decider"> & { store: CaseReads };

/**
 * This agency's view of a case, upgraded to the decider's policy (a state stored by an older version is
 * brought up to date before the next command decides on it); a case it has never seen is the decider's
 * initial state at version 0.
 */
export async function loadCase(deps: LoadCaseDeps, agencyId: string, caseId: string): Promise<LoadedCase> {
  const record = await deps.store.getCase(agencyId, caseId);
  return record
    ? { agencyId, caseId, version: record.version, state: deps.decider.upgrade(record.state) }
    : { agencyId, caseId, version: 0, state: deps.decider.initialState() };
}

/** A case the agency does not have is a 404 (an agency only ever sees its own cases). */
export function assertCaseExists(loaded: LoadedCase): LoadedCase {
  if (loaded.version === 0) throw caseNotFound(loaded.agencyId, loaded.caseId);
  return loaded;
}

export function caseNotFound(agencyId: string, caseId: string): GatewayError {
  return new GatewayError("CASE_NOT_FOUND", `no case ${caseId} for agency ${agencyId}`);
}

export function counterpartOf(state: CaseState): string {
  if (state.status === "empty") throw new CaseError("CASE_NOT_OPENED", "the case has not been opened");
  return state.counterpartId;
}

/** The types whose business rules read the rest of the case (src/domain/documents/rules/case-refs.ts, fund.ts). */
const READS_CASE: ReadonlySet<string> = new Set([
  "insurance-record",
  "fund-transfer",
  "completion",
  "return",
  "discrepancy",
]);

/**
 * What those rules read: the contact letter (payee, person, returned document), the records and fund transfers
 * (reconciliation, references, corrections). Receipts, completions and other answers are never read, so they
 * are not parsed. The whole case's documents of these types go in: reference rules tell "not in the case"
 * from "not loaded" by the presence of another document of the case (rules/case.ts).
 */
const READ_TYPES: ReadonlySet<string> = new Set(["contact-letter", "insurance-record", "fund-transfer"]);

/** The case documents a document's business rules read; none for a type whose rules read none. */
export async function relatedDocuments(
  deps: { store: DocumentReads },
  ownerAgency: string,
  caseId: string,
  type: string,
): Promise<unknown[]> {
  if (!READS_CASE.has(type)) return [];
  const records = await deps.store.caseDocuments(ownerAgency, caseId);
  return records.filter((r) => READ_TYPES.has(r.type)).map((r) => documentOf(r));
}
