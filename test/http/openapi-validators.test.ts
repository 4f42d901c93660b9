import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "./app-harness.ts";

const run = promisify(execFile);
const ROOT = new URL("../../", import.meta.url).pathname;

/**
 * Issue 15 item 1: /openapi.json passes the two validators integrators reach for first. Client
 * generators resolve references like they do, so a document they accept is one a generator can read.
 */
describe("/openapi.json under the common validators", () => {
  let doc: Record<string, unknown>;
  let dir: string;
  beforeAll(async () => {
    const t = await createTestApp();
    doc = await (await t.call("GET", "/openapi.json")).json();
    await t.gw.close();
    dir = mkdtempSync(join(tmpdir(), "jiexu-openapi-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("@apidevtools/swagger-parser validates it (every $ref resolves inside the document)", async () => {
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
  });

  it("@redocly/cli lint finds no error (redocly.yaml), and warns only where judged fine", async () => {
    const file = join(dir, "openapi.json");
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const bin = join(ROOT, "node_modules/.bin/redocly");
    // lint exits 1 on errors; the JSON report on stdout says which either way.
    const { stdout } = await run(bin, ["lint", file, "--config", join(ROOT, "redocly.yaml"), "--format=json"], {
      timeout: 60_000,
      maxBuffer: 16 << 20,
    }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? "" }));
    const report = JSON.parse(stdout.slice(stdout.indexOf("{"))) as {
      totals: { errors: number };
      problems: { ruleId: string; severity: string; location: { pointer: string }[] }[];
    };
    const errors = report.problems.filter((p) => p.severity === "error");
    expect(errors.map((p) => `${p.ruleId} ${p.location[0]?.pointer}`)).toEqual([]);
    expect(report.totals.errors).toBe(0);
    const warned = report.problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}`);
    // Public operations that cannot fail the caller (liveness, metrics, this document, /docs) have no 4xx;
    // receipts are issued by gateways, never submitted, so their body schemas are reference material.
    expect(warned.sort()).toEqual(
      [
        "no-unused-components #/components/schemas/business-receipt",
        "no-unused-components #/components/schemas/receipt",
        "operation-4xx-response #/paths/~1docs/get/responses",
        "operation-4xx-response #/paths/~1healthz/get/responses",
        "operation-4xx-response #/paths/~1metrics/get/responses",
        "operation-4xx-response #/paths/~1openapi.json/get/responses",
      ].sort(),
    );
  }, 90_000);
});
