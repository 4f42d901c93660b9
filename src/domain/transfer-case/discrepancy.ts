import type {
  ReceiveDiscrepancy,
  ReceiveFundTransfer,
  ReceiveInsuranceRecord,
  SendDiscrepancy,
  SendFundTransfer,
  SendInsuranceRecord,
} from "./commands.ts";
import { nextDeadline, type DeadlinePolicy } from "./deadlines.ts";
import type { CaseEvent } from "./events.ts";
import { illegal, invalid, requireStatus } from "./guards.ts";
import type { CorrectableKind, OpenCase } from "./types.ts";

/**
 * 核对不符 (discrepancy.schema.json): the transfer-in agency answers a record or fund transfer that does not
 * reconcile; 66号 art 8(四) lets it complete only once information and funds match. The case is held
 * until the transfer-out agency supersedes every disputed document with a correction.
 */

type RecordOrFunds = SendInsuranceRecord | ReceiveInsuranceRecord | SendFundTransfer | ReceiveFundTransfer;

const KINDS: readonly CorrectableKind[] = ["insurance-record", "fund-transfer"];

const transferInOf = (state: OpenCase) => (state.view === "transfer-in" ? state.agencyId : state.counterpartId);
const transferOutOf = (state: OpenCase) => (state.view === "transfer-out" ? state.agencyId : state.counterpartId);

/** The kinds a discrepancy disputes: each id must be the case's current record or fund transfer. */
function disputedKinds(state: OpenCase, ids: unknown): { kind: CorrectableKind; documentId: string }[] {
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== "string" || id === ""))
    invalid("disputedDocumentIds must be a non-empty list of document ids");
  const disputed = KINDS.filter((kind) => ids.includes(state.documents[kind])).map((kind) => ({
    kind,
    documentId: state.documents[kind] as string,
  }));
  const unknown = ids.filter((id) => !disputed.some((d) => d.documentId === id));
  if (unknown.length > 0)
    invalid(`disputed ${unknown.join(", ")} is not this case's current insurance record or fund transfer`);
  return disputed;
}

/**
 * Once the record and/or funds have moved (before completion), one discrepancy at a time. The correction
 * step opens, owed by the transfer-out agency: no rule gives it a term, so it runs the step clock of
 * 66号 art 8(三) (record and funds within 15 WD) by analogy.
 */
export function raiseDiscrepancy(
  policy: DeadlinePolicy,
  command: SendDiscrepancy | ReceiveDiscrepancy,
  state: OpenCase,
): CaseEvent[] {
  const waiting = state.view === "transfer-in" ? "contact-letter-sent" : "contact-letter-received";
  requireStatus(command, state, waiting, "awaiting-completion");
  if (KINDS.every((kind) => state.documents[kind] === undefined))
    illegal(command, state, "no insurance record or fund transfer has moved yet");
  const disputed = disputedKinds(state, command.data.disputedDocumentIds);
  const deadline = nextDeadline(policy, state, "correction", transferOutOf(state), command.metadata.now);
  const { documentId, reasonCode } = command.data;
  const type = command.type === "SendDiscrepancy" ? "DiscrepancySent" : "DiscrepancyReceived";
  return [
    {
      type,
      caseId: state.caseId,
      at: command.metadata.now.toISOString(),
      data: { documentId, reasonCode, disputed, deadline },
    },
  ];
}

const EVENT = {
  SendInsuranceRecord: "InsuranceRecordSent",
  ReceiveInsuranceRecord: "InsuranceRecordReceived",
  SendFundTransfer: "FundTransferSent",
  ReceiveFundTransfer: "FundTransferReceived",
} as const;

/** The event a record or fund transfer stands for (`supersedes` and the record's voucher ride along). */
export function movedEvent(command: RecordOrFunds): CaseEvent {
  const { documentId, supersedes } = command.data;
  const voucher = "voucher" in command.data ? command.data.voucher : undefined;
  return {
    type: EVENT[command.type],
    caseId: command.caseId,
    at: command.metadata.now.toISOString(),
    data: {
      documentId,
      ...(supersedes !== undefined ? { supersedes } : {}),
      ...(voucher ? { voucher: { id: voucher.id, sha256: voucher.sha256 } } : {}),
    },
  } as CaseEvent;
}

/**
 * A corrected record or fund transfer: only while a discrepancy is open, only for a kind it disputes and
 * has not yet seen corrected, naming the current document of that kind. When it is the last one owed, the
 * hold ends: completion clock (owed by the transfer-in agency) if record and funds are both present,
 * otherwise a fresh record-and-funds clock.
 */
export function correct(
  policy: DeadlinePolicy,
  command: RecordOrFunds,
  state: OpenCase,
  kind: CorrectableKind,
): CaseEvent[] {
  requireStatus(command, state, "discrepancy-raised");
  const { discrepancy } = state;
  if (!discrepancy.disputed.some((d) => d.kind === kind)) illegal(command, state, `the ${kind} is not disputed`);
  if (discrepancy.corrected.includes(kind)) illegal(command, state, `the ${kind} is already corrected`);
  const current = state.documents[kind];
  if (command.data.supersedes !== current) invalid(`supersedes must name the case's current ${kind} ${current}`);
  if (command.data.documentId === current) invalid("a correction needs its own document id");
  const events = [movedEvent(command)];
  const owed = discrepancy.disputed.filter((d) => d.kind !== kind && !discrepancy.corrected.includes(d.kind));
  if (owed.length > 0) return events;
  const other: CorrectableKind = kind === "insurance-record" ? "fund-transfer" : "insurance-record";
  const now = command.metadata.now;
  const deadline =
    state.documents[other] !== undefined
      ? nextDeadline(policy, state, "completion", transferInOf(state), now)
      : nextDeadline(policy, state, "record-and-funds", transferOutOf(state), now);
  const resolved: CaseEvent = {
    type: "DiscrepancyResolved",
    caseId: state.caseId,
    at: now.toISOString(),
    data: { documentId: discrepancy.documentId, deadline },
  };
  return [...events, resolved];
}
