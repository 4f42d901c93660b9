import { createHash } from "node:crypto";
import { toHex } from "../../domain/archive/index.ts";
import { CASE_INDEX_KIND, parseCaseIndex, type IndexedItem } from "../case-index.ts";
import { leafFailure, type AuditTally } from "./audit-report.ts";
import { hasher } from "./log.ts";
import type { ArchiveLeaf } from "../ports.ts";

/**
 * The case-index leaves in the integrity audit (issue 9 item 10). While the audit streams through
 * the log, it keeps per (owner, case) the number of document and receipt leaves seen and a running
 * digest of them (memory per case, not per leaf), and checks that each case index lists exactly
 * those; at the end, that no case has items after its last index. A case archived before case
 * indexes existed has none until it is next touched or exported: that is not a failure.
 */
interface CaseState {
  count: number;
  digest: string;
  lastIndex?: number;
  /** First item leaf after the case's last index. */
  behind?: number;
}

export const isIndexLeaf = (leaf: ArchiveLeaf): boolean => leaf.kind === CASE_INDEX_KIND;

export class CaseIndexAudit {
  private readonly cases = new Map<string, CaseState>();

  observe(leaf: ArchiveLeaf, tally: AuditTally): void {
    const key = JSON.stringify([leaf.ownerAgency, leaf.caseId]);
    const state = this.cases.get(key) ?? { count: 0, digest: "" };
    this.cases.set(key, state);
    if (!isIndexLeaf(leaf)) {
      const item = {
        leafIndex: leaf.index,
        leafHash: toHex(hasher.hashLeaf(leaf.entry)),
        kind: leaf.kind as IndexedItem["kind"],
        documentId: leaf.documentId,
      };
      state.count++;
      state.digest = chain(state.digest, item);
      state.behind ??= leaf.index;
      return;
    }
    state.lastIndex = leaf.index;
    delete state.behind;
    checkIndexLeaf(leaf, state, tally);
  }

  finish(tally: AuditTally): void {
    for (const [key, state] of this.cases) {
      if (state.lastIndex === undefined) continue;
      tally.checked("integrity.case-index");
      if (state.behind === undefined) continue;
      const [owner, caseId] = JSON.parse(key) as [string, string];
      tally.fail(
        "integrity.case-index",
        leafFailure(state.behind)(
          "kind",
          "INDEX_BEHIND",
          `leaf ${state.behind} of case ${caseId} (agency ${owner}) comes after the case's last index (leaf ${state.lastIndex})`,
        ),
      );
    }
  }
}

function checkIndexLeaf(leaf: ArchiveLeaf, state: CaseState, tally: AuditTally): void {
  const at = leafFailure(leaf.index);
  tally.checked("usability.readable");
  const parsed = parseCaseIndex(leaf.entry);
  if (typeof parsed === "string") {
    tally.fail("usability.readable", at("entry", "INDEX_UNREADABLE", `case index ${leaf.index}: ${parsed}`));
    return;
  }
  tally.checked("integrity.metadata");
  const { meta, items } = parsed;
  const columns: [string, unknown, unknown][] = [
    ["owner_agency", leaf.ownerAgency, meta.ownerAgency],
    ["case_id", leaf.caseId, meta.caseId],
    ["recorded_at", leaf.recordedAt, meta.recordedAt],
    ["document_id", leaf.documentId, ""],
  ];
  for (const [column, stored, inMeta] of columns) {
    if (stored !== inMeta)
      tally.fail(
        "integrity.metadata",
        at(
          column,
          "METADATA",
          `case index ${leaf.index}: ${column} column says ${String(stored)}, the entry says ${String(inMeta)}`,
        ),
      );
  }
  tally.checked("integrity.case-index");
  const digest = items.reduce(chain, "");
  if (items.length !== state.count || digest !== state.digest) {
    tally.fail(
      "integrity.case-index",
      at(
        "entry",
        "CASE_INDEX_MISMATCH",
        `case index ${leaf.index} lists ${items.length} item(s); the log has ${state.count} document and receipt leaves of the case before it${items.length === state.count ? ", and they differ" : ""}`,
      ),
    );
  }
}

function chain(digest: string, item: IndexedItem): string {
  return createHash("sha256")
    .update(`${digest}|${item.leafIndex}:${item.leafHash}:${item.kind}:${item.documentId}`)
    .digest("hex");
}
