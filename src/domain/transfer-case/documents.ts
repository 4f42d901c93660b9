import type { CaseCommand, VoucherRef } from "./commands.ts";
import { CaseError } from "./errors.ts";
import { record, text } from "./facts.ts";
import type { CasePerson, CasePriority, CaseView, VoucherCheck } from "./types.ts";

/** Document `type`s of the wire contract (docs/business-flow.md "The transfer flow"). */
export type DocumentType =
  | "contact-letter"
  | "insurance-record"
  | "fund-transfer"
  | "return"
  | "completion"
  | "discrepancy"
  | "contribution-voucher"
  | "receipt"
  | "business-receipt";

/** Types that close deliveries or travel with the person, not case steps. */
type NoStep = "receipt" | "business-receipt" | "contribution-voucher";
const NO_STEP: readonly string[] = ["receipt", "business-receipt", "contribution-voucher"];

/** Whether this gateway's agency sent the document or received it. */
export type Direction = "sent" | "received";

/** The envelope fields the case needs (a validated document is assignable). */
export interface CaseDocument {
  id: string;
  type: string;
  caseId: string;
  from: string;
  to: string;
  /** Envelope priority: "green" is the green channel (document.schema.json). */
  priority?: "normal" | "green";
  body?: unknown;
}

/** The instant of sending/receipt, and facts the gateway knows beside the document. */
export interface DocumentContext {
  now: Date;
  /** Overrides the contact letter's `body.temporaryAccount` (e.g. from an assessment). */
  temporaryAccount?: boolean;
  /** Received contact letter naming a voucher: the use case's check of it against this agency's archive. */
  voucherCheck?: VoucherCheck;
}

// Which side sends each case document; the receiver plays the other side.
const SENDER: Record<Exclude<DocumentType, NoStep>, CaseView> = {
  "contact-letter": "transfer-in",
  "insurance-record": "transfer-out",
  "fund-transfer": "transfer-out",
  return: "transfer-out",
  completion: "transfer-in",
  discrepancy: "transfer-in",
};

// return.schema.json: `reasonCode` (closed list) and `explanation`; missing ones make the
// decider refuse the command as CASE_COMMAND_INVALID rather than record an empty reason.
function reasonOf(body: unknown): { reasonCode: string; explanation: string } {
  const { reasonCode, explanation } = record(body) ?? {};
  return { reasonCode: text(reasonCode) ? reasonCode : "", explanation: text(explanation) ? explanation : "" };
}

/**
 * contact-letter.schema.json carries `temporaryAccount`, `person`, `voucher` and `priority` (with its reason);
 * the envelope's `priority: "green"` alone still marks the green channel, with the reason OTHER.
 */
function letterFacts(doc: CaseDocument, context: DocumentContext) {
  const body = record(doc.body) ?? {};
  const green = doc.priority === "green";
  const priority = body.priority !== undefined ? body.priority : green ? { reasonCode: "OTHER" } : undefined;
  const ref = body.voucher === undefined ? undefined : (record(body.voucher) ?? {});
  const person = body.person === undefined ? undefined : (record(body.person) ?? {});
  // Object.assign, not spreads followed by members (a hidden class per literal in Node 20: docs/ingest-performance.md).
  // The voucher reference keeps its spreads: its keys are the sender's, and Object.assign would treat a `__proto__`
  // member differently.
  return Object.assign(
    { temporaryAccount: context.temporaryAccount ?? body.temporaryAccount === true },
    priority !== undefined ? { priority: priority as CasePriority } : undefined,
    person ? { person: { name: person.name, idNumber: person.idNumber } as CasePerson } : undefined,
    ref
      ? {
          voucher: {
            ...(ref as unknown as VoucherRef),
            ...(context.voucherCheck ? { check: context.voucherCheck } : {}),
          },
        }
      : undefined,
  );
}

/** A correction's `supersedes` and a record's `voucher` (insurance-record / fund-transfer schemas). */
function correctionOf(doc: CaseDocument): { supersedes?: string; voucher?: VoucherRef } {
  const { supersedes, voucher } = record(doc.body) ?? {};
  return {
    ...(supersedes !== undefined ? { supersedes: supersedes as string } : {}),
    ...(doc.type === "insurance-record" && voucher !== undefined ? { voucher: voucher as VoucherRef } : {}),
  };
}

// discrepancy.schema.json: `reasonCode` and `disputedDocumentIds`, checked by the decider.
function discrepancyOf(body: unknown): { reasonCode: string; disputedDocumentIds: string[] } {
  const { reasonCode, disputedDocumentIds } = record(body) ?? {};
  return {
    reasonCode: text(reasonCode) ? reasonCode : "",
    disputedDocumentIds: Array.isArray(disputedDocumentIds) ? (disputedDocumentIds as string[]) : [],
  };
}

/**
 * The case command a sent or received document stands for, or `null` for transport and business
 * receipts (they close deliveries, not case steps) and contribution vouchers (the person carries them). The actor is the agency on this
 * gateway's side: the sender of a sent document, the addressee of a received one.
 */
export function commandForDocument(
  doc: CaseDocument,
  direction: Direction,
  context: DocumentContext,
): CaseCommand | null {
  if (NO_STEP.includes(doc.type)) return null;
  if (!Object.hasOwn(SENDER, doc.type))
    throw new CaseError("CASE_COMMAND_INVALID", `document type ${JSON.stringify(doc.type)} has no case step`);
  const type = doc.type as keyof typeof SENDER;
  const sent = direction === "sent";
  const senderSide = SENDER[type];
  const role: CaseView = sent ? senderSide : senderSide === "transfer-in" ? "transfer-out" : "transfer-in";
  const metadata = {
    now: context.now,
    actor: { agencyId: sent ? doc.from : doc.to, role },
    counterpartId: sent ? doc.to : doc.from,
  };
  // Members written out, not `{ ...base, type, data }` (a hidden class per literal in Node 20:
  // docs/ingest-performance.md).
  const caseId = doc.caseId;
  const documentId = doc.id;
  switch (type) {
    case "contact-letter":
      return sent
        ? { caseId, metadata, type: "SendContactLetter", data: { documentId } }
        : {
            caseId,
            metadata,
            type: "ReceiveContactLetter",
            data: Object.assign({ documentId, counterpartId: doc.from }, letterFacts(doc, context)),
          };
    case "insurance-record": {
      const data = { documentId, ...correctionOf(doc) };
      return { caseId, metadata, type: sent ? "SendInsuranceRecord" : "ReceiveInsuranceRecord", data };
    }
    case "fund-transfer": {
      const { supersedes } = correctionOf(doc);
      const data = { documentId, ...(supersedes !== undefined ? { supersedes } : {}) };
      return { caseId, metadata, type: sent ? "SendFundTransfer" : "ReceiveFundTransfer", data };
    }
    case "discrepancy": {
      const data = { documentId, ...discrepancyOf(doc.body) };
      return { caseId, metadata, type: sent ? "SendDiscrepancy" : "ReceiveDiscrepancy", data };
    }
    case "return":
      return {
        caseId,
        metadata,
        type: sent ? "SendReturn" : "ReceiveReturn",
        data: { documentId, ...reasonOf(doc.body) },
      };
    case "completion":
      return { caseId, metadata, type: sent ? "SendCompletion" : "ReceiveCompletion", data: { documentId } };
    default: {
      const unknown: never = type;
      return unknown;
    }
  }
}
