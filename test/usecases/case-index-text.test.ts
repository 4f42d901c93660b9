import { describe, expect, it } from "vitest";
import {
  CASE_INDEX_KIND,
  type CaseIndexMeta,
  caseIndexEntry,
  caseIndexText,
  type IndexedItem,
  parseCaseIndex,
} from "../../src/usecases/case-index.ts";
import { canonicalJson } from "../../src/usecases/jcs.ts";
import { seededRandom } from "../support/random.ts";

/** The general way caseIndexText stands in for: RFC 8785 of `{meta, items}`, items reduced to four fields. */
function reference(meta: CaseIndexMeta, items: IndexedItem[]): string {
  const listed = items.map(({ leafIndex, leafHash, kind, documentId }) => ({ leafIndex, leafHash, kind, documentId }));
  return canonicalJson({ meta, items: listed })!;
}

/** A text, or the error it threw (a lone surrogate is refused by the package the general way uses). */
function outcome(write: () => string): { text: string } | { error: string } {
  try {
    return { text: write() };
  } catch (err) {
    return { error: String(err) };
  }
}

// Quotes, backslashes, control characters, non-ASCII, astral pairs and lone surrogates.
const UNITS = [
  "a",
  "Z",
  "0",
  '"',
  "\\",
  "\n",
  "\u0001",
  "\u001f",
  "\u007f",
  "é",
  "浙",
  "\u2028",
  "\ud83d\ude00",
  "\ud800",
  "\udfff",
  "/",
];

function text(next: () => number): string {
  let s = "";
  for (let n = Math.floor(next() * 6); n > 0; n--) s += UNITS[Math.floor(next() * UNITS.length)];
  return s;
}

function numberLike(next: () => number): number {
  const pick = [0, 1, 7, 2 ** 40, -3, 1.5, Number.MAX_SAFE_INTEGER, 2 ** 60, -0];
  return next() < 0.8 ? Math.floor(next() * 1000) : pick[Math.floor(next() * pick.length)]!;
}

function fuzzMeta(next: () => number, count: number): CaseIndexMeta {
  const status = next() < 0.3 ? null : text(next);
  const [ownerAgency, caseId, recordedAt] = [text(next), text(next), text(next)];
  return { jiexuArchive: 1, kind: CASE_INDEX_KIND, ownerAgency, caseId, status, recordedAt, count };
}

function fuzzItems(next: () => number): IndexedItem[] {
  return Array.from({ length: Math.floor(next() * 5) }, () => {
    const kind = (next() < 0.5 ? "document" : next() < 0.9 ? "receipt" : text(next)) as IndexedItem["kind"];
    const item = { leafIndex: numberLike(next), leafHash: text(next), kind, documentId: text(next) };
    return next() < 0.2 ? { ...item, extra: text(next) } : item;
  });
}

describe("caseIndexText (the case-index leaf written out)", () => {
  it("is the RFC 8785 text of {meta, items} for fuzzed values, awkward strings and numbers included", () => {
    const next = seededRandom(912);
    let [written, refused] = [0, 0];
    for (let n = 0; n < 5000; n++) {
      const items = fuzzItems(next);
      const meta = fuzzMeta(next, items.length);
      const got = outcome(() => caseIndexText(meta, items));
      expect(got).toEqual(outcome(() => reference(meta, items)));
      if ("text" in got) written++;
      else refused++;
    }
    expect(Math.min(written, refused)).toBeGreaterThan(500);
  });

  it("builds the same entry as before: items sorted by leaf index, reduced to four fields", () => {
    const hash = (c: string) => c.repeat(64);
    const items: IndexedItem[] = [
      { leafIndex: 9, leafHash: hash("b"), kind: "receipt", documentId: "浙-2" },
      { leafIndex: 3, leafHash: hash("a"), kind: "document", documentId: 'D"1' },
      { leafIndex: 3, leafHash: hash("c"), kind: "receipt", documentId: "tie, kept in order" },
    ];
    const input = {
      ownerAgency: "330000",
      caseId: "case-1",
      status: "transferring",
      recordedAt: "2026-03-02T08:00:00Z",
    };
    const entry = caseIndexEntry({ ...input, items });
    const sorted = [items[1]!, items[2]!, items[0]!];
    const meta: CaseIndexMeta = { jiexuArchive: 1, kind: CASE_INDEX_KIND, ...input, count: 3 };
    expect(new TextDecoder().decode(entry.entry)).toBe(reference(meta, sorted));
    expect(items[0]!.leafIndex).toBe(9); // the caller's list is left as it was
    const parsed = parseCaseIndex(caseIndexEntry({ ...input, items: [sorted[0]!, sorted[2]!] }).entry);
    expect(typeof parsed === "object" && parsed.items.map((i) => i.leafIndex)).toEqual([3, 9]);
  });
});
