import { sameIdNumber } from "../../domain/identifiers/index.ts";
import { documentOf } from "../canonical.ts";
import type { DocumentReads, DocumentRecord } from "../ports.ts";
import type { MatchedCase } from "./track.ts";

/**
 * The stored copy of the case's voucher, only when it is the tracked person's own. A contact letter may name a
 * voucher issued to someone else — the transfer-out side then only flags it (`person-mismatch`), it does not
 * refuse the letter — so a view whose check says anything but `issued-here` is passed over, and the stored
 * copy must itself name the tracked ID number: a voucher of another person is never shown nor printed.
 */
export async function ownVoucherOf(
  deps: { store: DocumentReads },
  matched: MatchedCase,
  idNumber: string,
): Promise<DocumentRecord | undefined> {
  const refs = matched.views.map((v) => v.state.voucher).filter((v) => v !== undefined);
  // One view's doubt (the transfer-out side checked it) outweighs another view's silence (it could not check).
  const doubted = new Set(refs.filter((v) => v.check !== undefined && v.check !== "issued-here").map((v) => v.sha256));
  for (const ref of refs.filter((v) => !doubted.has(v.sha256))) {
    const record = pickCopy(await deps.store.documentsBySha256(ref.sha256), ref.id);
    const personId = record && personIdOf(record);
    if (record && personId && sameIdNumber(personId, idNumber)) return record;
  }
  return undefined;
}

function pickCopy(copies: DocumentRecord[], voucherId: string): DocumentRecord | undefined {
  const own = copies.filter((c) => c.documentId === voucherId && c.type === "contribution-voucher");
  return own.find((c) => c.state === "issued") ?? own[0];
}

/** `body.person.idNumber` of the stored canonical bytes (what the seal covers), if it has one. */
function personIdOf(record: DocumentRecord): string | undefined {
  try {
    const id = documentOf<{ body?: { person?: { idNumber?: unknown } } }>(record).body?.person?.idNumber;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}
