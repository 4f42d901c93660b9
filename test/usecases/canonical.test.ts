import canonicalize from "canonicalize";
import { describe, expect, it } from "vitest";
import {
  canonicalBytes,
  canonicalText,
  sealedDocumentBytes,
  sealedDocumentText,
} from "../../src/usecases/canonical.ts";

/** The text-keeping receipt path writes the bytes the byte path wrote (receipts.ts used to decode them back). */
const RECEIPT = {
  jiexu: 1,
  id: "rcpt-1",
  type: "receipt",
  caseId: "case-张三",
  from: "310000",
  to: "440000",
  issuedAt: "2026-05-01T16:00:00+08:00",
  replyTo: "doc-😀",
  body: { documentId: "doc-😀", documentDigest: "ab".repeat(32), receivedAt: "2026-05-01T16:00:00+08:00" },
};

describe("canonical text and bytes", () => {
  it("canonicalBytes is the UTF-8 of the canonicalize package's text", () => {
    expect(canonicalBytes(RECEIPT)).toEqual(new TextEncoder().encode(canonicalize(RECEIPT)));
  });

  it("sealedDocumentText is the text of sealedDocumentBytes for the same canonical form and seal", () => {
    const seal = Uint8Array.from({ length: 700 }, (_, i) => (i * 7) & 0xff);
    const viaBytes = new TextDecoder().decode(sealedDocumentBytes(canonicalBytes(RECEIPT), seal));
    expect(sealedDocumentText(canonicalText(RECEIPT), seal)).toBe(viaBytes);
  });
});
