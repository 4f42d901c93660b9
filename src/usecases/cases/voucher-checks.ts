import {
  validateSealedDocument,
  type Document,
  type DocumentOf,
  type DocumentRef,
} from "../../domain/documents/index.ts";
import { sameIdNumber } from "../../domain/identifiers/index.ts";
import type { CaseState, VoucherCheck } from "../../domain/transfer-case/index.ts";
import type { VerificationReport } from "../../pki/index.ts";
import { canonicalBytes, decodeSeal, documentOf, sameDigest, sha256Hex } from "../canonical.ts";
import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import type { DocumentReads, DocumentRecord } from "../ports.ts";
import { verifySealFrom } from "./seal-checks.ts";
import { findIssuedVoucher } from "../vouchers/index.ts";

/*
 * The contribution voucher (参保缴费凭证, 66号 art 3) in a case (issue 11 item 1): verified when the person
 * presents it at registration, named by the contact letter, and recognised by the agency that issued it.
 */

/** The sealed voucher JSON the person brings: `{ document, seal }` as the issuer's GET /v1/vouchers/:id gave it. */
export interface PresentedVoucher {
  document: unknown;
  seal: string;
}

/** A presented voucher that passed every check, with what its record in the case is made of. */
export interface AcceptedVoucher
  extends Pick<DocumentRecord, "canonical" | "seal" | "documentSha256" | "sealSha256" | "report"> {
  document: Document;
  ref: DocumentRef;
}

/**
 * A voucher opens the case only when it is one (schema and rules), its seal verifies (TOTAL_PASSED, binding
 * the issuer, listed in the directory), it was issued by the case's transfer-out agency and it is the
 * applicant's (same 公民身份号码). Each refusal has its own code; problem pointers are under `/voucher`.
 */
export function acceptPresentedVoucher(
  deps: Pick<GatewayDeps, "agencies" | "calendar" | "metrics" | "verifier">,
  presented: PresentedVoucher,
  expected: { transferOutAgency: string; idNumber: string },
  now: Date,
): AcceptedVoucher {
  const document = presented.document as Document;
  if (document?.type !== "contribution-voucher")
    throw new GatewayError("VOUCHER_INVALID", `a ${String(document?.type)} is not a contribution voucher`);
  const problems = validateSealedDocument(presented, { now, emergencyWindows: deps.calendar.emergencyWindows })
    .problems.filter((p) => p.severity === "error")
    .map((p) => ({ ...p, path: `/voucher${p.path}` }));
  if (problems.length) throw new GatewayError("DOCUMENT_INVALID", "the voucher is invalid", { problems });
  // Addressed to its issuer and its own case: the rules above refuse anything else (VOUCHER_NOT_STANDALONE).
  const canonical = canonicalBytes(document);
  const seal = decodeSealOrRefuse(presented.seal);
  const report: VerificationReport = verifySealFrom(deps, document.from, canonical, seal, now);
  if (document.from !== expected.transferOutAgency)
    throw new GatewayError(
      "VOUCHER_WRONG_ISSUER",
      `the voucher was issued by agency ${document.from}, not by the transfer-out agency ${expected.transferOutAgency}`,
    );
  if (!sameIdNumber(document.body.person.idNumber, expected.idNumber))
    throw new GatewayError("VOUCHER_PERSON_MISMATCH", "the voucher is for another person than the application");
  const documentSha256 = sha256Hex(canonical);
  return {
    document,
    canonical,
    seal,
    documentSha256,
    sealSha256: sha256Hex(seal),
    report,
    ref: { id: document.id, sha256: documentSha256 },
  };
}

/** The presented voucher as the registering agency keeps it: received into the new case, with its report. */
export function presentedVoucherRecord(
  voucher: AcceptedVoucher,
  ownerAgency: string,
  caseId: string,
  at: string,
): DocumentRecord {
  return {
    ownerAgency,
    direction: "in",
    documentId: voucher.document.id,
    type: "contribution-voucher",
    caseId,
    from: voucher.document.from,
    // Presented to this agency by the person (the envelope's `to` is the issuer's own).
    to: ownerAgency,
    canonical: voucher.canonical,
    seal: voucher.seal,
    documentSha256: voucher.documentSha256,
    sealSha256: voucher.sealSha256,
    ...(voucher.report ? { report: voucher.report } : {}),
    recordedAt: at,
    state: "received",
  };
}

function decodeSealOrRefuse(sealB64: string): Uint8Array {
  try {
    return decodeSeal(sealB64);
  } catch {
    throw new GatewayError("SEAL_INVALID", "the seal is not base64");
  }
}

type Fields = Record<string, unknown>;

function refOf(value: unknown): DocumentRef | undefined {
  const v = value as Partial<DocumentRef> | undefined;
  return typeof v?.id === "string" && typeof v.sha256 === "string" ? { id: v.id, sha256: v.sha256 } : undefined;
}

function sameRef(a: DocumentRef, b: DocumentRef): boolean {
  return a.id === b.id && sameDigest(a.sha256, b.sha256);
}

/**
 * The contact letter a transfer-in agency writes carries the case's voucher and priority reason: filled in
 * when the agency left them out; another voucher than the case's is refused (VOUCHER_MISMATCH).
 */
export function withCaseFacts(body: unknown, state: CaseState): unknown {
  if (state.status === "empty" || typeof body !== "object" || body === null || Array.isArray(body)) return body;
  const fields = body as Fields;
  const voucher = state.voucher;
  const filled: Fields = { ...fields };
  if (voucher) {
    const named = refOf(fields.voucher);
    if (fields.voucher === undefined) filled.voucher = { id: voucher.id, sha256: voucher.sha256 };
    else if (!named || !sameRef(named, voucher)) throw voucherMismatch(state.caseId);
  }
  if (fields.priority === undefined && state.flags.priority) filled.priority = { ...state.flags.priority };
  return filled;
}

/**
 * A document's person must be the person the case was opened for (registration's `person`, the ID number a
 * presented voucher was matched with): a letter for someone else must not carry this person's voucher.
 */
export function assertCasePerson(document: Document, state: CaseState): void {
  if (state.status === "empty" || !state.person || !("person" in document.body)) return;
  const { name, idNumber } = document.body.person as { name: string; idNumber: string };
  const mismatch = (field: "name" | "idNumber", message: string) =>
    new GatewayError("DOCUMENT_INVALID", "the document is for another person than the case", {
      problems: [{ code: "PERSON_MISMATCH", path: `/body/person/${field}`, message, severity: "error" }],
    });
  if (!sameIdNumber(idNumber, state.person.idNumber))
    throw mismatch("idNumber", `参保人员公民身份号码与本案登记的申请人不一致`);
  if (name !== state.person.name) throw mismatch("name", `参保人员姓名与本案登记的申请人不一致`);
}

/** A pre-sealed contact letter cannot be filled in: it must name the case's voucher itself. */
export function assertNamesCaseVoucher(document: Document, state: CaseState): void {
  if (document.type !== "contact-letter" || state.status === "empty" || !state.voucher) return;
  const named = refOf(document.body.voucher);
  if (!named || !sameRef(named, state.voucher)) throw voucherMismatch(state.caseId);
}

function voucherMismatch(caseId: string): GatewayError {
  return new GatewayError("VOUCHER_MISMATCH", `the contact letter must name the voucher of case ${caseId}`);
}

/**
 * How the transfer-out agency finds the voucher a contact letter names against its own issued vouchers:
 * a flag for the case, never a refusal (the letter is the counterpart's statement; the mismatch is audited).
 */
export async function checkNamedVoucher(
  deps: { store: DocumentReads },
  agencyId: string,
  ref: DocumentRef,
  personIdNumber?: string,
): Promise<VoucherCheck> {
  const issued = await findIssuedVoucher(deps, agencyId, ref.id);
  if (!issued) return "not-issued-here";
  if (!sameDigest(issued.documentSha256, ref.sha256)) return "digest-mismatch";
  // The voucher is the issuer's, but is it this person's? A letter must not carry someone else's voucher.
  const voucher = documentOf<DocumentOf<"contribution-voucher">>(issued);
  return personIdNumber !== undefined && !sameIdNumber(voucher.body.person.idNumber, personIdNumber)
    ? "person-mismatch"
    : "issued-here";
}

/** The voucher a document's body names, when it names one. */
export function namedVoucher(document: Document): DocumentRef | undefined {
  return document.type === "contact-letter" || document.type === "insurance-record"
    ? refOf(document.body.voucher)
    : undefined;
}

/** An insurance record that attaches a voucher must attach one its sender issued, unchanged. */
export async function assertIssuedVoucher(deps: { store: DocumentReads }, document: Document): Promise<void> {
  const ref = document.type === "insurance-record" ? namedVoucher(document) : undefined;
  if (!ref) return;
  if ((await checkNamedVoucher(deps, document.from, ref)) !== "issued-here")
    throw new GatewayError("VOUCHER_MISMATCH", `agency ${document.from} issued no voucher ${ref.id} with that digest`);
}
