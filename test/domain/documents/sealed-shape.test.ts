import { describe, expect, it } from "vitest";
import { toResult } from "../../../src/domain/documents/problems.ts";
import { schemaProblems } from "../../../src/domain/documents/schema-problems.ts";
import { plainSealedShape, validateDocument, validateSealedDocument } from "../../../src/domain/documents/validate.ts";
import { example, NOW } from "./fixtures.ts";
import { seededRandom as random } from "../../support/random.ts";

/**
 * validateSealedDocument skips the sealed-document schema's validator when plainSealedShape says it would find
 * nothing outside `/document` (issue 12): over fuzzed sealed documents, the result must be what the validator path
 * gives, and the shortcut must hold only where the validator finds nothing outside `/document`.
 */
/** validateSealedDocument as it was: the schema's validator on the whole value, its `/document` problems dropped. */
function reference(value: unknown) {
  const outer = schemaProblems("sealed-document", value).filter((p) => !p.path.startsWith("/document"));
  if (typeof value !== "object" || value === null || Array.isArray(value) || !("document" in value))
    return toResult(outer);
  const inner = validateDocument((value as { document: unknown }).document, { now: NOW }).problems.map((p) => ({
    ...p,
    path: `/document${p.path}`,
  }));
  return toResult([...outer, ...inner]);
}

const SEAL_CHARS = ["A", "z", "0", "9", "+", "/", "=", "-", "_", " ", "\n", "é", "\uD83D\uDE00", "%"];

function seal(next: () => number): unknown {
  const pick = next();
  if (pick < 0.05) return 1234;
  if (pick < 0.08) return null;
  if (pick < 0.5) {
    // Well-formed base64 of any length, sometimes padded.
    let s = "";
    const groups = Math.floor(next() * 4);
    for (let i = 0; i < groups * 4; i++) s += "QUJDZGVm+/09"[Math.floor(next() * 12)];
    const tail = ["", "QQ==", "QUI=", "Q===", "QU==", "QUJD"][Math.floor(next() * 6)];
    return s + tail;
  }
  let s = "";
  const length = Math.floor(next() * 14);
  for (let i = 0; i < length; i++)
    s += next() < 0.8 ? "QUJDZGVm"[Math.floor(next() * 8)] : SEAL_CHARS[Math.floor(next() * SEAL_CHARS.length)];
  return s;
}

function sealed(next: () => number): unknown {
  const value: Record<string, unknown> = {};
  const document = next() < 0.85 ? example("contact-letter") : next() < 0.5 ? { id: 1 } : "text";
  if (next() < 0.5) {
    if (next() < 0.95) value.document = document;
    if (next() < 0.95) value.seal = seal(next);
  } else {
    if (next() < 0.95) value.seal = seal(next);
    if (next() < 0.95) value.document = document;
  }
  if (next() < 0.08) value.extra = true;
  if (next() < 0.03) value.document = undefined;
  const shape = next();
  if (shape < 0.02) return [value];
  if (shape < 0.04) return null;
  return value;
}

describe("validateSealedDocument's shortcut for the plain sealed shape", () => {
  it("gives what the schema's validator gives, over fuzzed sealed documents", () => {
    const next = random(3);
    let shortcut = 0;
    for (let i = 0; i < 4_000; i++) {
      const value = sealed(next);
      if (plainSealedShape(value)) {
        shortcut++;
        expect(schemaProblems("sealed-document", value).filter((p) => !p.path.startsWith("/document"))).toEqual([]);
      }
      expect(validateSealedDocument(value, { now: NOW })).toEqual(reference(value));
    }
    expect(shortcut).toBeGreaterThan(500);
  });

  it("takes the shortcut for a real sealed document and refuses what the schema refuses", () => {
    const document = example("contact-letter");
    expect(plainSealedShape({ document, seal: "MIIBCg==" })).toBe(true);
    expect(plainSealedShape({ seal: "MIIBCg==", document })).toBe(true);
    expect(plainSealedShape({ document, seal: "MII" })).toBe(false);
    expect(plainSealedShape({ document, seal: "MIIBCg=" })).toBe(false);
    expect(plainSealedShape({ document, seal: "MIIB\nCg==" })).toBe(false);
    expect(plainSealedShape({ document, seal: "MIIBCg==", note: 1 })).toBe(false);
    expect(plainSealedShape({ seal: "MIIBCg==" })).toBe(false);
  });
});
