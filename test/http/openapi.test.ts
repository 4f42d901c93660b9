import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toOpenApiPath } from "../../src/http/openapi.ts";
import { pageRouters } from "../../src/http/pages/index.ts";
import { createTestApp, type TestApp } from "./app-harness.ts";

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<string, { operationId: string; security: unknown[]; responses: Record<string, unknown>; tags: string[] }>
  >;
  components: { schemas: Record<string, { $id?: string }>; securitySchemes: object };
  tags: { name: string }[];
};

/** Every `$ref` in a value. */
function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsIn(v, out);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) k === "$ref" && typeof v === "string" ? out.push(v) : refsIn(v, out);
  return out;
}

describe("GET /openapi.json", () => {
  let t: TestApp;
  let doc: Doc;
  // The tests only read this one document and the app's route table.
  beforeAll(async () => {
    t = await createTestApp();
    doc = await (await t.call("GET", "/openapi.json")).json();
  });
  afterAll(async () => t.gw.close());

  it("is an OpenAPI 3.1 document with a bearer security scheme", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: "http", scheme: "bearer" }),
    });
  });

  it("documents exactly the routes the app serves, and nothing else", () => {
    // The pages for people (issue 13) are web pages, not API operations.
    const pages = new Set(pageRouters.flatMap((router) => router.routes.map((r) => `${r.method} ${r.path}`)));
    const served = new Set(
      t.app.routes
        .filter((r) => r.method !== "ALL" && !pages.has(`${r.method} ${r.path}`))
        .map((r) => `${r.method.toLowerCase()} ${toOpenApiPath(r.path)}`),
    );
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)),
    );
    expect([...documented].sort()).toEqual([...served].sort());
    expect(served.size).toBeGreaterThanOrEqual(17);
  });

  it("gives every operation a unique id, a known tag and a coded error response", () => {
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
    expect(new Set(ops.map((o) => o.operationId)).size).toBe(ops.length);
    const tags = new Set(doc.tags.map((x) => x.name));
    for (const op of ops) {
      expect(op.tags.every((tag) => tags.has(tag))).toBe(true);
      expect(op.responses["500"]).toBeDefined();
    }
  });

  it("secures /v1 operations with bearer tokens, except the sealed exchange", () => {
    expect(doc.paths["/v1/cases/{id}/documents"]!.post!.security).toEqual([{ bearer: [] }]);
    expect(doc.paths["/v1/cases/{id}/documents"]!.post!.responses).toHaveProperty("409");
    expect(doc.paths["/v1/exchange"]!.post!.security).toEqual([]);
    expect(doc.paths["/v1/exchange"]!.post!.responses).toHaveProperty("413");
    expect(doc.paths["/healthz"]!.get!.security).toEqual([]);
  });

  it("documents query parameters from the validators' zod schemas", () => {
    const params = (doc.paths["/v1/cases"]!.get as unknown as { parameters: { name: string; in: string }[] })
      .parameters;
    expect(params.map((p) => `${p.in}:${p.name}`)).toEqual([
      "query:state",
      "query:overdue",
      "query:priority",
      "query:after",
      "query:limit",
      "query:agency",
      "query:idNumber",
    ]);
  });

  it("bundles the schemas/ files under components/schemas, every $ref local", () => {
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(100);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas).toHaveProperty([ref.slice("#/components/schemas/".length)]);
    }
    // No $id left: a $ref under one would resolve against the schemas/ URI, not this document.
    expect(Object.values(doc.components.schemas).filter((s) => s.$id)).toEqual([]);
    expect(doc.components.schemas).toHaveProperty(["sealed-document"]);
    expect(doc.components.schemas).toHaveProperty(["contact-letter"]);
    expect(doc.components.schemas).toHaveProperty(["common.text"]);
    // Response shapes answered by several operations are named once, for client generators.
    for (const name of ["CaseView", "DocumentSummary", "InboxPage", "Delivery"])
      expect(doc.components.schemas).toHaveProperty([name]);
  });

  it("gives every JSON request and response body examples (the document itself aside), errors one per code", () => {
    type Media = { examples?: Record<string, { value: unknown }> };
    type Op = {
      requestBody?: { content: Record<string, Media> };
      responses: Record<string, { content?: Record<string, Media> }>;
    };
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops as unknown as Record<string, Op>)) {
        const media: [string, string, Media][] = [
          ...Object.entries(op.requestBody?.content ?? {}).map(
            ([ct, m]) => ["request", ct, m] as [string, string, Media],
          ),
          ...Object.entries(op.responses).flatMap(([status, r]) =>
            Object.entries(r.content ?? {}).map(([ct, m]) => [status, ct, m] as [string, string, Media]),
          ),
        ];
        for (const [where, ct, m] of media)
          if (ct === "application/json" && !m.examples) missing.push(`${method} ${path} ${where}`);
      }
    expect(missing).toEqual(["get /openapi.json 200"]);
    const refusals = (doc.paths["/v1/cases/{id}/documents"]!.post as unknown as Op).responses["400"]!.content![
      "application/json"
    ]!.examples!;
    expect(Object.keys(refusals).sort()).toEqual(["JSON_INVALID", "REQUEST_INVALID"]);
    const ack = doc.paths["/v1/inbox/{documentId}/ack"]!.post as unknown as { requestBody: { required: boolean } };
    expect(ack.requestBody.required).toBe(false);
  });

  it("documents the directory refusals of POST /v1/exchange: seal certificate and seal format not listed (422)", () => {
    type Op = { responses: Record<string, { content?: Record<string, { examples?: Record<string, unknown> }> }> };
    const exchange = doc.paths["/v1/exchange"]!.post as unknown as Op;
    const codes = Object.values(exchange.responses).flatMap((r) =>
      Object.keys(r.content?.["application/json"]?.examples ?? {}),
    );
    expect(codes).toEqual(expect.arrayContaining(["SEAL_NOT_LISTED", "SEAL_FORMAT_NOT_LISTED"]));
    const status422 = Object.keys(exchange.responses["422"]?.content?.["application/json"]?.examples ?? {});
    expect(status422).toEqual(expect.arrayContaining(["SEAL_NOT_LISTED", "SEAL_FORMAT_NOT_LISTED"]));
  });
});
