import { formatFen } from "../../money.ts";
import { pointer, problem, type Problem } from "../problems.ts";
import { CASE_STEP_TYPES, type Document, type DocumentOf, type DocumentType } from "../types.ts";
import { caseDocumentsOf, isCaseKnown, isSuperseded } from "./case.ts";
import type { RuleContext } from "./context.ts";

const TYPE_NAMES: Partial<Record<DocumentType, string>> = {
  "contact-letter": "联系函",
  "insurance-record": "信息表",
  "fund-transfer": "基金划转",
};

/**
 * `current`: the target must be the case's current one (no correction supersedes it). `ahead`: the target may
 * not be in the case yet while the case holds none of its types (the money may go before its record).
 */
type Reference = { path: string; id: string; types: DocumentType[]; current?: boolean; ahead?: boolean };

/**
 * Every id a case document names must be a document of the case of the right type (docs/money-rules.md
 * "Cross-document rules"): a completion names the current record and fund transfer, a return the contact
 * letter, a discrepancy the record or fund transfer it disputes, a correction the document it supersedes. A
 * fund transfer may name a record not sent yet; once the case holds a record it must name the current one.
 */
export function checkReferences(doc: Document, ctx: RuleContext): Problem[] {
  if (!isCaseKnown(doc, ctx.related)) return [];
  return referencesOf(doc).flatMap((ref) => referenceProblem(doc, ctx.related, ref));
}

function referencesOf(doc: Document): Reference[] {
  const record: DocumentType[] = ["insurance-record"];
  const transfer: DocumentType[] = ["fund-transfer"];
  const at = (...segments: (string | number)[]) => pointer("body", ...segments);
  switch (doc.type) {
    case "completion":
      return [
        { path: at("insuranceRecordId"), id: doc.body.insuranceRecordId, types: record, current: true },
        { path: at("fundTransferId"), id: doc.body.fundTransferId, types: transfer, current: true },
      ];
    case "return":
      return [{ path: at("returnedDocumentId"), id: doc.body.returnedDocumentId, types: ["contact-letter"] }];
    case "discrepancy":
      return [
        ...doc.body.disputedDocumentIds.map((id, k) => ({
          path: at("disputedDocumentIds", k),
          id,
          types: [...record, ...transfer],
        })),
        ...doc.body.findings.map((f, k) => ({
          path: at("findings", k, "documentId"),
          id: f.documentId,
          types: [...record, ...transfer],
        })),
      ];
    case "fund-transfer":
      return [
        { path: at("insuranceRecordId"), id: doc.body.insuranceRecordId, types: record, current: true, ahead: true },
        ...(doc.body.supersedes ? [{ path: at("supersedes"), id: doc.body.supersedes, types: transfer }] : []),
      ];
    case "insurance-record":
      return doc.body.supersedes ? [{ path: at("supersedes"), id: doc.body.supersedes, types: record }] : [];
    default:
      return [];
  }
}

function referenceProblem(doc: Document, related: readonly Document[], ref: Reference): Problem[] {
  const candidates = ref.types.flatMap((type) => caseDocumentsOf(doc, related, type));
  const target = candidates.find((d) => d.id === ref.id);
  const names = ref.types.map((t) => TYPE_NAMES[t] ?? t).join("或");
  if (ref.ahead && candidates.length === 0) return [];
  if (!target) {
    return [problem("REFERENCE_NOT_IN_CASE", ref.path, `文书编号 ${ref.id} 不是本案（${doc.caseId}）的${names}`)];
  }
  const corrections = candidates.filter(
    (d): d is DocumentOf<"insurance-record"> | DocumentOf<"fund-transfer"> =>
      d.type === "insurance-record" || d.type === "fund-transfer",
  );
  if (ref.current && isSuperseded(ref.id, corrections)) {
    return [
      problem("REFERENCE_NOT_IN_CASE", ref.path, `${names} ${ref.id} 已被更正的${names}取代，应引用更正后的文书`),
    ];
  }
  return [];
}

const PAYEE_FIELDS = {
  accountNumber: "银行账号",
  accountName: "开户全称",
  bankName: "开户银行",
  clearingCode: "联行号",
} as const;

/**
 * The money goes to the account the transfer-in agency named in its 联系函 (66号 art 8(二)–(三)): account
 * number, name and bank equal, and the 联行号 when both give one.
 */
export function checkPayee(doc: Document, ctx: RuleContext): Problem[] {
  if (doc.type !== "fund-transfer") return [];
  const letter = caseDocumentsOf(doc, ctx.related, "contact-letter")[0];
  if (!letter) return [];
  const wanted = letter.body.receivingAccount;
  const payee = doc.body.payee;
  const fields = Object.keys(PAYEE_FIELDS) as (keyof typeof PAYEE_FIELDS)[];
  return fields
    .filter((field) => {
      if (field === "clearingCode" && (payee[field] === undefined || wanted[field] === undefined)) return false;
      return payee[field] !== wanted[field];
    })
    .map((field) =>
      problem(
        "PAYEE_MISMATCH",
        pointer("body", "payee", field),
        `收款账户${PAYEE_FIELDS[field]}与联系函 ${letter.id} 所列转入地收款账户（${wanted[field]}）不一致`,
      ),
    );
}

/** 办结 states what arrived: the total of the fund transfer it names (66号 art 8(四)). */
export function checkReceivedTotal(doc: Document, ctx: RuleContext): Problem[] {
  if (doc.type !== "completion") return [];
  const transfer = caseDocumentsOf(doc, ctx.related, "fund-transfer").find((d) => d.id === doc.body.fundTransferId);
  if (!transfer || transfer.body.totalFen === doc.body.receivedTotalFen) return [];
  const message = `到账总额 ${formatFen(doc.body.receivedTotalFen)} 与基金划转 ${transfer.id} 的转移基金总额 ${formatFen(transfer.body.totalFen)} 不一致`;
  return [problem("RECEIVED_TOTAL_MISMATCH", pointer("body", "receivedTotalFen"), message)];
}

/** Every other document of the case that names the person, the contact letter first. */
function withPerson(doc: Document, related: readonly Document[]) {
  return CASE_STEP_TYPES.flatMap((type) => caseDocumentsOf(doc, related, type));
}

/**
 * One person per case: name and 公民身份号码 equal across every document of it, compared with the contact
 * letter (the application the case started from), else with any other document of the case.
 */
export function checkPersonAcrossCase(doc: Document, ctx: RuleContext): Problem[] {
  if (!("person" in doc.body)) return [];
  const others = withPerson(doc, ctx.related);
  const reference = others[0];
  if (!reference) return [];
  const mine = doc.body.person;
  const theirs = reference.body.person;
  const found: Problem[] = [];
  if (mine.idNumber.toUpperCase() !== theirs.idNumber.toUpperCase()) {
    const message = `参保人员公民身份号码与本案${TYPE_NAMES[reference.type] ?? "文书"} ${reference.id} 不一致`;
    found.push(problem("PERSON_MISMATCH", pointer("body", "person", "idNumber"), message));
  }
  if (mine.name !== theirs.name) {
    const message = `参保人员姓名“${mine.name}”与本案${TYPE_NAMES[reference.type] ?? "文书"} ${reference.id} 的“${theirs.name}”不一致`;
    found.push(problem("PERSON_MISMATCH", pointer("body", "person", "name"), message));
  }
  return found;
}
