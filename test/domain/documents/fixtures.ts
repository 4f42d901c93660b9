import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { EmergencyWindow } from "../../../src/domain/calendar/index.ts";
import type { Document, DocumentOf, DocumentType } from "../../../src/domain/documents/index.ts";

/** The examples of schemas/examples/, loaded fresh (a deep copy) for each use. */
export const EXAMPLES_DIR = resolve(import.meta.dirname, "../../../schemas/examples");
export const BROKEN_DIR = resolve(EXAMPLES_DIR, "broken");

/** A fixed clock after every example's dates: tests never read the real time. */
export const NOW = new Date("2024-09-10T02:00:00Z");

export function loadJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}

export function example<T extends DocumentType>(type: T): DocumentOf<T> {
  return loadJson(resolve(EXAMPLES_DIR, `${type}.json`)) as DocumentOf<T>;
}

/** An example changed by `edit`, so each test states only what it breaks. */
export function edited<T extends DocumentType>(type: T, edit: (doc: DocumentOf<T>) => void): Document {
  const doc = example(type);
  edit(doc);
  return doc as Document;
}

export interface BrokenCase {
  codes: string[];
  /** Other files of the same case, checked alongside (paths relative to the broken directory). */
  with?: string[];
  /** Declared emergency windows the check runs with (the gateway's calendar configuration). */
  emergencyWindows?: EmergencyWindow[];
}

export function brokenCases(): [string, BrokenCase][] {
  return Object.entries(loadJson(resolve(BROKEN_DIR, "expected.json")) as Record<string, BrokenCase>);
}
