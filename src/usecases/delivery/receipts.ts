import type { Document } from "../../domain/documents/index.ts";
import { canonicalBytes, canonicalText, decodeSeal, sealedDocumentText, shanghaiTimestamp } from "../canonical.ts";
import { detectSealFormat } from "../../pki/index.ts";
import type { GatewayDeps } from "../deps.ts";
import type { DocumentRecord, HostedAgency } from "../ports.ts";

/**
 * Transport receipt (docs/contracts.md "Receipts": `receipt`, sealed by the receiving gateway): names the document by
 * the SHA-256 of its canonical bytes and of its seal, and the time it was durably received.
 */
export function issueReceipt(
  deps: Pick<GatewayDeps, "ids">,
  owner: HostedAgency,
  document: Pick<Document, "id" | "caseId" | "from" | "to">,
  facts: { documentSha256: string; sealSha256: string; receivedAt: Date },
): string {
  const receivedAt = shanghaiTimestamp(facts.receivedAt);
  // Members in RFC 8785 order, so canonicalText writes the object as it is instead of sorting a copy (issue 12).
  const receipt = {
    body: {
      documentDigest: facts.documentSha256,
      documentId: document.id,
      receivedAt,
      receivingAgency: document.to,
      sealDigest: facts.sealSha256,
    },
    caseId: document.caseId,
    from: document.to,
    id: deps.ids.newId("rcpt"),
    issuedAt: receivedAt,
    jiexu: 1,
    replyTo: document.id,
    to: document.from,
    type: "receipt",
  };
  // The text is kept: the sealed-document JSON embeds it as is, instead of decoding the bytes back.
  const text = canonicalText(receipt);
  return sealedDocumentText(text, owner.receiptKey.seal(encoder.encode(text), facts.receivedAt));
}

const encoder = new TextEncoder();

export type ReceiptCheck = { ok: true; receivedAt: string } | { ok: false; reason: string };

/**
 * A delivery counts as delivered only for a receipt sealed by a receipt certificate listed for the
 * receiving agency that names exactly our document digest and seal digest (issue 5 item 3).
 */
export function checkReceipt(
  deps: Pick<GatewayDeps, "agencies" | "clock" | "verifier">,
  record: DocumentRecord,
  receiptJson: string,
): ReceiptCheck {
  let sealed: { document?: { type?: string; from?: string; body?: Record<string, unknown> }; seal?: string };
  try {
    sealed = JSON.parse(receiptJson);
  } catch {
    return { ok: false, reason: "receipt is not JSON" };
  }
  const doc = sealed.document;
  const body = doc?.body;
  if (!doc || typeof sealed.seal !== "string" || doc.type !== "receipt" || !body)
    return { ok: false, reason: "not a sealed receipt" };
  if (doc.from !== record.to) return { ok: false, reason: `receipt from ${doc.from}, expected ${record.to}` };
  if (
    body.documentId !== record.documentId ||
    body.documentDigest !== record.documentSha256 ||
    body.sealDigest !== record.sealSha256
  ) {
    return { ok: false, reason: "receipt does not name this document's digests" };
  }
  const seal = decodeSeal(sealed.seal);
  // Receipts are the gateway's, sealed CAdES only (docs/national-seal.md), whatever the agencies seal in.
  if (detectSealFormat(seal) !== "cades") return { ok: false, reason: "receipt seal is not a CAdES seal" };
  const report = deps.verifier.verify(canonicalBytes(doc), seal, deps.clock.now(), "receipt");
  if (report.indication !== "TOTAL_PASSED")
    return { ok: false, reason: `receipt seal ${report.indication}/${report.subIndication}` };
  const allowed = deps.agencies.receiptCertificates(record.to);
  if (!report.signer || !allowed.includes(report.signer.certificateSha256)) {
    return { ok: false, reason: "receipt sealed by a certificate not listed for the receiving agency" };
  }
  return { ok: true, receivedAt: String(body.receivedAt) };
}
