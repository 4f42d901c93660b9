import type { Priority } from "../../domain/documents/index.ts";
import { CaseError } from "../../domain/transfer-case/index.ts";
import { documentLeaf } from "../archive/index.ts";
import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import type { AuditEvent, CaseReads, Committer, DocumentReads, Principal } from "../ports.ts";
import { handleCaseCommand, type CaseBatch } from "./handle-command.ts";
import { requireAgency } from "../principal.ts";
import { assertRoutable } from "./routing.ts";
import { describeCase, type CaseView } from "./queries.ts";
import { StoreError } from "../store-error.ts";
import { voucherFromPdf } from "../print/index.ts";
import {
  acceptPresentedVoucher,
  presentedVoucherRecord,
  type AcceptedVoucher,
  type PresentedVoucher,
} from "./voucher-checks.ts";

export interface RegisterApplicationInput {
  /** Optional client-chosen id (idempotent re-registration is refused as CASE_ALREADY_OPENED). */
  caseId?: string;
  /** The transfer-out agency (原参保地). */
  transferOutAgency: string;
  /** Green channel with its reason: the legal deadlines stay, an internal target is added. */
  priority?: Priority;
  temporaryAccount?: boolean;
  /** The applicant; required with a voucher (its 公民身份号码 must be the voucher's). */
  person?: { name: string; idNumber: string };
  /** The sealed 参保缴费凭证 the person brings (issue 11 item 1), exactly as its issuer sealed it. */
  voucher?: PresentedVoucher;
  /** Or the same voucher as its printed PDF, in base64 (issue 13 item 2): its attached sealed original is used. */
  voucherPdf?: string;
}

/** What registering touches: the case (and its view read back), the route, a new id, and a presented voucher's checks. */
export type RegisterDeps = Pick<
  GatewayDeps,
  "agencies" | "calendar" | "clock" | "decider" | "ids" | "metrics" | "verifier" | "printer"
> & {
  store: CaseReads & DocumentReads & Committer;
};

/**
 * Transfer-in agency records an application (66号 art 8(一)); the contact-letter clock starts. A voucher the
 * person presents is verified first and, accepted, stored and archived in the case in the same batch.
 */
export async function registerApplication(
  deps: RegisterDeps,
  principal: Principal,
  input: RegisterApplicationInput,
): Promise<CaseView> {
  const agencyId = requireAgency(principal);
  const now = deps.clock.now();
  assertRoutable(deps, input.transferOutAgency, now);
  const sealed = await presentedVoucherOf(deps, input);
  const voucher = sealed && presented(deps, input, sealed, now);
  const caseId = input.caseId ?? deps.ids.newId("case");
  const at = now.toISOString();
  let opened: string;
  try {
    opened = await handleCaseCommand(deps, { agencyId, caseId }, (loaded) => {
      if (loaded.version !== 0) throw new CaseError("CASE_ALREADY_OPENED", `case ${caseId} already exists`);
      return {
        command: {
          type: "RegisterApplication",
          caseId,
          data: {
            counterpartId: input.transferOutAgency,
            ...(input.priority ? { priority: input.priority } : {}),
            ...(input.temporaryAccount ? { temporaryAccount: true } : {}),
            ...(input.person ? { person: { name: input.person.name, idNumber: input.person.idNumber } } : {}),
            ...(voucher ? { voucher: voucher.ref } : {}),
          },
          metadata: { now, actor: { agencyId, role: "transfer-in" } },
        },
        batch: () => ({ change: registration(agencyId, caseId, at, voucher), result: caseId }),
      };
    });
  } catch (err) {
    // The store keys a received document by (owner, sender, id): a voucher opens one case of this agency.
    if (err instanceof StoreError && err.code === "DUPLICATE_DOCUMENT")
      throw new GatewayError("DOCUMENT_CONFLICT", `voucher ${voucher?.ref.id} was already presented here`, {
        cause: err,
      });
    throw err;
  }
  return describeCase(deps, principal, opened);
}

function presented(
  deps: RegisterDeps,
  input: RegisterApplicationInput,
  voucher: PresentedVoucher,
  now: Date,
): AcceptedVoucher {
  if (!input.person) throw new GatewayError("REQUEST_INVALID", "a voucher is presented with the applicant's person");
  return acceptPresentedVoucher(
    deps,
    voucher,
    { transferOutAgency: input.transferOutAgency, idNumber: input.person.idNumber },
    now,
  );
}

/** The audit event, and with a voucher its record in the case and its archive leaf. */
function registration(agencyId: string, caseId: string, at: string, voucher: AcceptedVoucher | undefined): CaseBatch {
  const audit: AuditEvent[] = [{ at, kind: "case.registered", agencyId, caseId }];
  if (!voucher) return { audit };
  const record = presentedVoucherRecord(voucher, agencyId, caseId, at);
  audit.push({
    at,
    kind: "voucher.presented",
    agencyId,
    caseId,
    documentId: record.documentId,
    detail: { issuer: record.from },
  });
  return { newDocuments: [record], archive: [documentLeaf()], audit };
}

/** The voucher presented once: as the sealed JSON or as its printed PDF, never both. */
async function presentedVoucherOf(
  deps: Pick<GatewayDeps, "printer">,
  input: RegisterApplicationInput,
): Promise<PresentedVoucher | undefined> {
  if (input.voucherPdf === undefined) return input.voucher;
  if (input.voucher)
    throw new GatewayError("REQUEST_INVALID", "present the voucher once: voucher or voucherPdf, not both");
  return voucherFromPdf(deps, input.voucherPdf);
}
