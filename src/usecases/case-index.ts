import canonicalize from "canonicalize";
import { canonicalJson } from "./jcs.ts";
import type { ArchiveEntryInput } from "./ports.ts";

/**
 * The case index (issue 9 item 10): an archive leaf that lists, in log order, every document and
 * receipt leaf of one agency's view of a case so far. The store appends a fresh one after the items
 * of every batch that touches the case, computed inside the write transaction from the case's prior
 * leaves and the batch's own (so a concurrent batch cannot be missed), and the evidence pack must
 * include and prove the latest one: an item dropped from a pack is then a listed leaf that is
 * missing, not an absence nobody can see. Pure: the storage adapter calls it with what it read.
 *
 *   {"items":[{"documentId","kind","leafHash","leafIndex"},…],
 *    "meta":{"caseId","count","jiexuArchive":1,"kind":"case-index","ownerAgency","recordedAt","status"}}
 */
export interface IndexedItem {
  leafIndex: number;
  /** RFC 9162 leaf hash of the item's entry, lowercase hex. */
  leafHash: string;
  kind: "document" | "receipt";
  /** As in the item's archive meta: a receipt names the document it acknowledges. */
  documentId: string;
}

export interface CaseIndexMeta {
  jiexuArchive: 1;
  kind: "case-index";
  ownerAgency: string;
  caseId: string;
  /** The case's status after the batch, when the owner holds a case record. */
  status: string | null;
  /** The latest archive time among the batch's items (or the time of an export-time index). */
  recordedAt: string;
  count: number;
}

export interface CaseIndex {
  meta: CaseIndexMeta;
  items: IndexedItem[];
}

export const CASE_INDEX_KIND = "case-index";

export function caseIndexEntry(
  input: Omit<CaseIndexMeta, "jiexuArchive" | "kind" | "count"> & { items: IndexedItem[] },
): ArchiveEntryInput {
  const items = inLeafOrder(input.items);
  const meta: CaseIndexMeta = {
    jiexuArchive: 1,
    kind: CASE_INDEX_KIND,
    ownerAgency: input.ownerAgency,
    caseId: input.caseId,
    status: input.status,
    recordedAt: input.recordedAt,
    count: items.length,
  };
  const entry = encoder.encode(caseIndexText(meta, items));
  return {
    kind: CASE_INDEX_KIND,
    ownerAgency: meta.ownerAgency,
    caseId: meta.caseId,
    documentId: "",
    recordedAt: meta.recordedAt,
    entry,
  };
}

const encoder = new TextEncoder();

/** The items by leaf index (a stable sort); the store hands them in order already, so usually as given. */
function inLeafOrder(items: IndexedItem[]): IndexedItem[] {
  for (let i = 1; i < items.length; i++)
    if (!(items[i - 1]!.leafIndex <= items[i]!.leafIndex)) return [...items].sort((a, b) => a.leafIndex - b.leafIndex);
  return items;
}

/**
 * The RFC 8785 text of `{meta, items}` (items reduced to their four fields). The writer builds one per
 * case per change, so it is written out directly (issue 12): the members in code-unit order, strings and
 * integers as JSON.stringify writes them — which is what RFC 8785 specifies. A value that is not a
 * well-formed string or a safe integer where one is expected goes the general way (canonicalJson);
 * test/usecases/case-index-text.test.ts compares the two.
 */
export function caseIndexText(meta: CaseIndexMeta, items: IndexedItem[]): string {
  try {
    const list = items.map(
      (i) =>
        `{"documentId":${str(i.documentId)},"kind":${str(i.kind)},"leafHash":${str(i.leafHash)},"leafIndex":${int(i.leafIndex)}}`,
    );
    const status = meta.status === null ? "null" : str(meta.status);
    const head = `{"caseId":${str(meta.caseId)},"count":${int(meta.count)},"jiexuArchive":${int(meta.jiexuArchive)}`;
    const tail = `"kind":${str(meta.kind)},"ownerAgency":${str(meta.ownerAgency)},"recordedAt":${str(meta.recordedAt)},"status":${status}}`;
    return `{"items":[${list.join(",")}],"meta":${head},${tail}}`;
  } catch (err) {
    if (err !== GENERAL) throw err;
  }
  const listed = items.map(({ leafIndex, leafHash, kind, documentId }) => ({ leafIndex, leafHash, kind, documentId }));
  return canonicalJson({ meta, items: listed })!;
}

const GENERAL = Symbol("not a plain string or integer");

function str(s: unknown): string {
  if (typeof s !== "string" || !(s as unknown as { isWellFormed(): boolean }).isWellFormed()) throw GENERAL;
  return JSON.stringify(s);
}

function int(n: unknown): string {
  if (!Number.isSafeInteger(n)) throw GENERAL;
  return JSON.stringify(n);
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Reads an index entry back; returns why it is not one as a string (for the verifier's and the audit's
 * messages). `canonical: false` skips the RFC 8785 check, for the store re-reading an index it wrote.
 */
export function parseCaseIndex(
  bytes: Uint8Array,
  options: { canonical: boolean } = { canonical: true },
): CaseIndex | string {
  let text: string;
  let value: { meta?: Record<string, unknown>; items?: unknown };
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    value = JSON.parse(text);
  } catch (err) {
    return `not UTF-8 JSON: ${(err as Error).message}`;
  }
  if (typeof value !== "object" || value === null || (options.canonical && canonicalize(value) !== text))
    return "not RFC 8785 canonical JSON";
  const meta = value.meta;
  if (typeof meta !== "object" || meta === null || meta.jiexuArchive !== 1 || meta.kind !== CASE_INDEX_KIND)
    return "meta is not a case-index meta";
  for (const f of ["ownerAgency", "caseId", "recordedAt"])
    if (typeof meta[f] !== "string" || meta[f] === "") return `meta.${f} is required`;
  if (meta.status !== null && typeof meta.status !== "string") return "meta.status is not a string";
  if (!Array.isArray(value.items) || meta.count !== value.items.length) return "items do not match meta.count";
  let last = -1;
  for (const it of value.items as Record<string, unknown>[]) {
    const ok =
      typeof it === "object" &&
      it !== null &&
      Number.isSafeInteger(it.leafIndex) &&
      (it.leafIndex as number) > last &&
      typeof it.leafHash === "string" &&
      HEX64.test(it.leafHash) &&
      (it.kind === "document" || it.kind === "receipt") &&
      typeof it.documentId === "string";
    if (!ok) return "items must be {leafIndex, leafHash, kind, documentId} in increasing leaf order";
    last = it.leafIndex as number;
  }
  return value as unknown as CaseIndex;
}
