import { sealedDocumentBytes, documentOf } from "../canonical.ts";
import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import type { ArchiveReads, DocumentRecord, PrintInput } from "../ports.ts";
import { sealFileExtension } from "../seal-format.ts";
import { archiveLeafOf } from "./archive-leaf.ts";
import { SEALED_ATTACHMENT_SUFFIX } from "./sealed-from-pdf.ts";

/** What printing a stored document reads: the printer, the seal verifier and clock, the agencies, the archive. */
export type PrintDeps = Pick<GatewayDeps, "printer" | "verifier" | "clock" | "agencies"> & { store: ArchiveReads };

/** The public verification page a printed copy's QR code leads to. */
export function verifyUrlOf(baseUrl: string, documentSha256: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/v/${documentSha256}`;
}

/** The agency whose seal a document carries, with its name as the seal's ring shows it. */
export function sealingAgency(
  deps: Pick<GatewayDeps, "agencies">,
  document: Record<string, unknown>,
): { agencyId: string; name: string } {
  const agencyId = String(document.from ?? "");
  const body = document.body as { issuingAgency?: { agencyName?: unknown } } | undefined;
  const named = document.type === "contribution-voucher" ? body?.issuingAgency?.agencyName : undefined;
  return { agencyId, name: typeof named === "string" ? named : (deps.agencies.hosted(agencyId)?.name ?? agencyId) };
}

/**
 * The printed copy (PDF) of a stored sealed document (issue 13 item 2): what it shows is decided here — the
 * document, its digest, a verdict taken now, its archive leaf — and it carries the exact bytes the seal covers,
 * the CMS and the sealed-document JSON as attached files. Callers decide who may print (printVoucher, printCaseDocument).
 */
export async function printStoredDocument(
  deps: PrintDeps,
  record: DocumentRecord,
  options: { baseUrl: string },
): Promise<{ pdf: Uint8Array; filename: string }> {
  if (!deps.printer) throw new GatewayError("PRINT_UNAVAILABLE", "this gateway has no printer configured");
  const document = documentOf<Record<string, unknown>>(record);
  const report = deps.verifier.verify(record.canonical, record.seal, deps.clock.now(), "seal");
  const leaf = await archiveLeafOf(deps, record);
  const latest = await deps.store.archive.latestCheckpoint();
  const id = record.documentId;
  const input: PrintInput = {
    document,
    attachments: [
      { name: `${id}.json`, bytes: record.canonical },
      { name: `${id}.${sealFileExtension(record.seal)}`, bytes: record.seal },
      { name: `${id}${SEALED_ATTACHMENT_SUFFIX}`, bytes: sealedDocumentBytes(record.canonical, record.seal) },
    ],
    documentSha256: record.documentSha256,
    verifyUrl: verifyUrlOf(options.baseUrl, record.documentSha256),
    sealedBy: sealingAgency(deps, document),
    verification: {
      indication: report.indication,
      ...(report.subIndication ? { subIndication: report.subIndication } : {}),
      ...(report.signingTime ? { signingTime: report.signingTime } : {}),
    },
    ...(leaf
      ? {
          archive: {
            leafIndex: leaf.index,
            ...(latest && leaf.index < latest.size ? { treeSize: latest.size } : {}),
          },
        }
      : {}),
  };
  return { pdf: await deps.printer.print(input), filename: `${id}.pdf` };
}
