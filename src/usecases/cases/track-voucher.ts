import type { GatewayDeps } from "../deps.ts";
import { printStoredDocument } from "../print/index.ts";
import { ownVoucherOf } from "./own-voucher.ts";
import { findTrackedCase, type TrackQuery } from "./track.ts";

/** What the voucher download answers: the same neutral miss as the lookup, no voucher, or the PDF. */
export type TrackedVoucher =
  | { kind: "not-found" }
  | { kind: "no-voucher" }
  | { kind: "pdf"; pdf: Uint8Array; filename: string };

/**
 * The e-voucher of a tracked case as a printed PDF (issue 13 item 1): the pair is checked again (and charged
 * to the client's bucket) exactly as for the lookup, then the case's own voucher (ownVoucherOf) is printed.
 */
export async function printTrackedVoucher(
  deps: GatewayDeps,
  query: TrackQuery,
  options: { baseUrl: string },
): Promise<TrackedVoucher> {
  const matched = await findTrackedCase(deps, query);
  if (!matched) return { kind: "not-found" };
  const own = await ownVoucherOf(deps, matched, query.idNumber);
  if (!own) return { kind: "no-voucher" };
  return { kind: "pdf", ...(await printStoredDocument(deps, own, options)) };
}
