import { describe, expect, it } from "vitest";
import {
  COMMON_SCHEMA,
  DOCUMENT_TYPES,
  SCHEMAS,
  schemaProblems,
  validateDocument,
} from "../../../src/domain/documents/index.ts";
import { NOW, edited, example } from "./fixtures.ts";

type Node = Record<string, unknown>;

/** Every property schema in a schema tree (conditions under `if` excluded), with its JSON path. */
function properties(node: unknown, path = "#"): [string, string, Node][] {
  if (typeof node !== "object" || node === null) return [];
  const entries = Object.entries(node as Node).filter(([key]) => key !== "if");
  const own = Object.entries(((node as Node).properties ?? {}) as Record<string, Node>).map(
    ([name, schema]) => [`${path}/properties/${name}`, name, schema] as [string, string, Node],
  );
  return [...own, ...entries.flatMap(([key, child]) => properties(child, `${path}/${key}`))];
}

const ALL = { common: COMMON_SCHEMA, ...SCHEMAS };
const CJK = /[\u4e00-\u9fff]/;

describe("schemas/ conventions", () => {
  it("has one body schema per document type, all 2020-12", () => {
    for (const type of DOCUMENT_TYPES) expect(SCHEMAS[type].$id).toContain(`/${type}.schema.json`);
    for (const schema of Object.values(ALL))
      expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  });

  it("gives every property a zh-CN title and description", () => {
    const missing = Object.entries(ALL).flatMap(([name, schema]) =>
      properties(schema)
        .filter(([, , s]) => !CJK.test(String(s.title ?? "")) || !CJK.test(String(s.description ?? "")))
        .map(([path]) => `${name} ${path}`),
    );
    expect(missing).toEqual([]);
  });

  it("keeps money in integer fen: every *Fen property is the fen type, and no schema allows numbers", () => {
    const fenDef = (COMMON_SCHEMA.$defs as Record<string, Node>).fen!;
    expect(fenDef.type).toBe("integer");
    const notFen = Object.entries(ALL).flatMap(([name, schema]) =>
      properties(schema)
        .filter(([, prop, s]) => prop.endsWith("Fen") && !String(s.$ref).endsWith("#/$defs/fen"))
        .map(([path]) => `${name} ${path}`),
    );
    expect(notFen).toEqual([]);
    expect(JSON.stringify(ALL)).not.toContain('"number"');
  });
});

describe("schemaProblems", () => {
  it("reports a float amount with the keyword, the pointer and the field's zh-CN title", () => {
    const doc = edited("fund-transfer", (d) => (d.body.pooledFundFen = 100.5));
    const [problem] = validateDocument(doc, { now: NOW }).problems;
    expect(problem).toMatchObject({ code: "SCHEMA", path: "/body/pooledFundFen", severity: "error" });
    expect(problem!.message).toContain("[type]");
    expect(problem!.message).toContain("统筹基金转移额⑤");
  });

  it("names a missing field by its title and key", () => {
    const doc = edited("contact-letter", (d) => delete (d.body as Partial<typeof d.body>).handler);
    const [problem] = validateDocument(doc, { now: NOW }).problems;
    expect(problem).toMatchObject({ code: "SCHEMA", path: "/body" });
    expect(problem!.message).toMatch(/经办人.*handler.*\[required\]/);
  });

  it("finds titles inside contribution rows (through items and $ref)", () => {
    const doc = edited("insurance-record", (d) => (d.body.contributions[2]!.monthlyBaseFen = -1));
    const [problem] = validateDocument(doc, { now: NOW }).problems;
    expect(problem).toMatchObject({ path: "/body/contributions/2/monthlyBaseFen" });
    expect(problem!.message).toMatch(/月缴费基数.*\[minimum\]/);
  });

  it.each([
    { name: "not an object", value: "hello", path: "" },
    { name: "null", value: null, path: "" },
    { name: "an unknown type", value: { ...example("receipt"), type: "memo" }, path: "/type" },
    { name: "a missing body", value: { ...example("receipt"), body: undefined }, path: "" },
    { name: "an extra envelope field", value: { ...example("receipt"), extra: 1 }, path: "" },
    { name: "a bad issuedAt", value: { ...example("receipt"), issuedAt: "2024-08-05 15:00" }, path: "/issuedAt" },
  ])("rejects $name without throwing", ({ value, path }) => {
    const result = validateDocument(value, { now: NOW });
    expect(result.valid).toBe(false);
    expect(result.problems.map((p) => [p.code, p.path])).toContainEqual(["SCHEMA", path]);
  });

  it("can be used on a body schema alone", () => {
    expect(schemaProblems("receipt", example("receipt").body)).toEqual([]);
  });
});
