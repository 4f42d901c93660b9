import { describe, expect, it } from "vitest";
import { readStrictJson, StrictJsonError, type StrictJsonReason } from "../../src/domain/strict-json.ts";

const reasonOf = (input: string | Uint8Array, maxDepth?: number): StrictJsonReason | "ok" => {
  try {
    readStrictJson(input, maxDepth === undefined ? {} : { maxDepth });
    return "ok";
  } catch (err) {
    if (!(err instanceof StrictJsonError)) throw err;
    expect(err.code).toBe("JSON_INVALID");
    return err.reason;
  }
};

describe("readStrictJson", () => {
  it("returns what JSON.parse returns for ordinary JSON, from bytes or text", () => {
    const text = '{"a":[1,-2.5e3,true,null,"接续 \\u00e9 \\ud83d\\ude00"],"b":{"":{}},"__proto__":1}';
    expect(readStrictJson(new TextEncoder().encode(text))).toEqual(JSON.parse(text));
    expect(readStrictJson(text)).toEqual(JSON.parse(text));
  });

  it("refuses bytes that are not UTF-8 (GBK, an encoded surrogate, a truncated sequence) with NOT_UTF8", () => {
    expect(reasonOf(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xd5, 0xc5, 0x22, 0x7d]))).toBe("NOT_UTF8");
    expect(reasonOf(new Uint8Array([0x22, 0xed, 0xa0, 0x80, 0x22]))).toBe("NOT_UTF8");
    expect(reasonOf(new Uint8Array([0x22, 0xe6, 0x8e, 0x22]))).toBe("NOT_UTF8");
  });

  it("refuses lone surrogates in strings and keys, escaped or raw, and keeps pairs", () => {
    expect(reasonOf('{"a":"\\ud800"}')).toBe("LONE_SURROGATE");
    expect(reasonOf('{"a":["x","\\udc00y"]}')).toBe("LONE_SURROGATE");
    expect(reasonOf('{"\\ud800":1}')).toBe("LONE_SURROGATE");
    expect(reasonOf('{"a":"\ud800"}')).toBe("LONE_SURROGATE");
    expect(reasonOf('{"\udfff":1}')).toBe("LONE_SURROGATE");
    expect(reasonOf('"\\ud83d\\ude00"')).toBe("ok");
    expect(reasonOf('"\\\\ud800"')).toBe("ok"); // an escaped backslash, then the letters "ud800"
  });

  it("refuses numbers beyond the finite range, and says where", () => {
    expect(reasonOf("1e400")).toBe("NUMBER_NOT_FINITE");
    expect(reasonOf('{"a":[0,-1e999]}')).toBe("NUMBER_NOT_FINITE");
    try {
      readStrictJson('{"a":[0,-1e999]}');
    } catch (err) {
      expect((err as StrictJsonError).path).toBe("/a/1");
    }
    expect(reasonOf("1.7976931348623157e308")).toBe("ok");
  });

  it("refuses nesting beyond the limit before parsing (5,000 and 1,000,000 levels)", () => {
    expect(reasonOf("[".repeat(5000) + "]".repeat(5000))).toBe("TOO_DEEP");
    expect(reasonOf('{"a":'.repeat(1_000_000))).toBe("TOO_DEEP");
    expect(reasonOf("[".repeat(64) + "]".repeat(64))).toBe("ok");
    expect(reasonOf("[".repeat(65) + "]".repeat(65))).toBe("TOO_DEEP");
    expect(reasonOf("[[[]]]", 2)).toBe("TOO_DEEP");
  });

  it("refuses duplicate keys, also when escapes spell the same key, and names the object", () => {
    expect(reasonOf('{"a":1,"a":2}')).toBe("DUPLICATE_KEY");
    expect(reasonOf('{"a":1,"\\u0061":2}')).toBe("DUPLICATE_KEY");
    try {
      readStrictJson('{"x":[{"k":1},{"k":1,"b":{"k":":","k":2}}]}');
    } catch (err) {
      expect((err as StrictJsonError).path).toBe("/x/1/b/k");
    }
    expect(reasonOf('{"a":{"a":1},"b":[{"a":1},{"a":2}],"c":"a:b"}')).toBe("ok");
  });

  it("refuses what JSON.parse refuses with SYNTAX", () => {
    for (const bad of ["", "{", '{"a":}', "[1,]", "NaN", "'a'", '{"a" 1}', '"\\x"', "01"])
      expect(reasonOf(bad), bad).toBe("SYNTAX");
  });

  it("agrees with JSON.parse and an independent reference reader over many random and mutated inputs", () => {
    const seed = Number(process.env.JIEXU_FUZZ_SEED ?? 20_260_901);
    const runs = Number(process.env.JIEXU_FUZZ_RUNS ?? 4000);
    const random = mulberry32(seed);
    for (let n = 0; n < runs; n++) {
      const text = mutate(serialize(randomValue(random, 0), random), random);
      const expected = referenceReason(text, 8);
      const actual = reasonOf(text, 8);
      if (expected === "ok") {
        expect(actual, `seed ${seed} run ${n}: ${text}`).toBe("ok");
        expect(readStrictJson(text, { maxDepth: 8 }), `seed ${seed} run ${n}`).toEqual(JSON.parse(text));
      } else {
        // With several faults the reader may name any one of them; with one, exactly it.
        expect(referenceFaults(text, 8), `seed ${seed} run ${n}: ${text} gave ${actual}`).toContain(actual);
      }
    }
  });
});

// ---- random inputs -------------------------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Gen =
  | { kind: "raw"; text: string }
  | { kind: "array"; items: Gen[] }
  | { kind: "object"; members: [string, Gen][] };

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const STRINGS = [
  '"a"',
  '"b"',
  '""',
  '"\\u0061"',
  '"\\ud800"',
  '"\\udc00x"',
  '"\\ud83d\\ude00"',
  '"\\\\ud800"',
  '"a:b"',
  '"\\""',
  '"{["',
  '"接续"',
  '"\\\\"',
];
const SCALARS = ["0", "-1", "1.5e3", "1e400", "-1e999", "true", "false", "null", ...STRINGS];
const KEYS = ['"a"', '"b"', '"\\u0061"', '"\\ud800"', '":"', '"k\\"q"', '"0"', '"1"', '"__proto__"'];

function randomValue(r: () => number, depth: number): Gen {
  const roll = r();
  if (depth > 10 || roll < 0.45) return { kind: "raw", text: pick(r, SCALARS) };
  const size = Math.floor(r() * 4);
  if (roll < 0.7) return { kind: "array", items: Array.from({ length: size }, () => randomValue(r, depth + 1)) };
  return {
    kind: "object",
    members: Array.from({ length: size }, () => [pick(r, KEYS), randomValue(r, depth + 1)] as [string, Gen]),
  };
}

function serialize(g: Gen, r: () => number): string {
  const ws = () => (r() < 0.1 ? pick(r, [" ", "\n", "\t", "\r\n "]) : "");
  if (g.kind === "raw") return g.text;
  if (g.kind === "array") return `[${ws()}${g.items.map((i) => serialize(i, r)).join(`,${ws()}`)}]`;
  return `{${g.members.map(([k, v]) => `${ws()}${k}${ws()}:${ws()}${serialize(v, r)}`).join(",")}}`;
}

function mutate(text: string, r: () => number): string {
  if (r() < 0.6 || text.length === 0) return text;
  const at = Math.floor(r() * text.length);
  const roll = r();
  if (roll < 0.3) return text.slice(0, at);
  if (roll < 0.6) return text.slice(0, at) + text.slice(at + 1);
  return text.slice(0, at) + pick(r, ['"', "\\", ":", ",", "{", "}", "[", "]", "1", "e", " "]) + text.slice(at);
}

// ---- reference reader: a small recursive-descent parser, written separately from the scanner --------

type Fault = Exclude<StrictJsonReason, "NOT_UTF8">;

function referenceReason(text: string, maxDepth: number): Fault | "ok" {
  const faults = referenceFaults(text, maxDepth);
  return faults.length ? faults[0]! : "ok";
}

function referenceFaults(text: string, maxDepth: number): Fault[] {
  let syntaxOk = true;
  try {
    JSON.parse(text);
  } catch {
    syntaxOk = false;
  }
  const faults = new Set<Fault>();
  let deepest = 0;
  let i = 0;
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    const s = JSON.parse(text.slice(start, i)) as string;
    if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)) faults.add("LONE_SURROGATE");
    return s;
  };
  const value = (depth: number): void => {
    space();
    const c = text[i];
    if (c === "{" || c === "[") {
      deepest = Math.max(deepest, depth + 1);
      i++;
      const keys = new Set<string>();
      space();
      if (text[i] === (c === "{" ? "}" : "]")) return void i++;
      for (;;) {
        if (c === "{") {
          space();
          const k = str();
          if (keys.has(k)) faults.add("DUPLICATE_KEY");
          keys.add(k);
          space();
          i++; // ':'
        }
        value(depth + 1);
        space();
        if (text[i++] !== ",") return;
      }
    }
    if (c === '"') return void str();
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?|^(true|false|null)/.exec(text.slice(i));
    if (m && !Number.isFinite(Number(m[0])) && !m[3]) faults.add("NUMBER_NOT_FINITE");
    i += m ? m[0].length : 1;
  };
  // Depth over the limit is found on the raw brackets, as the reader does it before parsing.
  let depth = 0,
    inString = false;
  for (let j = 0; j < text.length; j++) {
    const c = text[j];
    if (inString) {
      if (c === "\\") j++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") deepest = Math.max(deepest, ++depth);
    else if (c === "]" || c === "}") depth--;
  }
  if (deepest > maxDepth) return ["TOO_DEEP"];
  if (!syntaxOk) return ["SYNTAX"];
  value(0);
  return [...faults];
}
