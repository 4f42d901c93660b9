import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import type { VerificationReport } from "../../src/pki/report.ts";
import { configureSqlite, migrateSqlite, openDrizzle } from "../../src/storage/connection.ts";
import { fillTemplate, prepareTemplateWrites, templateId, templateReport } from "../../src/storage/report-template.ts";
import type { DocumentKey } from "../../src/usecases/ports.ts";
import { StoreError } from "../../src/usecases/store-error.ts";
import { documentRecord, openTempStore } from "./fixtures.ts";
import { instant, signerReport } from "./report-fixtures.ts";

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
});

function openStore() {
  const opened = openTempStore();
  disposers.push(opened.dispose);
  return opened;
}

/** The text a report is stored as when whole: what the template must give back byte for byte. */
const textOf = (report: VerificationReport) => JSON.stringify(report);

function roundTrip(report: VerificationReport): string {
  const text = textOf(report);
  const cut = templateReport(report, text);
  return cut ? fillTemplate(cut.template, cut.validationTime, cut.signingTime) : text;
}

describe("templateReport / fillTemplate", () => {
  it("gives back every report byte for byte: signers, times, failing verdicts, no signing time", () => {
    const signers = ["浙江省社会保险和就业服务中心", "广东省社会保险基金管理局", "上海市社会保险事业管理中心"];
    const indications = ["TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"] as const;
    for (let i = 0; i < 300; i++) {
      const signing = i % 7 === 0 ? undefined : instant(i, Date.UTC(2026, 10, 30));
      const report = signerReport(signers[i % 3]!, instant(i), signing, indications[i % 3]);
      expect(roundTrip(report)).toBe(textOf(report));
    }
  });

  it("shares one template between the documents of one signer and verdict", () => {
    const templates = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const report = signerReport("浙江省社会保险和就业服务中心", instant(i), instant(i, Date.UTC(2026, 10, 30)));
      templates.add(templateReport(report, textOf(report))!.template);
    }
    expect(templates.size).toBe(1);
    const [template] = templates;
    expect(template).not.toContain("2026-12-01T13:");
  });

  it("gives back reports whose values are awkward: equal times, `$` patterns, values inside other values", () => {
    const awkward: [string, string | undefined][] = [
      ["2026-12-01T13:19:32.699Z", "2026-12-01T13:19:32.699Z"],
      ["$&", "$1$$"],
      ["2026", "2026-12-01T12:19:20.000Z"],
      ["0", "00"],
      ["a", undefined],
      ["\\", '"'],
    ];
    for (const [validation, signing] of awkward) {
      const report = signerReport("某中心", validation, signing);
      expect(roundTrip(report)).toBe(textOf(report));
    }
  });

  it("gives back random reports over a small alphabet (the values collide with the rest of the text)", () => {
    const alphabet = ["0", "1", "$", "&", "T", ":", "Z", "\u0001", "\u0002", '"', "\\"];
    let seed = 12;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const word = () =>
      Array.from({ length: 1 + Math.floor(random() * 4) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(
        "",
      );
    for (let i = 0; i < 2000; i++) {
      const report = signerReport(word(), word(), random() < 0.2 ? undefined : word());
      expect(roundTrip(report)).toBe(textOf(report));
    }
  });

  it("stores a report whole when a placeholder would be ambiguous", () => {
    expect(templateReport(signerReport("x", "", undefined), textOf(signerReport("x", "", undefined)))).toBeUndefined();
    const control = signerReport("x", "a\u0001b", "c");
    expect(templateReport(control, textOf(control))).toBeUndefined();
    const signing = signerReport("x", "a", "\u0002");
    expect(templateReport(signing, textOf(signing))).toBeUndefined();
  });

  it("derives a template's id from its text: 53-bit, stable, different texts apart", () => {
    expect(templateId("abc")).toBe(templateId("abc"));
    expect(templateId("abc")).not.toBe(templateId("abd"));
    const ids = new Set(Array.from({ length: 10_000 }, (_, i) => templateId(`template ${i}`)));
    expect(ids.size).toBe(10_000);
    for (const id of ids) expect(Number.isSafeInteger(id) && id >= 0).toBe(true);
  });
});

const key = (documentId: string): DocumentKey => ({
  ownerAgency: "330000",
  direction: "in",
  from: "440000",
  documentId,
});

describe("SqliteStore report templates", () => {
  it("stores one template per verdict and reads every report back byte for byte", async () => {
    const { store, path } = openStore();
    const signers = ["浙江省社会保险和就业服务中心", "广东省社会保险基金管理局"];
    const reports = Array.from({ length: 40 }, (_, i) =>
      signerReport(
        signers[i % 2]!,
        instant(i),
        instant(i, Date.UTC(2026, 10, 30)),
        i % 10 >= 8 ? "TOTAL_FAILED" : "TOTAL_PASSED",
      ),
    );
    await Promise.all(
      reports.map((report, i) => store.commit({ newDocuments: [documentRecord({ documentId: `doc-${i}`, report })] })),
    );
    for (const [i, report] of reports.entries()) {
      const stored = await store.getDocument(key(`doc-${i}`));
      expect(textOf(stored!.report!)).toBe(textOf(report));
    }
    const db = new Database(path, { readonly: true });
    // Two signers passing; failing reports name their validation time in a detail too, so they share one each.
    expect(db.prepare("SELECT count(*) FROM report_templates").pluck().get()).toBe(4);
    const rows = db
      .prepare(
        "SELECT document_id, report, report_template FROM documents WHERE report IS NOT NULL OR report_template IS NULL",
      )
      .all();
    expect(rows).toEqual([]);
    db.close();
  });

  it("reads a report stored whole, as rows written before migration 0004 hold it", async () => {
    const { store, path } = openStore();
    await store.commit({ newDocuments: [documentRecord({ documentId: "new" })] });
    const report = signerReport("旧中心", instant(1), instant(2));
    const db = new Database(path);
    db.prepare(
      `INSERT INTO documents (owner_agency, direction, document_id, type, case_id, from_agency, to_agency, canonical, seal,
        document_sha256, seal_sha256, report, recorded_at, state)
       SELECT owner_agency, direction, 'old', type, case_id, from_agency, to_agency, canonical, seal, document_sha256,
        seal_sha256, ?, recorded_at, state FROM documents WHERE document_id = 'new'`,
    ).run(textOf(report));
    db.close();
    const stored = await store.getDocument(key("old"));
    expect(stored?.report).toEqual(report);
    expect(textOf(stored!.report!)).toBe(textOf(report));
    expect((await store.getDocument(key("new")))?.report).toBeUndefined();
  });

  it("tells apart templates of one length and one ending (the writer's lookup buckets by both)", async () => {
    const { store, path } = openStore();
    const variant = (detail: string, i: number) => {
      const report = signerReport("同一中心", instant(i), instant(i + 1));
      return {
        ...report,
        checks: [{ id: "FC.structure", status: "PASSED", detail }, ...report.checks.slice(1)],
      } as VerificationReport;
    };
    const reports = [variant("aaaa", 1), variant("bbbb", 2), variant("aaaa", 3), variant("bbbb", 4)];
    for (const [i, report] of reports.entries())
      await store.commit({ newDocuments: [documentRecord({ documentId: `v${i}`, report })] });
    for (const [i, report] of reports.entries())
      expect(textOf((await store.getDocument(key(`v${i}`)))!.report!)).toBe(textOf(report));
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT count(*) FROM report_templates").pluck().get()).toBe(2);
    db.close();
  });

  it("stores the template again when the change that first stored it was refused", async () => {
    const { store, path } = openStore();
    await store.commit({ newDocuments: [documentRecord({ documentId: "taken" })] });
    const first = signerReport("新中心", instant(1), instant(2));
    // One change: a document with a new template, then a duplicate: the whole change (template row too) is refused.
    const refused = store.commit({
      newDocuments: [documentRecord({ documentId: "a", report: first }), documentRecord({ documentId: "taken" })],
    });
    await expect(refused).rejects.toBeInstanceOf(StoreError);
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT count(*) FROM report_templates").pluck().get()).toBe(0);

    const second = signerReport("新中心", instant(3), instant(4));
    await store.commit({ newDocuments: [documentRecord({ documentId: "b", report: second })] });
    expect(textOf((await store.getDocument(key("b")))!.report!)).toBe(textOf(second));
    expect(await store.getDocument(key("a"))).toBeUndefined();
    expect(db.prepare("SELECT count(*) FROM report_templates").pluck().get()).toBe(1);
    db.close();
  });
});

describe("the writer's remembered template ids", () => {
  it("are forgotten on a rollback, so an id freed by it and taken by a colliding text is never reused", () => {
    const sqlite = new Database(":memory:");
    configureSqlite(sqlite);
    migrateSqlite(sqlite);
    const templates = prepareTemplateWrites(openDrizzle(sqlite));
    const holds = (id: number | null) =>
      sqlite.prepare("SELECT template FROM report_templates WHERE id = ?").pluck().get(id);
    const t1 = '{"indication":"TOTAL_PASSED","signer":"A"}';
    sqlite.exec("SAVEPOINT change");
    const first = templates.idOf(t1);
    sqlite.exec("ROLLBACK TO change; RELEASE change");
    templates.forget(); // what the group runner does on every rollback
    // Another text colliding on the 53-bit id takes the freed row first (simulated by inserting it).
    sqlite.prepare("INSERT INTO report_templates (id, template) VALUES (?, ?)").run(first, "COLLIDING TEXT");
    const again = templates.idOf(t1);
    expect(again).toBeNull(); // the id is taken by another text: this verdict's reports are stored whole
    expect(holds(first)).toBe("COLLIDING TEXT");
  });

  it("need foreign keys on the write connection", () => {
    const sqlite = new Database(":memory:");
    migrateSqlite(sqlite);
    sqlite.pragma("foreign_keys = OFF");
    expect(() => prepareTemplateWrites(openDrizzle(sqlite))).toThrow(/foreign_keys/);
  });
});

describe("a read document's report", () => {
  it("reads like a plain property: spread, JSON, structured clone, assignment", async () => {
    const { store } = openStore();
    const report = signerReport("浙江省社会保险和就业服务中心", instant(1), instant(2));
    await store.commit({ newDocuments: [documentRecord({ report })] });
    const [read] = await store.caseDocuments("330000", "case-1");
    expect(Object.keys(read!)).toContain("report");
    expect({ ...read }.report).toEqual(report);
    expect(JSON.parse(JSON.stringify(read)).report).toEqual(report);
    expect(structuredClone(read)!.report).toEqual(report);
    const other = signerReport("其他", instant(3), undefined);
    read!.report = other;
    expect(read!.report).toBe(other);
  });
});
