import { toHex } from "../../domain/archive/index.ts";
import { verifyNote } from "../../pki/index.ts";
import { parseCaseIndex, type CaseIndex } from "../case-index.ts";
import type { PackManifest } from "./format.ts";
import { checkInclusion, type ItemContext } from "./item.ts";
import { parseStatement } from "./statement.ts";

/**
 * Completeness of an evidence pack (issue 9 item 10). The case index (a leaf of the log, proven like
 * any item) lists every document and receipt leaf of the case view; the pack must hold exactly those:
 * a listed leaf that is absent is ITEM_MISSING, an item the index does not list is ITEM_UNLISTED,
 * both failures. The gateway's signed statement names that index as the latest in the checkpoint's
 * tree, so an older index (and the shorter list it carries) cannot be substituted.
 */
const SUBJECT = "index";

export function checkCompleteness(ctx: ItemContext, m: PackManifest, vkey: string | undefined): void {
  const { list } = ctx;
  const before = list.checks.length;
  if ((m.version as number) === 1) {
    list.fail(
      SUBJECT,
      "COMPLETENESS_UNPROVEN",
      "a version 1 pack does not commit to its item set, so a removed item cannot be detected: export the case again",
    );
    return;
  }
  const index = readIndex(ctx, m);
  if (index) checkItems(ctx, m, index);
  checkStatement(ctx, m, vkey);
  const leafSubject = `leaf:${String(m.caseIndex?.leafIndex)}`;
  if (index && list.failures(SUBJECT, before) + list.failures(leafSubject, before) === 0) {
    list.pass(
      SUBJECT,
      "INDEX_OK",
      `the case index at leaf ${m.caseIndex.leafIndex} lists ${index.items.length} item(s): the pack holds exactly those`,
    );
  }
}

function readIndex(ctx: ItemContext, m: PackManifest): CaseIndex | undefined {
  const { list, files } = ctx;
  const ci = m.caseIndex;
  if (typeof ci !== "object" || ci === null || typeof ci.path !== "string") {
    list.fail(SUBJECT, "INDEX_MISSING", "the manifest names no case index, so the pack cannot show it is complete");
    return undefined;
  }
  const bytes = files[ci.path];
  if (!bytes) {
    list.fail(SUBJECT, "FILE_MISSING", `${ci.path} (the case index) is missing`);
    return undefined;
  }
  checkInclusion(ctx, ci, bytes);
  const parsed = parseCaseIndex(bytes);
  if (typeof parsed === "string") {
    list.fail(SUBJECT, "INDEX_UNREADABLE", `${ci.path}: ${parsed}`);
    return undefined;
  }
  const { meta } = parsed;
  const claims: [string, unknown, unknown][] = [
    ["caseId", meta.caseId, m.caseId],
    ["ownerAgency", meta.ownerAgency, m.agencyId],
    ["status", meta.status, ci.status],
    ["count", meta.count, ci.count],
    ["recordedAt", meta.recordedAt, ci.recordedAt],
  ];
  for (const [field, inIndex, inManifest] of claims) {
    if (inIndex !== inManifest)
      list.fail(
        SUBJECT,
        "INDEX_MISMATCH",
        `the case index's ${field} is ${String(inIndex)}, the manifest says ${String(inManifest)}`,
      );
  }
  const late = parsed.items.find((i) => i.leafIndex >= ci.leafIndex);
  if (late)
    list.fail(
      SUBJECT,
      "INDEX_MISMATCH",
      `the case index at leaf ${ci.leafIndex} lists leaf ${late.leafIndex}, which comes after it`,
    );
  return parsed;
}

function checkItems(ctx: ItemContext, m: PackManifest, index: CaseIndex): void {
  const { list } = ctx;
  const listed = new Map(index.items.map((i) => [i.leafIndex, i]));
  const held = new Set<number>();
  for (const item of m.items) {
    const what = `${item.kind} ${item.kind === "receipt" ? `for ${item.documentId}` : item.documentId} (leaf ${item.leafIndex})`;
    const entry = listed.get(item.leafIndex);
    if (!entry || held.has(item.leafIndex)) {
      list.fail(SUBJECT, "ITEM_UNLISTED", `${what} is not in the case index${entry ? " more than once" : ""}`);
      continue;
    }
    held.add(item.leafIndex);
    if (entry.leafHash !== item.leafHash || entry.kind !== item.kind || entry.documentId !== item.documentId) {
      list.fail(
        SUBJECT,
        "ITEM_MISMATCH",
        `${what}: the case index lists ${entry.kind} ${entry.documentId} with leaf hash ${entry.leafHash} there`,
      );
    }
  }
  for (const entry of index.items) {
    if (!held.has(entry.leafIndex)) {
      list.fail(
        SUBJECT,
        "ITEM_MISSING",
        `the case index lists ${entry.kind} ${entry.kind === "receipt" ? `for ${entry.documentId}` : entry.documentId} at leaf ${entry.leafIndex}; the pack does not hold it`,
      );
    }
  }
}

function checkStatement(ctx: ItemContext, m: PackManifest, vkey: string | undefined): void {
  const { list, files, checkpoint } = ctx;
  const path = m.statement?.path;
  const note = typeof path === "string" ? files[path] : undefined;
  if (!note) {
    list.fail(
      SUBJECT,
      "STATEMENT_MISSING",
      "the pack holds no export statement, so nothing says its case index is the latest",
    );
    return;
  }
  let text: string;
  try {
    if (!vkey) throw new Error("no checkpoint key to verify it with");
    text = verifyNote(note, [vkey]).text;
  } catch (err) {
    list.fail(
      SUBJECT,
      "STATEMENT_INVALID",
      `${path} does not verify with the checkpoint key: ${(err as Error).message}`,
    );
    return;
  }
  const s = parseStatement(text);
  if (typeof s === "string") {
    list.fail(SUBJECT, "STATEMENT_INVALID", `${path}: ${s}`);
    return;
  }
  const claims: [string, unknown, unknown][] = [
    ["origin", s.origin, checkpoint?.origin],
    ["case", s.caseId, m.caseId],
    ["agency", s.agencyId, m.agencyId],
    ["generatedAt", s.generatedAt, m.generatedAt],
    ["checkpoint size", s.checkpoint.size, checkpoint?.size],
    ["checkpoint root", s.checkpoint.rootHex, checkpoint && toHex(checkpoint.root)],
    ["case index leaf", s.caseIndex.leafIndex, m.caseIndex?.leafIndex],
    ["case index hash", s.caseIndex.leafHash, m.caseIndex?.leafHash],
  ];
  const wrong = claims.filter(([, stated, inPack]) => stated !== inPack);
  for (const [field, stated, inPack] of wrong) {
    list.fail(
      SUBJECT,
      "STATEMENT_MISMATCH",
      `the gateway's statement names ${field} ${String(stated)}, the pack has ${String(inPack)}`,
    );
  }
  if (!wrong.length) {
    list.pass(
      SUBJECT,
      "STATEMENT_OK",
      `${s.origin} states that leaf ${s.caseIndex.leafIndex} is the latest index of case ${s.caseId} (agency ${s.agencyId}) in its tree of size ${s.checkpoint.size}, as of ${s.generatedAt}`,
    );
  }
}
