import { base64ToBytes } from "../../pki/index.ts";
import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import { sealedFromPdf } from "./sealed-from-pdf.ts";

/**
 * The sealed voucher a person presents as its printed PDF (base64, issue 13 item 2): the attached original,
 * then verified at registration exactly as a voucher presented as JSON.
 */
export async function voucherFromPdf(
  deps: Pick<GatewayDeps, "printer">,
  base64: string,
): Promise<{ document: Record<string, unknown>; seal: string }> {
  let bytes: Uint8Array;
  try {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new Error("not base64");
    bytes = base64ToBytes(base64);
  } catch {
    throw new GatewayError("REQUEST_INVALID", "voucherPdf must be the PDF in base64");
  }
  return sealedFromPdf(deps, bytes);
}
