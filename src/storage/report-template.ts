import type { DocumentRecord } from "../usecases/ports.ts";
import type { SqliteDb } from "./connection.ts";

/** Through the port: storage may not import pki/ (test/architecture.test.ts). */
type VerificationReport = NonNullable<DocumentRecord["report"]>;

/**
 * Verification reports stored once per verdict (issue 12). Two reports of one signer under one policy differ
 * only in the validation time (the `validationTime` field and the "valid at …" details) and the signing time
 * (the `signingTime` field and the signing-time check's detail), so the report's JSON text with those two
 * values cut out is shared by every document of that signer, and a document keeps just the two values.
 *
 * The placeholders are U+0001 and U+0002: JSON.stringify escapes every control character, so its output never
 * contains them raw, and with neither value empty nor containing one, cutting and filling are exact inverses
 * (a split on a character the text lacks, joined back). A report whose values fail those conditions is
 * stored whole.
 */

const VALIDATION = "\u0001";
const SIGNING = "\u0002";

/** What a document row keeps of a templated report. */
export interface TemplatedReport {
  template: string;
  validationTime: string;
  signingTime: string | null;
}

/** A safe placeholder value: present, non-empty and free of either placeholder character. */
function cuttable(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && !value.includes(VALIDATION) && !value.includes(SIGNING);
}

/**
 * `text` — JSON.stringify(report), which never holds a raw control character — with its times cut out, or
 * undefined when it must be stored whole.
 */
export function templateReport(
  report: Pick<VerificationReport, "validationTime" | "signingTime">,
  text: string,
): TemplatedReport | undefined {
  const { validationTime, signingTime } = report;
  if (!cuttable(validationTime) || (signingTime !== undefined && !cuttable(signingTime))) return undefined;
  let template = text.replaceAll(validationTime, VALIDATION);
  if (signingTime !== undefined) template = template.replaceAll(signingTime, SIGNING);
  return { template, validationTime, signingTime: signingTime ?? null };
}

/**
 * The report's JSON text, exactly as it was before `templateReport` cut it. split/join rather than
 * replaceAll: a replacement string would give `$` patterns in the values a meaning.
 */
export function fillTemplate(template: string, validationTime: string, signingTime: string | null): string {
  const signed = signingTime === null ? template : template.split(SIGNING).join(signingTime);
  return signed.split(VALIDATION).join(validationTime);
}

/**
 * The template's row id: a 53-bit hash of its text (cyrb53), so an id can only ever name this text — a
 * template row that a refused change rolled back is re-inserted under the same id, never reused for another
 * text. A collision with a stored template is detected on insert, and the report is then stored whole.
 */
export function templateId(template: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < template.length; i++) {
    const ch = template.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The report_templates statements, shared with D1 (d1-commit.ts). */
export const TEMPLATE_SQL = {
  insert: "INSERT INTO report_templates (id, template) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
  select: "SELECT template FROM report_templates WHERE id = ?",
  /**
   * D1 only, after `insert` in the same batch: a row under this id holding another text (a 53-bit collision,
   * inserted by a batch that raced ours) gets NULL, which NOT NULL refuses, so the batch fails whole
   * rather than point a document at the wrong text.
   */
  guard: "UPDATE report_templates SET template = (CASE WHEN template = ? THEN template ELSE NULL END) WHERE id = ?",
} as const;

/** Templates a writer remembers before it starts over (each is a few KB; distinct failing verdicts add up). */
const REMEMBERED = 10_000;
/** How much of a template's end keys the writer's lookup: past the last detail, into the signer and chain. */
const TAIL = 256;

/**
 * The writer's side of `report_templates`: template text → row id, remembered, so a known template costs no
 * read. What it remembers was stored in the open transaction or before; the group runner calls `forget`
 * whenever it rolls back (a refused change, a failed group), so a remembered id always names a row that holds
 * that very text — never a row another text, colliding on the 53-bit id, took after a rollback freed it. The
 * documents' foreign key (which needs `foreign_keys=ON`, checked here) backs that up.
 */
export function prepareTemplateWrites(db: SqliteDb) {
  if (db.$client.pragma("foreign_keys", { simple: true }) !== 1)
    throw new Error("report templates need PRAGMA foreign_keys=ON on the write connection (configureSqlite)");
  const insert = db.$client.prepare(TEMPLATE_SQL.insert);
  const stored = db.$client.prepare(TEMPLATE_SQL.select).pluck();
  // Template text → row id (null: the id is taken by another text, a hash collision, so such reports are
  // stored whole). Bucketed by length and tail, then compared whole: a Map keyed by the ~4 KB text itself
  // would hash all of it for every document (~16 µs), while the tail (signer and chain fingerprints) tells
  // templates apart and `===` on equal texts is a memcmp.
  const known = new Map<string, { template: string; id: number | null }[]>();
  let remembered = 0;
  const store = (template: string): number | null => {
    const id = templateId(template);
    insert.run(id, template);
    return stored.get(id) === template ? id : null;
  };
  return {
    /** The row id of `template`, stored now if this writer has not stored it before; null: store the report whole. */
    idOf(template: string): number | null {
      const key = `${template.length}:${template.slice(-TAIL)}`;
      const bucket = known.get(key);
      const hit = bucket?.find((entry) => entry.template === template);
      if (hit) return hit.id;
      if (remembered >= REMEMBERED) {
        known.clear();
        remembered = 0;
      }
      const entry = { template, id: store(template) };
      known.set(key, bucket && known.has(key) ? [...bucket, entry] : [entry]);
      remembered++;
      return entry.id;
    },
    /** Forgets every remembered id: called on each rollback, which may have removed rows this writer stored. */
    forget(): void {
      known.clear();
      remembered = 0;
    },
  };
}

/**
 * The reader's side: row id → template text, kept once read (a template row never changes under its id).
 * `reportOf` is the one place that turns a document row's report columns back into the report.
 */
export function prepareTemplateReads(db: SqliteDb) {
  const select = db.$client.prepare(TEMPLATE_SQL.select).pluck();
  const texts = new Map<number, string>();
  return templateReads((id) => {
    let text = texts.get(id);
    if (text === undefined) {
      text = select.get(id) as string | undefined;
      if (text === undefined) throw new Error(`report template ${id} is missing`);
      if (texts.size >= REMEMBERED) texts.clear();
      texts.set(id, text);
    }
    return text;
  });
}

/** `reportOf` over a way to get a template's text by id (D1 reads the ids a page needs first: d1-reads.ts). */
export function templateReads(textOf: (id: number) => string) {
  return {
    /** The stored report of a document row: whole, or its template filled with the row's values. */
    reportOf(
      whole: string | null,
      template: number | null,
      validationTime: string | null,
      signingTime: string | null,
    ): VerificationReport | undefined {
      if (template !== null) return JSON.parse(fillTemplate(textOf(template), validationTime!, signingTime));
      return whole === null ? undefined : JSON.parse(whole);
    },
  };
}

export type TemplateReads = ReturnType<typeof templateReads>;
