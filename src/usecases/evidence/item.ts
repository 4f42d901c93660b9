import { bytesEqual } from "../../domain/bytes.ts";
import { fromHex, toHex, verifyInclusion, type Checkpoint } from "../../domain/archive/index.ts";
import { rfc6962Hasher, type SealPurpose, type VerificationReport } from "../../pki/index.ts";
import { isObject, readArchiveEntry, type ReadEntry } from "../archive/index.ts";
import { canonicalBytes, decodeSeal, sha256Hex } from "../canonical.ts";
import type { CheckList } from "./checks.ts";
import type { PackItem } from "./format.ts";

export interface ItemContext {
  files: Record<string, Uint8Array>;
  list: CheckList;
  verifier: { verify(content: Uint8Array, seal: Uint8Array, at: Date, purpose: SealPurpose): VerificationReport };
  checkpoint: Checkpoint | undefined;
}

/** A pack item whose files were present, with its parsed document for the chain checks. */
export interface OpenedItem {
  item: PackItem;
  subject: string;
  /** The document or receipt as in document.json (falling back to the archive entry's copy). */
  document: {
    id?: string;
    type?: string;
    caseId?: string;
    from?: string;
    replyTo?: string;
    body?: Record<string, unknown>;
  };
  documentSha256: string;
  sealSha256: string;
}

/** Entry, seal and inclusion checks of one item (issue 6 item 5); undefined when its files are missing. */
export function checkItem(ctx: ItemContext, item: PackItem): OpenedItem | undefined {
  const subject = `${item.kind}:${item.documentId}`;
  const missing = Object.entries(item.paths ?? {}).filter(
    ([key, p]) => key !== "receivedReport" && key !== "report" && !ctx.files[p],
  );
  if (!item.paths || missing.length) {
    ctx.list.fail(subject, "FILE_MISSING", `missing ${missing.map(([, p]) => p).join(", ") || "paths"}`);
    return undefined;
  }
  const entryBytes = ctx.files[item.paths.entry]!;
  const docBytes = ctx.files[item.paths.document]!;
  const seal = ctx.files[item.paths.seal]!;
  const entry = checkEntry(ctx, item, subject, entryBytes, docBytes, seal);
  checkSeal(ctx, item, subject, docBytes, seal);
  checkInclusion(ctx, item, entryBytes);
  const fromFile = parseJson(docBytes);
  const document = (
    isObject(fromFile) ? fromFile : isObject(entry?.sealed.document) ? entry.sealed.document : {}
  ) as OpenedItem["document"];
  return { item, subject, document, documentSha256: sha256Hex(docBytes), sealSha256: sha256Hex(seal) };
}

function checkEntry(
  ctx: ItemContext,
  item: PackItem,
  subject: string,
  entryBytes: Uint8Array,
  docBytes: Uint8Array,
  seal: Uint8Array,
): ReadEntry | undefined {
  const { list } = ctx;
  const before = list.checks.length;
  const read = readArchiveEntry(entryBytes);
  if (!read.ok) {
    list.fail(subject, "ENTRY_UNREADABLE", `${item.paths.entry} is not an archive entry {meta, sealed}`);
    return undefined;
  }
  const { entry } = read;
  if (!read.canonical) list.fail(subject, "ENTRY_NOT_CANONICAL", `${item.paths.entry} is not RFC 8785 canonical JSON`);
  const sameDocument = bytesEqual(safeCanonical(entry.sealed.document), docBytes);
  const sameSeal = bytesEqual(safeSeal(entry.sealed.seal), seal);
  if (!sameDocument || !sameSeal) {
    list.fail(
      subject,
      "ENTRY_MISMATCH",
      `the archive entry's sealed ${!sameDocument ? "document differs from document.json" : `seal differs from ${item.paths.seal}`}`,
    );
  }
  const meta = entry.meta;
  const claims: [string, unknown, unknown][] = [
    ["kind", meta.kind, item.kind],
    ["documentId", meta.documentId, item.documentId],
    ["type", meta.type, item.type],
    ["from", meta.from, item.from],
    ["to", meta.to, item.to],
    ["direction", meta.direction, item.direction],
    ["recordedAt", meta.recordedAt, item.recordedAt],
  ];
  for (const [field, inEntry, inManifest] of claims) {
    if (inEntry !== inManifest)
      list.fail(
        subject,
        "META_MISMATCH",
        `entry meta ${field} is ${String(inEntry)}, the manifest says ${String(inManifest)}`,
      );
  }
  const docSha = sha256Hex(docBytes);
  const sealSha = sha256Hex(seal);
  if (docSha !== item.documentSha256 || sealSha !== item.sealSha256) {
    list.fail(
      subject,
      "DIGEST_MISMATCH",
      `document.json/${item.paths.seal.split("/").pop()} digests ${docSha}/${sealSha}, the manifest says ${item.documentSha256}/${item.sealSha256}`,
    );
  }
  if (item.kind === "document" && (meta.documentSha256 !== docSha || meta.sealSha256 !== sealSha)) {
    list.fail(
      subject,
      "DIGEST_MISMATCH",
      `entry meta names digests ${String(meta.documentSha256)}/${String(meta.sealSha256)}, the files have ${docSha}/${sealSha}`,
    );
  }
  if (list.failures(subject, before) === 0)
    list.pass(subject, "ENTRY_OK", "archive entry is canonical and matches the document, seal and manifest");
  return entry;
}

function checkSeal(ctx: ItemContext, item: PackItem, subject: string, docBytes: Uint8Array, seal: Uint8Array): void {
  const at = new Date(item.recordedAt);
  if (Number.isNaN(at.getTime())) {
    ctx.list.fail(subject, "META_MISMATCH", `recordedAt ${item.recordedAt} is not a time`);
    return;
  }
  const report = ctx.verifier.verify(docBytes, seal, at, item.kind === "receipt" ? "receipt" : "seal");
  const what =
    item.kind === "receipt"
      ? `receipt ${item.receiptId ?? ""} (for ${item.documentId})`
      : `document ${item.documentId}`;
  if (report.indication !== "TOTAL_PASSED") {
    const why = report.checks.find((c) => c.status === "FAILED");
    ctx.list.fail(
      subject,
      `SEAL_${report.subIndication ?? report.indication}`,
      `${what}: seal ${report.subIndication ?? report.indication}${why ? ` — ${why.id}: ${why.detail}` : ""}`,
    );
    return;
  }
  const agencies = report.signer?.agencyIds ?? [];
  if (agencies.length && !agencies.includes(item.from)) {
    ctx.list.fail(
      subject,
      "SEAL_AGENCY_MISMATCH",
      `${what}: sealed for agency ${agencies.join(", ")}, but it is from ${item.from}`,
    );
    return;
  }
  ctx.list.pass(
    subject,
    "SEAL_OK",
    `${what}: seal TOTAL_PASSED at ${report.validationTime} (${report.signer?.subject ?? "?"})`,
  );
}

/** The entry bytes hash to the leaf hash named, and its proof reaches the checkpoint root (items and the case index). */
export function checkInclusion(
  ctx: ItemContext,
  item: Pick<PackItem, "leafIndex" | "leafHash" | "proof">,
  entryBytes: Uint8Array,
): void {
  const subject = `leaf:${item.leafIndex}`;
  const leafHash = rfc6962Hasher.hashLeaf(entryBytes);
  if (toHex(leafHash) !== item.leafHash) {
    ctx.list.fail(
      subject,
      "LEAF_HASH_MISMATCH",
      `leaf ${item.leafIndex}: entry hashes to ${toHex(leafHash)}, the manifest says ${item.leafHash}`,
    );
  }
  const proof = (Array.isArray(item.proof) ? item.proof : []).map((h) => fromHex(String(h)));
  if (!Array.isArray(item.proof) || proof.some((h) => h?.length !== rfc6962Hasher.size)) {
    ctx.list.fail(subject, "PROOF_MALFORMED", `leaf ${item.leafIndex}: the proof is not a list of 32-byte hex hashes`);
    return;
  }
  if (!ctx.checkpoint) return;
  try {
    verifyInclusion(
      rfc6962Hasher,
      item.leafIndex,
      ctx.checkpoint.size,
      leafHash,
      proof as Uint8Array[],
      ctx.checkpoint.root,
    );
    ctx.list.pass(subject, "INCLUSION_OK", `leaf ${item.leafIndex} is in the tree of size ${ctx.checkpoint.size}`);
  } catch (err) {
    ctx.list.fail(
      subject,
      "INCLUSION_FAILED",
      `leaf ${item.leafIndex}: inclusion proof does not reach the checkpoint root (${(err as Error).message})`,
    );
  }
}

function safeCanonical(value: unknown): Uint8Array {
  try {
    return canonicalBytes(value);
  } catch {
    return new Uint8Array();
  }
}

function safeSeal(base64: string): Uint8Array {
  try {
    return decodeSeal(base64);
  } catch {
    return new Uint8Array();
  }
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}
