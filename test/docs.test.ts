import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * References that must lead somewhere (issue 10 item 9): the design lives in docs/ of this repository, so a
 * clone has everything a comment or the README points at. Fails on a reference to a design file outside the
 * repository (the shared DESIGN.md, or outside docs/ one of the workspace's reference notes: domain, stack,
 * aesthetics, anchors-*), to a folder that does not exist, or to a docs/ page, anchor or quoted section that
 * is missing; and when a docs/ page names a source file that has moved.
 */
const root = resolve(import.meta.dirname, "..");
const self = relative(root, import.meta.filename);

/** Where references are written: source comments, tests, benchmarks, schemas, the README and docs/. */
const SCANNED = ["src", "test", "bench", "schemas", "docs", "README.md"];
const TEXT = /\.(ts|md|json)$/;

function filesUnder(path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return TEXT.test(path) ? [path] : [];
  return readdirSync(full).flatMap((name) => (name === "node_modules" ? [] : filesUnder(join(path, name))));
}

const files = SCANNED.flatMap(filesUnder).filter((f) => f !== self);
const textOf = (file: string) => readFileSync(join(root, file), "utf8");

/** GitHub's heading anchor: lower case, punctuation dropped (letters of any script kept), spaces to hyphens. */
function slugOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function headingsOf(file: string): string[] {
  return [...textOf(file).matchAll(/^#{1,6}\s+(.+?)\s*$/gm)].map((m) => m[1]!.replace(/`/g, ""));
}

/** Why a reference to `target` (a repository path, optionally with #anchor and a quoted section) is dead, if it is. */
function deadReason(target: string, anchor: string | undefined, section: string | undefined): string | undefined {
  if (!existsSync(join(root, target))) return "no such file";
  if (!target.endsWith(".md")) return undefined;
  const headings = headingsOf(target);
  if (anchor !== undefined && !headings.some((h) => slugOf(h) === anchor)) return `no heading for #${anchor}`;
  if (section !== undefined && !headings.includes(section)) return `no section "${section}"`;
  return undefined;
}

/** `docs/<page>.md`, then an optional `#anchor` and an optional section title in "…" or “…”. */
const DOCS_REF = /(?<![\w./-])docs\/([\w./-]+?\.md)(?:#([\w-]+))?(?:\)?\s*(?:"([^"\n]+)"|“([^”\n]+)”))?/g;
/** A repository path in backticks (`src/…`, `test/…`, …), not a pattern such as `schemas/<type>.schema.json`. */
const REPO_PATH = /`((?:src|test|schemas|bench|docs)\/[\w./-]+)`/g;
/** Markdown links in .md files, resolved against the linking file. */
const MD_LINK = /\]\(([^)\s]+)\)/g;
/** Names that never exist in a clone: the shared design file, the workspace around it, the fakes folder. */
const FORBIDDEN: [RegExp, string][] = [
  [/DESIGN\.md/g, "DESIGN.md lives outside the repository: cite docs/<page>.md instead"],
  [/\.\.\/shared\b|\/work\/shared\b/g, "../shared is not in a clone: cite docs/<page>.md instead"],
  [/test\/fakes\b/g, "there is no test/fakes: tests use test/support/*"],
];
/** The workspace's reference notes (not in a clone); docs/references.md restates what the code takes from them. */
const NOTES = /\b(?:domain|stack|aesthetics|anchors-[a-z-]+)\.md\b/g;
const NOTES_WHY = 'a reference note outside the repository: cite docs/references.md "<heading>" instead';

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split("\n").length;
}

describe("references in comments, the README and docs/", () => {
  it("scans the places references are written", () => {
    expect(files).toContain("README.md");
    expect(files.some((f) => f.startsWith("docs/"))).toBe(true);
  });

  it("never cite a file outside the repository or a folder that does not exist", () => {
    const dead: string[] = [];
    for (const file of files) {
      const text = textOf(file);
      const forbidden: [RegExp, string][] = file.startsWith("docs/") ? FORBIDDEN : [...FORBIDDEN, [NOTES, NOTES_WHY]];
      for (const [pattern, why] of forbidden) {
        for (const m of text.matchAll(pattern)) dead.push(`${file}:${lineOf(text, m.index)}: ${m[0]} — ${why}`);
      }
    }
    expect(dead).toEqual([]);
  });

  it("cite docs/ pages, anchors and sections that exist", () => {
    const dead: string[] = [];
    for (const file of files) {
      const text = textOf(file);
      for (const m of text.matchAll(DOCS_REF)) {
        const why = deadReason(`docs/${m[1]}`, m[2], m[3] ?? m[4]);
        if (why) dead.push(`${file}:${lineOf(text, m.index)}: ${m[0]} — ${why}`);
      }
    }
    expect(dead).toEqual([]);
  });

  it("name, in docs/, only repository files that exist", () => {
    const dead: string[] = [];
    for (const file of files.filter((f) => f.startsWith("docs/"))) {
      const text = textOf(file);
      for (const m of text.matchAll(REPO_PATH)) {
        if (!existsSync(join(root, m[1]!))) dead.push(`${file}:${lineOf(text, m.index)}: ${m[1]} — no such file`);
      }
    }
    expect(dead).toEqual([]);
  });

  it("link, in markdown, only to files and headings that exist", () => {
    const dead: string[] = [];
    for (const file of files.filter((f) => f.endsWith(".md"))) {
      const text = textOf(file);
      for (const m of text.matchAll(MD_LINK)) {
        const link = m[1]!;
        if (/^[a-z]+:/i.test(link)) continue;
        const [path, anchor] = link.split("#");
        const target = path ? relative(root, resolve(root, dirname(file), path)) : file;
        const why = target.startsWith("..") ? "outside the repository" : deadReason(target, anchor, undefined);
        if (why) dead.push(`${file}:${lineOf(text, m.index)}: ${link} — ${why}`);
      }
    }
    expect(dead).toEqual([]);
  });
});
