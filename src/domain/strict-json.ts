import { CodedError } from "./errors.ts";

/**
 * The one strict JSON reader for everything that arrives from outside (issue 9 items 3–4): UTF-8 or
 * refused, nesting bounded, numbers finite, strings and keys well-formed UTF-16 (no lone surrogate,
 * which RFC 8785 canonicalisation and UTF-8 encoding cannot represent), no duplicate keys (RFC 8259
 * leaves their meaning open: two readers of one sealed document must not see two documents).
 *
 * JSON.parse does the parsing (it is native and fast). Two checks it cannot make are added around it:
 * - before: a structural scan of the text for the nesting depth (so JSON.parse and every recursive
 *   consumer after it, canonicalize included, never meet 5,000 levels) and the number of object
 *   members (one `:` outside strings per member in valid JSON). JSON.parse keeps the last of duplicate
 *   keys silently, so duplicates show only as fewer keys in the value than members in the text.
 * - after: a walk of the value for non-finite numbers (`1e400` parses to Infinity), lone surrogates
 *   (only possible from `\uD800`-style escapes in decoded UTF-8, so strings are checked only when the
 *   text has such an escape) and the key count.
 * The scanner is hand-written because no JSON.parse hook sees duplicate keys or depth before parsing;
 * it never decides validity (JSON.parse does), and test/domain/strict-json.test.ts runs it against
 * JSON.parse over random inputs.
 */
export const DEFAULT_MAX_DEPTH = 64;

export type StrictJsonReason =
  | "NOT_UTF8"
  | "SYNTAX"
  | "TOO_DEEP"
  | "NUMBER_NOT_FINITE"
  | "LONE_SURROGATE"
  | "DUPLICATE_KEY";

/** One refusal: `reason` says what, `path` (RFC 6901) where when known. Its code is the edge's JSON_INVALID. */
export class StrictJsonError extends CodedError<"JSON_INVALID"> {
  readonly reason: StrictJsonReason;
  readonly path: string;
  /** The shape every coded error body carries its findings in. */
  readonly problems: { code: StrictJsonReason; path: string; message: string }[];

  constructor(reason: StrictJsonReason, message: string, path = "") {
    super("JSON_INVALID", `body is not strict JSON: ${message}${path ? ` at ${path}` : ""}`);
    this.reason = reason;
    this.path = path;
    this.problems = [{ code: reason, path, message }];
  }
}

export interface StrictJsonOptions {
  maxDepth?: number;
}

// decode() without { stream } keeps no state between calls, so one decoder serves every call.
const fatalUtf8 = new TextDecoder("utf-8", { fatal: true });

/** UTF-8 bytes to text, refusing any invalid sequence (an encoded surrogate included) instead of U+FFFD. */
export function decodeUtf8Strict(bytes: Uint8Array): string {
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    throw new StrictJsonError("NOT_UTF8", "the bytes are not UTF-8");
  }
}

/** Read JSON bytes (UTF-8) or text strictly; the value, or a StrictJsonError naming the reason. */
export function readStrictJson(input: Uint8Array | string, options: StrictJsonOptions = {}): unknown {
  const text = typeof input === "string" ? input : decodeUtf8Strict(input);
  // Decoded UTF-8 is always well-formed; a string handed in may not be (raw lone surrogates).
  const rawSurrogates = typeof input === "string" && !isWellFormed(input);
  const members = scanStructure(text, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new StrictJsonError("SYNTAX", (err as Error).message);
  }
  const walker: Walker = { checkStrings: rawSurrogates || SURROGATE_ESCAPE.test(text), keys: 0, path: [] };
  walk(value, walker);
  if (walker.keys !== members) locateDuplicateKey(text);
  return value;
}

// A `\uD800`–`\uDFFF` escape; a false hit (an escaped backslash before "uD8…") only costs the string check.
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

function isWellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  COLON = 0x3a,
  OPEN_BRACE = 0x7b,
  OPEN_BRACKET = 0x5b,
  CLOSE_BRACE = 0x7d,
  CLOSE_BRACKET = 0x5d;

/**
 * Depth and member count of (possibly invalid) JSON text, skipping strings with indexOf so long
 * strings (a seal's base64) cost native speed. Refuses TOO_DEEP before JSON.parse sees the text.
 */
function scanStructure(text: string, maxDepth: number): number {
  let depth = 0,
    members = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) i = stringEnd(text, i);
    else if (c === COLON) members++;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) throw new StrictJsonError("TOO_DEEP", `nesting deeper than ${maxDepth} levels`);
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return members;
}

/** Index of the quote closing the string opened at `open` (text.length when unterminated). */
function stringEnd(text: string, open: number): number {
  let i = open;
  for (;;) {
    i = text.indexOf('"', i + 1);
    if (i < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(i - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return i;
  }
}

interface Walker {
  checkStrings: boolean;
  keys: number;
  /** Where the walk is; array indices stay numbers (converted only when a pointer is written). */
  path: (string | number)[];
}

/** Depth is already bounded by the scan, so recursion is safe here. */
function walk(value: unknown, w: Walker): void {
  if (typeof value === "string") {
    if (w.checkStrings && !isWellFormed(value)) fail("LONE_SURROGATE", "a string holds a lone surrogate", w.path);
  } else if (typeof value === "number") {
    if (!Number.isFinite(value)) fail("NUMBER_NOT_FINITE", "a number is out of the finite range", w.path);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      w.path.push(i);
      walk(value[i], w);
      w.path.pop();
    }
  } else if (value !== null && typeof value === "object") {
    // Own keys only: an enumerable property planted on Object.prototype must not count as a member.
    for (const key of Object.keys(value)) {
      w.keys++;
      w.path.push(key);
      if (w.checkStrings && !isWellFormed(key)) fail("LONE_SURROGATE", "a key holds a lone surrogate", w.path);
      walk((value as Record<string, unknown>)[key], w);
      w.path.pop();
    }
  }
}

function fail(reason: StrictJsonReason, message: string, path: readonly (string | number)[]): never {
  throw new StrictJsonError(reason, message, toPointer(path));
}

function toPointer(path: readonly (string | number)[]): string {
  return path.map((p) => "/" + String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("");
}

interface Frame {
  keys?: Set<string>;
  index: number;
  key?: string;
}

/**
 * Slow path, only for text already known to repeat a key: scan again keeping each open object's
 * keys to say where. The text is valid JSON here (JSON.parse accepted it).
 */
function locateDuplicateKey(text: string): never {
  const stack: Frame[] = [];
  let lastString = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      lastString = JSON.parse(text.slice(i, end + 1)) as string;
      i = end;
    } else if (c === OPEN_BRACE) stack.push({ keys: new Set(), index: 0 });
    else if (c === OPEN_BRACKET) stack.push({ index: 0 });
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) stack.pop();
    else if (c === 0x2c) stack[stack.length - 1]!.index++;
    else if (c === COLON) {
      const frame = stack[stack.length - 1]!;
      frame.key = lastString;
      if (frame.keys!.has(lastString))
        fail(
          "DUPLICATE_KEY",
          `the key ${JSON.stringify(lastString.slice(0, 64))} appears twice in one object`,
          framePath(stack),
        );
      frame.keys!.add(lastString);
    }
  }
  throw new StrictJsonError("DUPLICATE_KEY", "a key appears twice in one object");
}

function framePath(stack: readonly Frame[]): (string | number)[] {
  return stack.map((f) => (f.keys ? f.key! : f.index));
}
