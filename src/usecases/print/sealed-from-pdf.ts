import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import { refuseInflationBomb } from "./pdf-inflation.ts";

/** The attachment a printed copy carries the sealed original in: `<documentId>.sealed.json` (issue 13 item 2). */
export const SEALED_ATTACHMENT_SUFFIX = ".sealed.json";

/**
 * The sealed original (`{ document, seal }`, as `GET /v1/vouchers/:id` serves it) a printed PDF carries, so the
 * paper copy leads back to what the seal covers: registration accepts a voucher PDF, the compliance page a
 * printed document. Only the attachment is used — the printed text is never trusted; the caller verifies the
 * seal as for any upload. The bytes come from anyone, so their compressed streams are bounded first
 * (pdf-inflation.ts).
 */
export async function sealedFromPdf(
  deps: Pick<GatewayDeps, "printer">,
  pdf: Uint8Array,
  options: { maxInflatedBytes?: number } = {},
): Promise<{ document: Record<string, unknown>; seal: string }> {
  if (!deps.printer) throw new GatewayError("PRINT_UNAVAILABLE", "this gateway has no printer configured");
  refuseInflationBomb(pdf, options.maxInflatedBytes);
  const files = await deps.printer.attachments(pdf);
  const sealed = files.filter((f) => f.name.endsWith(SEALED_ATTACHMENT_SUFFIX));
  if (sealed.length !== 1)
    throw new GatewayError(
      "PDF_NO_SEALED_ORIGINAL",
      sealed.length === 0
        ? "the PDF carries no sealed original (an attached <id>.sealed.json)"
        : "the PDF carries more than one sealed original",
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(sealed[0]!.bytes));
  } catch {
    throw new GatewayError("PDF_NO_SEALED_ORIGINAL", "the attached sealed original is not JSON");
  }
  if (!isSealed(parsed))
    throw new GatewayError("PDF_NO_SEALED_ORIGINAL", "the attached sealed original is not { document, seal }");
  return parsed;
}

function isSealed(value: unknown): value is { document: Record<string, unknown>; seal: string } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.seal === "string" && typeof v.document === "object" && v.document !== null && !Array.isArray(v.document)
  );
}
