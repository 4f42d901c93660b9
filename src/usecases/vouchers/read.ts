import type { Document } from "../../domain/documents/index.ts";
import { sealedOf } from "../canonical.ts";
import { GatewayError } from "../errors.ts";
import type { DocumentReads, DocumentRecord, Principal } from "../ports.ts";
import { requireAgency } from "../principal.ts";

/** An issued voucher as the issuing agency gets it: what the person carries is `sealed`, exactly. */
export interface IssuedVoucher {
  documentId: string;
  /** SHA-256 of the canonical document bytes: the `sha256` a contact letter's `voucher` names. */
  documentSha256: string;
  sealed: { document: Document; seal: string };
}

export function issuedVoucher(record: DocumentRecord): IssuedVoucher {
  return {
    documentId: record.documentId,
    documentSha256: record.documentSha256,
    sealed: sealedOf(record),
  };
}

/** The record of the voucher `agencyId` issued under `voucherId`, if it issued one. */
export async function findIssuedVoucher(
  deps: { store: DocumentReads },
  agencyId: string,
  voucherId: string,
): Promise<DocumentRecord | undefined> {
  const record = await deps.store.getDocument({
    ownerAgency: agencyId,
    direction: "out",
    from: agencyId,
    documentId: voucherId,
  });
  return record?.type === "contribution-voucher" ? record : undefined;
}

/** The record of a voucher the caller's agency issued: anyone else's (or none) is VOUCHER_NOT_FOUND. */
export async function requireIssuedVoucher(
  deps: { store: DocumentReads },
  principal: Principal,
  voucherId: string,
): Promise<DocumentRecord> {
  const agencyId = requireAgency(principal);
  const record = await findIssuedVoucher(deps, agencyId, voucherId);
  if (!record) throw new GatewayError("VOUCHER_NOT_FOUND", `agency ${agencyId} issued no voucher ${voucherId}`);
  return record;
}

/** A voucher this agency issued, for this agency only: anyone else's (or none) is VOUCHER_NOT_FOUND. */
export async function readVoucher(
  deps: { store: DocumentReads },
  principal: Principal,
  voucherId: string,
): Promise<IssuedVoucher> {
  return issuedVoucher(await requireIssuedVoucher(deps, principal, voucherId));
}
