import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import type { DocumentRecord } from "../ports.ts";

/**
 * PLACEHOLDER on the public-pages branch (issue 13): the print helper writes the real one with exactly this
 * signature (the printed copy of a stored sealed document); the lead takes theirs at merge.
 */
export async function printStoredDocument(
  _deps: GatewayDeps,
  _record: DocumentRecord,
  _options: { baseUrl: string },
): Promise<{ pdf: Uint8Array; filename: string }> {
  throw new GatewayError("PRINT_UNAVAILABLE", "printing is not available on this gateway");
}
