import type { CaseCommand } from "./commands.ts";
import { CaseError } from "./errors.ts";
import type { CaseView } from "./types.ts";

/** Document `type`s of the wire contract (docs/business-flow.md "The transfer flow"). */
export type DocumentType =
  | "contact-letter"
  | "insurance-record"
  | "fund-transfer"
  | "return"
  | "completion"
  | "receipt"
  | "business-receipt";

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
  priority?: "normal" | "green" | boolean;
  body?: unknown;
}

/** The instant of sending/receipt, and facts the gateway knows beside the document. */
export interface DocumentContext {
  now: Date;
  /** Overrides the contact letter's `body.temporaryAccount` (e.g. from an assessment). */
  temporaryAccount?: boolean;
}

// Which side sends each case document; the receiver plays the other side.
const SENDER: Record<Exclude<DocumentType, "receipt" | "business-receipt">, CaseView> = {
  "contact-letter": "transfer-in",
  "insurance-record": "transfer-out",
  "fund-transfer": "transfer-out",
  return: "transfer-out",
  completion: "transfer-in",
};

function fieldsOf(body: unknown): Record<string, unknown> {
  return (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
}

// return.schema.json: `reasonCode` (closed list) and `explanation`; missing ones make the
// decider refuse the command as CASE_COMMAND_INVALID rather than record an empty reason.
function reasonOf(body: unknown): { reasonCode: string; explanation: string } {
  const { reasonCode, explanation } = fieldsOf(body);
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  return { reasonCode: text(reasonCode), explanation: text(explanation) };
}

/** contact-letter.schema.json carries `temporaryAccount`; the envelope carries `priority`. */
function flagsOf(doc: CaseDocument, context: DocumentContext): { priority: boolean; temporaryAccount: boolean } {
  const priority = doc.priority === "green" || doc.priority === true;
  return { priority, temporaryAccount: context.temporaryAccount ?? fieldsOf(doc.body).temporaryAccount === true };
}

/**
 * The case command a sent or received document stands for, or `null` for transport and
 * business receipts (they close deliveries, not case steps). The actor is the agency on this
 * gateway's side: the sender of a sent document, the addressee of a received one.
 */
export function commandForDocument(
  doc: CaseDocument,
  direction: Direction,
  context: DocumentContext,
): CaseCommand | null {
  if (doc.type === "receipt" || doc.type === "business-receipt") return null;
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
  const base = { caseId: doc.caseId, metadata };
  const documentId = doc.id;
  switch (type) {
    case "contact-letter":
      return sent
        ? { ...base, type: "SendContactLetter", data: { documentId } }
        : {
            ...base,
            type: "ReceiveContactLetter",
            data: { documentId, counterpartId: doc.from, ...flagsOf(doc, context) },
          };
    case "insurance-record":
      return { ...base, type: sent ? "SendInsuranceRecord" : "ReceiveInsuranceRecord", data: { documentId } };
    case "fund-transfer":
      return { ...base, type: sent ? "SendFundTransfer" : "ReceiveFundTransfer", data: { documentId } };
    case "return":
      return { ...base, type: sent ? "SendReturn" : "ReceiveReturn", data: { documentId, ...reasonOf(doc.body) } };
    case "completion":
      return { ...base, type: sent ? "SendCompletion" : "ReceiveCompletion", data: { documentId } };
    default: {
      const unknown: never = type;
      return unknown;
    }
  }
}
