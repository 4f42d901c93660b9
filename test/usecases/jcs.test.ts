import canonicalize from "canonicalize";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/usecases/jcs.ts";
import { seededRandom as random } from "../support/random.ts";

/**
 * canonicalJson is a faster writer of what the `canonicalize` package writes: over fuzzed values
 * (unicode from every plane, surrogate pairs and lone surrogates, numbers of every magnitude, nested
 * arrays and objects, keys in any order, array-index keys, exotic values) both must give the same text,
 * or throw the same error.
 */
const CHARS = [
  "a",
  "Z",
  "0",
  "9",
  " ",
  '"',
  "\\",
  "/",
  "\n",
  "\t",
  "\u0000",
  "\u001f",
  "\u007f",
  "\u00e9",
  "张",
  "\u2028",
  "\u2029",
  "\ufeff",
  "\uffff",
  "😀",
  "\ud834\udd1e",
  "€",
  "\u0080",
];

function fuzzString(next: () => number, loneSurrogates: boolean): string {
  let s = "";
  const n = Math.floor(next() * 8);
  for (let i = 0; i < n; i++) {
    if (loneSurrogates && next() < 0.05) s += next() < 0.5 ? "\ud800" : "\udfff";
    else s += CHARS[Math.floor(next() * CHARS.length)];
  }
  return s;
}

const NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.1,
  1e21,
  1e-7,
  123456789012345680000,
  5e-324,
  Number.MAX_VALUE,
  Number.MIN_SAFE_INTEGER,
  2 ** 53,
  4.35,
  1 / 3,
  -1e-300,
  333333333.3333333,
];

function fuzzNumber(next: () => number): number {
  const r = next();
  if (r < 0.5) return NUMBERS[Math.floor(next() * NUMBERS.length)]!;
  if (r < 0.75) return Math.floor((next() - 0.5) * 1e6);
  return (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20);
}

interface Fuzz {
  next: () => number;
  /** Lone surrogates, NaN, undefined, dates, index keys: values the fast path hands to the package. */
  exotic: boolean;
}

function fuzzKey(f: Fuzz): string {
  if (f.exotic && f.next() < 0.05) return String(Math.floor(f.next() * 20));
  return fuzzString(f.next, f.exotic) || "k";
}

/** An array with a hole at index 1. */
function sparse(): unknown[] {
  const a: unknown[] = [1];
  a[2] = 3;
  return a;
}

function fuzzValue(f: Fuzz, depth: number): unknown {
  const r = f.next();
  if (depth > 5 || r < 0.25) return fuzzString(f.next, f.exotic);
  if (r < 0.45) return fuzzNumber(f.next);
  if (r < 0.5) return f.next() < 0.5;
  if (r < 0.55) return null;
  if (f.exotic && r < 0.6) {
    const odd = [Number.NaN, Number.POSITIVE_INFINITY, undefined, new Date(0), Symbol("s"), sparse(), new Map()];
    return odd[Math.floor(f.next() * odd.length)];
  }
  if (r < 0.78) return Array.from({ length: Math.floor(f.next() * 5) }, () => fuzzValue(f, depth + 1));
  const o: Record<string, unknown> = {};
  const n = Math.floor(f.next() * 6);
  for (let i = 0; i < n; i++) o[fuzzKey(f)] = fuzzValue(f, depth + 1);
  return o;
}

function outcome(write: (v: unknown) => string | undefined, v: unknown): { text?: string; error?: string } {
  try {
    const text = write(v);
    return text === undefined ? {} : { text };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

describe("canonicalJson", () => {
  it("writes what the canonicalize package writes, over fuzzed plain JSON values", () => {
    const f: Fuzz = { next: random(8785), exotic: false };
    for (let i = 0; i < 5000; i++) {
      const v = fuzzValue(f, 0);
      expect(canonicalJson(v), JSON.stringify(v)).toBe(canonicalize(v));
    }
  });

  it("writes what the package writes for values parsed back from canonical text (members already in order)", () => {
    const f: Fuzz = { next: random(42), exotic: false };
    for (let i = 0; i < 2000; i++) {
      const v = JSON.parse(canonicalize(fuzzValue(f, 0))!);
      expect(canonicalJson(v)).toBe(canonicalize(v));
    }
  });

  it("gives the package's text or error for values outside plain JSON", () => {
    const f: Fuzz = { next: random(3), exotic: true };
    for (let i = 0; i < 5000; i++) {
      const v = fuzzValue(f, 0);
      expect(outcome(canonicalJson, v)).toEqual(outcome(canonicalize, v));
    }
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic };
    const deep = JSON.parse(`${"[".repeat(500)}1${"]".repeat(500)}`);
    class Box {
      constructor(readonly v: number) {}
    }
    for (const v of [
      cyclic,
      deep,
      new Box(1),
      Object.create(null),
      { toJSON: () => ({ b: 1, a: 2 }) },
      { n: 10n },
      { f: () => 1 },
      { "\ud800": 1 },
      { 10: "a", 2: "b", x: "c" },
      new String("s"),
      undefined,
      // An own "__proto__" member, as JSON.parse makes it, out of order or under a re-sorted parent.
      JSON.parse('{"b":1,"__proto__":{"x":1}}'),
      JSON.parse('{"z":{"b":1,"a":2},"__proto__":1}'),
      Object.assign([1, 2], { toJSON: () => ({ b: 1, a: 2 }) }),
    ])
      expect(outcome(canonicalJson, v)).toEqual(outcome(canonicalize, v));
  });

  it("sorts members by UTF-16 code units, not by code points (RFC 8785 §3.2.3)", () => {
    // U+1F600 is the surrogate pair D83D DE00, which sorts before U+E000 by code unit (after it by code point).
    const v = { "\ue000": 1, "\ud83d\ude00": 2, a: 3, A: 4, "": 5 };
    expect(canonicalJson(v)).toBe('{"":5,"A":4,"a":3,"\ud83d\ude00":2,"\ue000":1}');
    expect(canonicalJson(v)).toBe(canonicalize(v));
  });
});
