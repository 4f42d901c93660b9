import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DOCUMENT_PROBLEM_CODES,
  DOCUMENT_TYPES,
  isSealedDocument,
  validateDocument,
  validateSealedDocument,
} from "../../../src/domain/documents/index.ts";
import { BROKEN_DIR, NOW, brokenCases, example, loadJson } from "./fixtures.ts";

describe("schemas/examples", () => {
  it.each(DOCUMENT_TYPES)("accepts the %s example", (type) => {
    expect(validateDocument(example(type), { now: NOW })).toEqual({ valid: true, problems: [] });
  });

  it("accepts every example checked together as one case", () => {
    const all = DOCUMENT_TYPES.map((type) => example(type));
    for (const doc of all) expect(validateDocument(doc, { now: NOW, related: all }).problems).toEqual([]);
  });

  it("accepts an example wrapped as a sealed document", () => {
    const sealed = { document: example("insurance-record"), seal: "MIAGCSqGSIb3DQEHAqCAMIACAQEx" };
    expect(validateSealedDocument(sealed, { now: NOW })).toEqual({ valid: true, problems: [] });
  });
});

describe("schemas/examples/broken", () => {
  const cases = brokenCases();

  it("lists every broken twin in expected.json", () => {
    const files = readdirSync(BROKEN_DIR).filter((f) => f.endsWith(".json") && f !== "expected.json");
    expect(files.sort()).toEqual(cases.map(([file]) => file).sort());
  });

  it.each(cases)("rejects %s with its expected code", (file, expected) => {
    const value = loadJson(resolve(BROKEN_DIR, file));
    const related = (expected.with ?? []).map((other) => loadJson(resolve(BROKEN_DIR, other)));
    const validate = isSealedDocument(value) ? validateSealedDocument : validateDocument;
    const result = validate(value, { now: NOW, related, emergencyWindows: expected.emergencyWindows ?? [] });
    const codes = [...new Set(result.problems.filter((p) => p.severity === "error").map((p) => p.code))];
    expect(result.valid).toBe(false);
    expect(codes.sort()).toEqual([...expected.codes].sort());
    for (const p of result.problems) expect(p.path).toMatch(/^(\/[^/]+)*$/);
  });

  it("covers every business-rule code except the warning", () => {
    const covered = new Set(cases.flatMap(([, c]) => c.codes));
    expect(DOCUMENT_PROBLEM_CODES.filter((c) => !covered.has(c))).toEqual(["ID_NUMBER_LEGACY"]);
  });
});
