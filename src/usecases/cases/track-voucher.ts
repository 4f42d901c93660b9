import type { GatewayDeps } from "../deps.ts";
import type { DocumentRecord } from "../ports.ts";
import { printStoredDocument } from "../print/index.ts";
import { findTrackedCase, type TrackQuery } from "./track.ts";

/** What the voucher download answers: the same neutral miss as the lookup, no voucher, or the PDF. */
export type TrackedVoucher =
  | { kind: "not-found" }
  | { kind: "no-voucher" }
  | { kind: "pdf"; pdf: Uint8Array; filename: string };

/**
 * The e-voucher of a tracked case as a printed PDF (issue 13 item 1): the pair is checked again (and charged
 * to the client's bucket) exactly as for the lookup, then the case's voucher is found by its digest among the
 * stored copies — the copy with the voucher's own id, whichever hosted agency keeps it.
 */
export async function printTrackedVoucher(
  deps: GatewayDeps,
  query: TrackQuery,
  options: { baseUrl: string },
): Promise<TrackedVoucher> {
  const matched = await findTrackedCase(deps, query);
  if (!matched) return { kind: "not-found" };
  const voucher = matched.views.map((v) => v.state.voucher).find((v) => v !== undefined);
  if (!voucher) return { kind: "no-voucher" };
  const record = pickCopy(await deps.store.documentsBySha256(voucher.sha256), voucher.id);
  if (!record) return { kind: "no-voucher" };
  return { kind: "pdf", ...(await printStoredDocument(deps, record, options)) };
}

function pickCopy(copies: DocumentRecord[], voucherId: string): DocumentRecord | undefined {
  const own = copies.filter((c) => c.documentId === voucherId && c.type === "contribution-voucher");
  return own.find((c) => c.state === "issued") ?? own[0];
}
