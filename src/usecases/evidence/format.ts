/**
 * The evidence pack format (issue 6 items 4–5; README "Evidence packs"): one ZIP per case and agency
 * view, described by `manifest.json`. Shared by the exporter and the offline verifier, so the two
 * cannot drift. Version 2 (version 1 had no case index and no statement: it cannot prove that no item
 * was removed, and the verifier fails it with COMPLETENESS_UNPROVEN):
 *
 *   manifest.json                       this description
 *   checkpoint.txt                      C2SP signed note of the tlog-checkpoint every proof reaches
 *   checkpoint.vkey                     C2SP verifier key of the gateway's checkpoint key
 *   statement.txt                       C2SP signed note (same key): this index is the case's latest at that size
 *   case-index.json                     the latest case-index entry (../case-index.ts), proven like an item
 *   certificates/<sha256>.der           trust anchors, intermediates, every certificate embedded in a seal
 *   crls/<sha256>.crl                   CRLs (DER) the seals were verified with
 *   items/<leaf>-<kind>-<id>/entry.json    archive entry bytes (the leaf's data, JCS)
 *                            document.json canonical (JCS) bytes of the sealed document or receipt
 *                            seal.p7s      DER of its CAdES seal (detached), or
 *                            seal.ses      DER of its GB/T 38540 SES_Signature (issue 16): the verifier reads
 *                                          the name from `paths.seal`, so older verifiers read it as well
 *                            report.json   verification report re-run at export
 *                            report-received.json  the report stored when an inbound document arrived
 */
export const PACK_FORMAT = "jiexu-evidence-pack";
export const PACK_VERSION = 2;

export type CertificateRole = "anchor" | "intermediate" | "embedded";

export interface PackCertificate {
  path: string;
  sha256: string;
  role: CertificateRole;
  subject: string;
}

export interface PackCrl {
  path: string;
  sha256: string;
}

export interface PackItem {
  kind: "document" | "receipt";
  /** The document's id; for a receipt, the id of the document it acknowledges (archive meta `documentId`). */
  documentId: string;
  /** A receipt's own id. */
  receiptId?: string;
  type: string;
  direction: "in" | "out";
  from: string;
  to: string;
  replyTo?: string;
  /** Archive time (meta `recordedAt`): the validation time of the seal, proven by the log inclusion. */
  recordedAt: string;
  leafIndex: number;
  /** RFC 9162 leaf hash SHA-256(0x00 ‖ entry bytes), hex. */
  leafHash: string;
  /** RFC 9162 §2.1.3 inclusion proof (audit path) against the pack's checkpoint, hex. */
  proof: string[];
  /** SHA-256 of this item's own document.json and seal file (seal.p7s or seal.ses). */
  documentSha256: string;
  sealSha256: string;
  /** For a receipt: the document it names (from the archive meta). */
  acknowledges?: { documentId: string; documentSha256: string; sealSha256: string };
  paths: { entry: string; document: string; seal: string; report: string; receivedReport?: string };
}

/** The case's latest case-index leaf in the checkpoint's tree: the list the pack's items must match exactly. */
export interface PackCaseIndex {
  path: string;
  leafIndex: number;
  leafHash: string;
  proof: string[];
  /** Copies of the entry's meta, for readers; the verifier checks them against the entry. */
  status: string | null;
  count: number;
  recordedAt: string;
}

export interface PackManifest {
  format: typeof PACK_FORMAT;
  version: typeof PACK_VERSION;
  caseId: string;
  agencyId: string;
  generatedAt: string;
  generator: string;
  hash: "sha256";
  leafHashing: "RFC 9162 §2.1.1: leaf = SHA-256(0x00 ‖ entry), node = SHA-256(0x01 ‖ left ‖ right)";
  /** The policy of the gateway's verifier (the offline verifier applies its revocation mode). */
  policy: { name: string; digest: string; revocation: "required" | "optional" };
  checkpoint: { path: string; size: number; rootHex: string; origin: string };
  verifierKey: { path: string };
  certificates: PackCertificate[];
  crls: PackCrl[];
  items: PackItem[];
  caseIndex: PackCaseIndex;
  /** The gateway's signed export statement (statement.ts). */
  statement: { path: string };
}

/** A path segment safe in every ZIP tool: ids keep letters, digits, `.`, `_` and `-`. */
export function pathSafe(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 80) || "_";
}

export function itemDir(leafIndex: number, kind: string, id: string): string {
  return `items/${String(leafIndex).padStart(8, "0")}-${kind}-${pathSafe(id)}`;
}
