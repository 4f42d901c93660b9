import canonicalize from "canonicalize";
import { isConformingDocument } from "../../domain/documents/index.ts";
import { leafFailure, type AuditTally } from "./audit-report.ts";
import { isObject, readArchiveEntry } from "./entries.ts";
import { canonicalBytes, decodeSeal, sha256Hex } from "../canonical.ts";
import type { GatewayDeps } from "../deps.ts";
import type { ArchiveLeaf, DocumentReads } from "../ports.ts";

/**
 * Per-entry checks of the integrity audit: readability and canonical form (可用性), required metadata
 * and digests (完整性), seal re-verification and agreement with the documents table (真实性),
 * schema conformance (可用性). The tree and checkpoint checks live in audit.ts.
 */
const HEX64 = /^[0-9a-f]{64}$/;
const REQUIRED = ["ownerAgency", "caseId", "documentId", "type", "from", "to", "recordedAt"] as const;

type Meta = Record<string, unknown>;
type Sealed = { document: Record<string, unknown>; seal: string };

export async function auditEntry(
  deps: Pick<GatewayDeps, "clock" | "verifier"> & { store: DocumentReads },
  leaf: ArchiveLeaf,
  tally: AuditTally,
): Promise<void> {
  const at = leafFailure(leaf.index);
  tally.checked("usability.readable");
  const read = readArchiveEntry(leaf.entry);
  if (!read.ok || !isObject(read.entry.sealed.document)) {
    const [code, reason] = read.ok ? ["ENTRY_SHAPE", "not {meta, sealed: {document, seal}}"] : [read.code, read.reason];
    tally.fail("usability.readable", at("entry", code, `entry ${leaf.index} is ${reason}`));
    return;
  }
  const { meta } = read.entry;
  const sealed = read.entry.sealed as Sealed;
  if (!read.canonical)
    tally.fail(
      "usability.readable",
      at("entry", "ENTRY_NOT_CANONICAL", `entry ${leaf.index} is not RFC 8785 canonical JSON`),
    );

  let canonical: Uint8Array;
  let seal: Uint8Array;
  try {
    canonical = canonicalBytes(sealed.document);
    seal = decodeSeal(sealed.seal);
  } catch (err) {
    tally.fail(
      "usability.readable",
      at("entry.sealed", "SEALED_UNREADABLE", `entry ${leaf.index}: ${(err as Error).message}`),
    );
    return;
  }
  checkMetadata(leaf, meta, sealed, canonical, seal, tally, at);

  tally.checked("usability.renderable");
  if (!isConformingDocument(sealed.document)) {
    tally.fail(
      "usability.renderable",
      at(
        "entry.sealed.document",
        "SCHEMA",
        `entry ${leaf.index}: the sealed ${String(sealed.document.type)} does not conform to its JSON Schema`,
      ),
    );
  }

  tally.checked("authenticity.seals");
  const when = new Date(String(meta.recordedAt));
  const report = deps.verifier.verify(
    canonical,
    seal,
    Number.isNaN(when.getTime()) ? deps.clock.now() : when,
    meta.kind === "receipt" ? "receipt" : "seal",
  );
  if (report.indication !== "TOTAL_PASSED") {
    tally.fail(
      "authenticity.seals",
      at(
        "entry.sealed.seal",
        `SEAL_${report.subIndication ?? report.indication}`,
        `entry ${leaf.index}: seal ${report.indication}/${report.subIndication ?? "-"}`,
      ),
    );
  }
  await checkStoredCopy(deps, leaf, meta, sealed, tally);
}

function checkMetadata(
  leaf: ArchiveLeaf,
  meta: Meta,
  sealed: Sealed,
  canonical: Uint8Array,
  seal: Uint8Array,
  tally: AuditTally,
  at: ReturnType<typeof leafFailure>,
): void {
  tally.checked("integrity.metadata");
  const problems: [string, string][] = [];
  if (meta.jiexuArchive !== 1) problems.push(["meta.jiexuArchive", "must be 1"]);
  if (meta.kind !== "document" && meta.kind !== "receipt") problems.push(["meta.kind", "must be document or receipt"]);
  if (meta.direction !== "in" && meta.direction !== "out") problems.push(["meta.direction", "must be in or out"]);
  for (const f of REQUIRED)
    if (typeof meta[f] !== "string" || meta[f] === "") problems.push([`meta.${f}`, "is required"]);
  if (Number.isNaN(new Date(String(meta.recordedAt)).getTime())) problems.push(["meta.recordedAt", "is not a time"]);
  for (const f of ["documentSha256", "sealSha256"])
    if (typeof meta[f] !== "string" || !HEX64.test(meta[f] as string))
      problems.push([`meta.${f}`, "is not a SHA-256 hex digest"]);
  // 元数据与内容关联: the indexed columns say what the entry says.
  const columns: [string, unknown, unknown][] = [
    ["kind", leaf.kind, meta.kind],
    ["owner_agency", leaf.ownerAgency, meta.ownerAgency],
    ["case_id", leaf.caseId, meta.caseId],
    ["document_id", leaf.documentId, meta.documentId],
    ["recorded_at", leaf.recordedAt, meta.recordedAt],
  ];
  for (const [column, stored, inMeta] of columns)
    if (stored !== inMeta) problems.push([column, `column says ${String(stored)}, entry meta says ${String(inMeta)}`]);
  const body = isObject(sealed.document.body) ? sealed.document.body : {};
  const [docDigest, sealDigest] =
    meta.kind === "receipt" ? [body.documentDigest, body.sealDigest] : [sha256Hex(canonical), sha256Hex(seal)];
  if (meta.kind === "document" && sealed.document.id !== meta.documentId)
    problems.push(["meta.documentId", `the sealed document's id is ${String(sealed.document.id)}`]);
  if (meta.kind === "receipt" && body.documentId !== meta.documentId)
    problems.push(["meta.documentId", `the receipt acknowledges ${String(body.documentId)}`]);
  if (docDigest !== meta.documentSha256)
    problems.push([
      "meta.documentSha256",
      `the ${meta.kind === "receipt" ? "receipt names" : "document hashes to"} ${String(docDigest)}`,
    ]);
  if (sealDigest !== meta.sealSha256)
    problems.push([
      "meta.sealSha256",
      `the ${meta.kind === "receipt" ? "receipt names" : "seal hashes to"} ${String(sealDigest)}`,
    ]);
  for (const [field, message] of problems)
    tally.fail("integrity.metadata", at(field, "METADATA", `entry ${leaf.index}: ${field} ${message}`));
}

/** The archived copy agrees with the operational record, where one exists. */
async function checkStoredCopy(
  deps: { store: DocumentReads },
  leaf: ArchiveLeaf,
  meta: Meta,
  sealed: Sealed,
  tally: AuditTally,
): Promise<void> {
  const receipt = meta.kind === "receipt";
  const direction = meta.direction === "in" ? "in" : "out";
  const from = String(receipt ? meta.to : meta.from);
  const record = await deps.store.getDocument({
    ownerAgency: leaf.ownerAgency,
    direction,
    from,
    documentId: String(meta.documentId),
  });
  if (!record || (receipt && !record.receipt)) return;
  tally.checked("authenticity.stored-copy");
  const archived = canonicalize(sealed);
  const stored = receipt
    ? jcsOf(record.receipt!)
    : jcsOf(`{"document":${new TextDecoder().decode(record.canonical)},"seal":${JSON.stringify(sealed.seal)}}`);
  const sameSeal = receipt || sha256Hex(record.seal) === sha256Hex(decodeSeal(sealed.seal));
  if (archived !== stored || !sameSeal) {
    tally.fail("authenticity.stored-copy", {
      table: "documents",
      index: leaf.index,
      field: receipt ? "receipt" : "canonical/seal",
      code: "STORED_COPY_DIFFERS",
      message: `entry ${leaf.index}: the documents table's ${receipt ? "receipt" : "copy"} of ${String(meta.documentId)} differs from the archive`,
    });
  }
}

function jcsOf(json: string): string | undefined {
  try {
    return canonicalize(JSON.parse(json));
  } catch {
    return undefined;
  }
}
