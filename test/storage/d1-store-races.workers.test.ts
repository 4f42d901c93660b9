import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { rfc6962Hasher } from "../../src/pki/merkle-hasher.ts";
import { createD1Store } from "../../src/storage/d1-store.ts";
import { templateId, templateReport } from "../../src/storage/report-template.ts";
import { instant, signerReport } from "./report-fixtures.ts";
import { AGENCY, decode, document, keyOf, step } from "./store-contract-changes.ts";
import { emptyD1 } from "./d1-fixtures.ts";

const open = () => createD1Store(env.DB, { archiveHasher: rfc6962Hasher });

/**
 * What D1 adds to the contract (d1-commit.ts): the reads it makes before a batch are guarded inside the batch.
 * Two stores on one database stand for two isolates — each with its own frontier and its own queue.
 */
describe("D1 store: reads before the batch, guards inside it (workerd)", () => {
  beforeEach(emptyD1);

  it("two writers appending at once both succeed: a batch that lost the leaf index re-reads and retries", async () => {
    const [a, b] = [open(), open()];
    const tags = Array.from({ length: 16 }, (_, i) => `w${i}`);
    const done = await Promise.all(tags.map((tag, i) => (i % 2 ? a : b).commit(step(`case-${tag}`, 0, tag))));
    const indexes = done.map((d) => d.archiveIndexes[0]!);
    expect(new Set(indexes).size).toBe(tags.length);
    const size = await a.archive.size();
    const leaves = await b.archive.leaves(0, size + 10);
    expect(leaves.map((l) => l.index)).toEqual(Array.from({ length: size }, (_, i) => i));
    for (const [i, tag] of tags.entries()) expect(decode(leaves[indexes[i]!]!.entry)).toBe(`leaf-${tag}`);
    // Each case got its case-index leaf (issue 9 item 10) listing its own document leaf.
    expect(leaves.filter((l) => l.kind === "case-index")).toHaveLength(tags.length);
    expect(await a.getCase(AGENCY, "case-w3")).toMatchObject({ version: 1 });
  });

  it("stores a report whole when its template id is taken by another text (a 53-bit collision)", async () => {
    const report = signerReport("浙江省社会保险和就业服务中心", instant(1), instant(1, Date.UTC(2026, 10, 30)));
    const cut = templateReport(report, JSON.stringify(report))!;
    await env.DB.prepare("INSERT INTO report_templates (id, template) VALUES (?, ?)")
      .bind(templateId(cut.template), "another text under the same id")
      .run();
    const store = open();
    await store.commit({ newDocuments: [{ ...document("doc-t", "case-t", "t"), report }] });
    expect(JSON.stringify((await store.getDocument(keyOf("doc-t")))?.report)).toBe(JSON.stringify(report));
    const row = await env.DB.prepare("SELECT report_template, report FROM documents").first<Record<string, unknown>>();
    expect(row).toMatchObject({ report_template: null });
  });
});
