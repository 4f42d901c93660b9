import canonicalize from "canonicalize";

/**
 * RFC 8785 (JCS) text of a JSON value, exactly as the `canonicalize` package writes it, several times
 * faster (issue 12 item 1: it ran twice per received document on the HTTP thread). RFC 8785 defines
 * its string and number forms as ECMAScript's JSON.stringify writes them; what JSON.stringify does not
 * do is sort object members. So a value is checked in one walk and, where some object's members are
 * not in code-unit order, copied with them in order; then the native JSON.stringify writes it. A
 * received document was written canonically by its sender, so it is usually stringified as parsed.
 *
 * Only plain JSON data takes this path: null, booleans, finite numbers, well-formed strings, arrays
 * without holes or undefined, and plain objects whose keys are not array indices (the engine would
 * order those numerically). Anything else (a lone surrogate, NaN, a Date, a Map, a function, a cycle
 * or very deep nesting) is handed to the package, so its output and its errors are the package's by
 * construction; test/usecases/jcs.test.ts compares the two over fuzzed values.
 */
export function canonicalJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(inOrder(value, 0));
  } catch (err) {
    if (err === NOT_PLAIN) return canonicalize(value);
    throw err;
  }
}

/** Thrown (never escapes) when a value is not plain JSON data: the package then writes it. */
const NOT_PLAIN = Symbol("not plain JSON");

/** Deeper than any document; beyond it (a cycle, say) the package decides. */
const MAX_DEPTH = 200;

/** Native in Node 20 (ES2024), not yet in the compiler's lib. */
function isWellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** `v` itself when every object in it has its members in order, else a copy that has. */
function inOrder(v: unknown, depth: number): unknown {
  switch (typeof v) {
    case "string":
      if (!isWellFormed(v)) throw NOT_PLAIN;
      return v;
    case "number":
      if (!Number.isFinite(v)) throw NOT_PLAIN;
      return v;
    case "boolean":
      return v;
    case "object":
      if (v === null) return v;
      if (depth >= MAX_DEPTH) throw NOT_PLAIN;
      return Array.isArray(v) ? arrayInOrder(v, depth + 1) : objectInOrder(v, depth + 1);
    default:
      throw NOT_PLAIN;
  }
}

function arrayInOrder(a: unknown[], depth: number): unknown[] {
  if (typeof (a as { toJSON?: unknown }).toJSON === "function") throw NOT_PLAIN;
  let copy: unknown[] | undefined;
  for (let i = 0; i < a.length; i++) {
    const item = a[i];
    if (item === undefined) throw NOT_PLAIN; // a hole or undefined: the package writes null
    const ordered = inOrder(item, depth);
    if (ordered !== item) (copy ??= a.slice())[i] = ordered;
  }
  return copy ?? a;
}

function objectInOrder(o: object, depth: number): object {
  const proto = Object.getPrototypeOf(o);
  if (proto !== Object.prototype && proto !== null) throw NOT_PLAIN;
  const record = o as Record<string, unknown>;
  if (typeof record.toJSON === "function") throw NOT_PLAIN;
  const keys = Object.keys(record);
  let sorted = true;
  let changed = false;
  const values: unknown[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const c = key.charCodeAt(0);
    if ((c >= 48 && c <= 57) || !isWellFormed(key)) throw NOT_PLAIN; // maybe an array index; a lone surrogate
    // An own "__proto__" member (JSON.parse makes one): `copy[key] = …` below would set the prototype instead.
    if (key === "__proto__") throw NOT_PLAIN;
    if (i > 0 && keys[i - 1]! > key) sorted = false; // `>` compares UTF-16 code units (RFC 8785 §3.2.3)
    const item = record[key];
    // Left out by JSON.stringify and by the package alike.
    if (item === undefined || typeof item === "symbol") values[i] = item;
    else if ((values[i] = inOrder(item, depth)) !== item) changed = true;
  }
  if (sorted && !changed) return o;
  const order = keys.map((_, i) => i);
  if (!sorted) order.sort((a, b) => (keys[a]! < keys[b]! ? -1 : 1));
  const copy: Record<string, unknown> = {};
  for (const i of order) copy[keys[i]!] = values[i];
  return copy;
}
