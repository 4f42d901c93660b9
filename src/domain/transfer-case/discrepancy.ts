import type {
  ReceiveDiscrepancy,
  ReceiveFundTransfer,
  ReceiveInsuranceRecord,
  SendDiscrepancy,
  SendFundTransfer,
  SendInsuranceRecord,
} from "./commands.ts";
import { nextDeadline, recomputeDeadline, type DeadlinePolicy } from "./deadlines.ts";
import type { CaseEvent } from "./events.ts";
import { checkVoucher } from "./facts.ts";
import { illegal, invalid, requireStatus } from "./guards.ts";
import { transferInOf, transferOutOf, type CorrectableKind, type Deadline, type OpenCase } from "./types.ts";

/**
 * 核对不符 (discrepancy.schema.json): the transfer-in agency answers a record or fund transfer that does not
 * reconcile; 66号 art 8(四) lets it complete only once information and funds match. The case is held
 * until the transfer-out agency supersedes every disputed document with a correction.
 */

type RecordOrFunds = SendInsuranceRecord | ReceiveInsuranceRecord | SendFundTransfer | ReceiveFundTransfer;

const KINDS: readonly CorrectableKind[] = ["insurance-record", "fund-transfer"];

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

/**
 * The event a record or fund transfer stands for (`supersedes` rides along). A record's `voucher` is checked
 * here (CASE_COMMAND_INVALID when malformed) and the event carries the checked `{ id, sha256 }`.
 */
export function movedEvent(command: RecordOrFunds): CaseEvent {
  const { documentId, supersedes } = command.data;
  const voucher = "voucher" in command.data ? checkVoucher(command.data.voucher) : undefined;
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
 * The clock after the hold. Record and funds both present: the completion step, fresh (66号 art 8(四): 15 WD
 * from receiving matching relation and funds), owed by the transfer-in agency. One still missing: the
 * record-and-funds deadline that was open before the discrepancy resumes (with the windows declared since),
 * so a correction never extends the transfer-out agency's 66号 art 8(三) clock.
 */
function afterHold(policy: DeadlinePolicy, state: OpenCase, held: Deadline | undefined, now: Date): Deadline {
  if (state.documents["insurance-record"] !== undefined && state.documents["fund-transfer"] !== undefined)
    return nextDeadline(policy, state, "completion", transferInOf(state), now);
  if (held?.step === "record-and-funds") return recomputeDeadline(policy, held, state.emergencyWindows);
  return nextDeadline(policy, state, "record-and-funds", transferOutOf(state), now);
}

/**
 * A corrected record or fund transfer (its moved event is the caller's): only while a discrepancy is open,
 * only for a kind it disputes and has not yet seen corrected, naming the current document of that kind.
 * Returns what follows the moved event: when it is the last correction owed, the hold ends.
 */
export function correct(
  policy: DeadlinePolicy,
  command: RecordOrFunds,
  state: OpenCase,
  kind: CorrectableKind,
): CaseEvent[] {
  requireStatus(command, state, "discrepancy-raised");
  const { discrepancy } = state;
  if (!discrepancy.disputed.some((d) => d.kind === kind))
    illegal(command, state, `the ${kind.replace("-", " ")} is not disputed`);
  if (discrepancy.corrected.includes(kind))
    illegal(command, state, `the ${kind.replace("-", " ")} is already corrected`);
  const current = state.documents[kind];
  if (command.data.supersedes !== current) invalid(`supersedes must name the case's current ${kind} ${current}`);
  if (command.data.documentId === current) invalid("a correction needs its own document id");
  const owed = discrepancy.disputed.filter((d) => d.kind !== kind && !discrepancy.corrected.includes(d.kind));
  if (owed.length > 0) return [];
  const now = command.metadata.now;
  const deadline = afterHold(policy, state, discrepancy.heldDeadline, now);
  const data = { documentId: discrepancy.documentId, deadline };
  return [{ type: "DiscrepancyResolved", caseId: state.caseId, at: now.toISOString(), data }];
}
