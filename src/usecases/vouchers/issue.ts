import { validateDocument, type Document } from "../../domain/documents/index.ts";
import { documentLeaf } from "../archive/index.ts";
import { canonicalBytes, sentRecord, shanghaiTimestamp } from "../canonical.ts";
import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import type { Committer, Principal } from "../ports.ts";
import { voucherCaseKey } from "../records.ts";
import { requireAgency } from "../principal.ts";
import { StoreError } from "../store-error.ts";
import { issuedVoucher, type IssuedVoucher } from "./read.ts";

export interface IssueVoucherInput {
  /** The contribution-voucher body (contribution-voucher.schema.json). */
  body: unknown;
  /** Optional client-chosen id (the voucher's own "case" too); a fresh `vch-…` id otherwise. */
  id?: string;
}

/** What issuing touches: the seal key, the emergency windows, one commit (record, archive leaf, audit). */
export type IssueVoucherDeps = Pick<GatewayDeps, "agencies" | "calendar" | "clock" | "ids"> & {
  store: Committer;
};

/**
 * The transfer-out agency issues the 参保缴费凭证 (66号 art 3) as a sealed document the person carries to
 * the new place (issue 11 item 1), instead of mailed paper. The envelope is addressed to the issuer itself
 * and its case is its own id: no transfer case exists yet (stored under `voucherCaseKey`, outside every case). Validated (schema and rules), sealed with the
 * agency's seal key, and recorded, archived and audited in one batch; it is never delivered to a peer.
 */
export async function issueVoucher(
  deps: IssueVoucherDeps,
  principal: Principal,
  input: IssueVoucherInput,
): Promise<IssuedVoucher> {
  const agencyId = requireAgency(principal);
  const agency = deps.agencies.hosted(agencyId);
  if (!agency) throw new GatewayError("FORBIDDEN", `agency ${agencyId} is not hosted here`);
  const now = deps.clock.now();
  const document = voucherDocument(input, input.id ?? deps.ids.newId("vch"), agencyId, now);
  // Deferred rows are judged against the declared emergency windows, as any case document.
  const emergencyWindows = deps.calendar.emergencyWindows;
  const problems = validateDocument(document, { now, emergencyWindows }).problems.filter((p) => p.severity === "error");
  if (problems.length) throw new GatewayError("DOCUMENT_INVALID", "the voucher is invalid", { problems });
  const canonical = canonicalBytes(document);
  const seal = agency.sealKey.seal(canonical, now);
  const at = now.toISOString();
  const record = sentRecord(
    document,
    { canonical, seal },
    { caseId: voucherCaseKey(document.id), recordedAt: at, state: "issued" },
  );
  try {
    await deps.store.commit({
      newDocuments: [record],
      archive: [documentLeaf()],
      audit: [{ at, kind: "voucher.issued", agencyId, caseId: record.caseId, documentId: document.id }],
    });
  } catch (err) {
    if (err instanceof StoreError && err.code === "DUPLICATE_DOCUMENT")
      throw new GatewayError("DOCUMENT_CONFLICT", `document ${document.id} was already issued`, { cause: err });
    throw err;
  }
  return issuedVoucher(record);
}

function voucherDocument(input: IssueVoucherInput, id: string, agencyId: string, now: Date): Document {
  return {
    jiexu: 1,
    id,
    type: "contribution-voucher",
    caseId: id,
    from: agencyId,
    to: agencyId,
    issuedAt: shanghaiTimestamp(now),
    body: input.body,
  } as Document;
}
