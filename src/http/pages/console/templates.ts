import completion from "../../../../schemas/examples/completion.json" with { type: "json" };
import contactLetter from "../../../../schemas/examples/contact-letter.json" with { type: "json" };
import voucher from "../../../../schemas/examples/contribution-voucher.json" with { type: "json" };
import discrepancy from "../../../../schemas/examples/discrepancy.json" with { type: "json" };
import fundTransfer from "../../../../schemas/examples/fund-transfer.json" with { type: "json" };
import insuranceRecord from "../../../../schemas/examples/insurance-record.json" with { type: "json" };
import returned from "../../../../schemas/examples/return.json" with { type: "json" };
import type { CaseWorkbench } from "../../../usecases/index.ts";

/**
 * Prefilled bodies for the console's forms (issue 13 item 4): the schema examples, rewritten with what the
 * case or the signed-in agency already knows, so staff edit the facts instead of typing the structure.
 */
const EXAMPLES: Record<string, { body: unknown }> = {
  "contact-letter": contactLetter,
  "insurance-record": insuranceRecord,
  "fund-transfer": fundTransfer,
  return: returned,
  discrepancy,
  completion,
};

type Json = Record<string, unknown>;
const clone = <T>(value: T): T => structuredClone(value);

export interface Party {
  divisionCode: string;
  agencyName: string;
}

/** The example body of a document type with the case's person, parties and document ids filled in. */
export function documentTemplate(
  type: string,
  bench: CaseWorkbench,
  name: (agencyId: string) => string,
): string | undefined {
  const example = EXAMPLES[type];
  if (!example) return undefined;
  const body = clone(example.body) as Json;
  if (bench.person && body.person) body.person = { ...(body.person as Json), ...bench.person };
  const docs = bench.documents;
  const party = (id: string | undefined, at: unknown) =>
    id ? { ...(at as Json), divisionCode: id, agencyName: name(id) } : at;
  if (type === "contact-letter") {
    body.transferOut = party(bench.transferOut, body.transferOut);
    body.transferIn = party(bench.transferIn, body.transferIn);
  }
  if (type === "fund-transfer" && docs["insurance-record"]) body.insuranceRecordId = docs["insurance-record"];
  if (type === "completion") {
    if (docs["insurance-record"]) body.insuranceRecordId = docs["insurance-record"];
    if (docs["fund-transfer"]) body.fundTransferId = docs["fund-transfer"];
  }
  if (type === "return" && docs["contact-letter"]) body.returnedDocumentId = docs["contact-letter"];
  if (type === "discrepancy" && docs["insurance-record"]) {
    body.disputedDocumentIds = [docs["insurance-record"]];
    body.findings = (body.findings as Json[]).map((f) => ({ ...f, documentId: docs["insurance-record"] }));
  }
  return JSON.stringify(body, null, 2);
}

/** The example voucher rewritten for the issuing agency: envelope parties and the issuing agency's name. */
export function voucherTemplate(issuer: Party): string {
  const body = clone(voucher.body) as Json;
  body.issuingAgency = { ...(body.issuingAgency as Json), ...issuer };
  return JSON.stringify(body, null, 2);
}
