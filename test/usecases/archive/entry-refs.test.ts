import { describe, expect, it } from "vitest";
import { documentEntry, receiptEntry, splitEntry } from "../../../src/usecases/archive/entries.ts";
import {
  headIfReferenced,
  headLength,
  isEntryHead,
  rebuildEntry,
  referencedKey,
} from "../../../src/usecases/archive/entry-refs.ts";
import { documentRecord } from "../../storage/fixtures.ts";

/** The head / rebuild arithmetic of leaves stored by reference (issue 12 item 1), on its own. */
const record = documentRecord({
  // A sender and ids that would confuse a naive split: quotes and the separator itself, escaped in the meta.
  documentId: 'doc-"sealed":-1',
  canonical: new TextEncoder().encode('{"id":"x","sealed":"no"}'),
  receipt: '{"document":{"id":"r"},"seal":"AA=="}',
});
const row = { canonical: record.canonical, seal: record.seal, receipt: record.receipt };

describe("entry heads", () => {
  it("splits an entry where its sealed bytes start, and rebuilds it from the row", () => {
    for (const kind of ["document", "receipt"] as const) {
      const { input, headLength: length } = splitEntry(kind, record);
      expect(headLength(input.entry)).toBe(length);
      const head = input.entry.slice(0, length);
      expect(isEntryHead(head)).toBe(true);
      expect(isEntryHead(input.entry)).toBe(false);
      expect(rebuildEntry(head, row)).toEqual(input.entry);
      expect(headIfReferenced(input.entry, row)).toEqual(head);
    }
    expect(splitEntry("document", record).input.entry).toEqual(documentEntry(record).entry);
    expect(splitEntry("receipt", record).input.entry).toEqual(
      receiptEntry(record, record.receipt!, record.recordedAt).entry,
    );
  });

  it("names the row of the document, also for a receipt (whose meta names the receiver as its sender)", () => {
    const key = { ownerAgency: "330000", direction: "in", from: "440000", documentId: record.documentId };
    const head = (kind: "document" | "receipt") => {
      const { input, headLength: length } = splitEntry(kind, record);
      return input.entry.slice(0, length);
    };
    expect(referencedKey(head("document"))).toEqual({ kind: "document", key });
    expect(referencedKey(head("receipt"))).toEqual({ kind: "receipt", key });
  });

  it("refers only to a row holding exactly the sealed bytes, and rebuilds nothing without it", () => {
    const entry = receiptEntry(record, record.receipt!, record.recordedAt).entry;
    expect(headIfReferenced(entry, { ...row, receipt: '{"document":{"id":"s"},"seal":"AA=="}' })).toBeUndefined();
    expect(headIfReferenced(entry, { ...row, receipt: null })).toBeUndefined();
    const head = entry.slice(0, headLength(entry));
    expect(rebuildEntry(head, undefined)).toEqual(head);
    expect(rebuildEntry(head, { ...row, receipt: null })).toEqual(head);
    expect(headLength(new TextEncoder().encode('{"kind":"document"}'))).toBeUndefined();
  });
});
