import { DerError, Tag, childrenOf, decodeOid, decodeTime, readTlv, valueOf, type Tlv } from "../der.ts";
import { assertStrictDer, isDerLength } from "../der-strict.ts";
import { SesError, type SesFormatReason } from "./errors.ts";

/**
 * Strict reading of GB/T 38540 fields (issue 16): every structure is DER (definite minimal lengths, canonical
 * primitives, der-strict.ts), fields come in the order the standard lists them, and nothing follows the last
 * one. Values are returned as views into the bytes as received, so signatures are checked over those bytes.
 */
const MAX_ITEMS = 64;

/** The outermost SEQUENCE of `b`, which must span all of it. */
export function topSequence(b: Uint8Array, what: string): Tlv {
  const t = guard(what, () => readTlv(b, 0));
  if (t.tag !== Tag.SEQUENCE) throw format(`${what}: not a SEQUENCE (tag 0x${t.tag.toString(16)})`);
  if (t.end !== b.length) throw format(`${what}: ${b.length - t.end} trailing byte(s)`);
  return t;
}

/** Check `t` and everything below it is DER. */
export function strict(b: Uint8Array, t: Tlv, what: string): void {
  guard(what, () => assertStrictDer(b, t));
}

/** Fields of a constructed value, read in order. */
export class Fields {
  readonly #list: Tlv[];
  #i = 0;
  constructor(
    readonly b: Uint8Array,
    parent: Tlv,
    readonly what: string,
  ) {
    if (!isDerLength(b, parent)) throw format(`${what}: length not in DER form`);
    this.#list = guard(what, () => childrenOf(b, parent));
    if (this.#list.length > MAX_ITEMS) throw format(`${what}: ${this.#list.length} elements`);
  }
  /** The first field, whatever its tag. */
  get first(): Tlv | undefined {
    return this.#list[0];
  }
  get count(): number {
    return this.#list.length;
  }
  /** The next field, which must carry `tag`. */
  next(tag: number, name: string): Tlv {
    const t = this.#list[this.#i++];
    if (!t) throw format(`${this.what}: ${name} missing`);
    if (t.tag !== tag)
      throw format(`${this.what}: ${name} has tag 0x${t.tag.toString(16)}, expected 0x${tag.toString(16)}`);
    return t;
  }
  /** The next field if it carries `tag`. */
  optional(tag: number): Tlv | undefined {
    const t = this.#list[this.#i];
    if (t?.tag !== tag) return undefined;
    this.#i++;
    return t;
  }
  /** No field may be left over. */
  end(): void {
    if (this.#i < this.#list.length)
      throw format(`${this.what}: unexpected field ${this.#i + 1} of ${this.#list.length}`);
  }
}

/** Bytes < 0x80 as text, in chunks (no TextDecoder label beyond UTF-8 is assumed: workerd). */
function ascii(v: Uint8Array): string {
  let out = "";
  for (let i = 0; i < v.length; i += 4096)
    out += String.fromCharCode.apply(null, v.subarray(i, i + 4096) as unknown as number[]);
  return out;
}
/** IA5String (strict() has checked every byte is ASCII) or PrintableString, as text. */
export function ia5(b: Uint8Array, t: Tlv): string {
  return ascii(valueOf(b, t));
}

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });
export function utf8(b: Uint8Array, t: Tlv): string {
  return utf8Decoder.decode(valueOf(b, t));
}

/** A small non-negative INTEGER (versions, types, millimetres). */
export function smallInt(b: Uint8Array, t: Tlv, name: string): number {
  const v = valueOf(b, t);
  if (v.length > 4 || v[0]! & 0x80) throw format(`${name}: INTEGER out of range`);
  return v.reduce((n, byte) => n * 256 + byte, 0);
}

/** GeneralizedTime (GB/T 38540 §7: v4 times are GeneralizedTime, UTC). */
export function generalized(b: Uint8Array, t: Tlv, name: string): Date {
  return guard(name, () => decodeTime(b, t));
}

/** BIT STRING contents of whole bytes (signatures, dataHash). */
export function bitBytes(b: Uint8Array, t: Tlv, name: string): Uint8Array {
  const v = valueOf(b, t);
  if (v[0] !== 0) throw format(`${name}: BIT STRING with unused bits`);
  return v.subarray(1);
}

export function oidOf(b: Uint8Array, t: Tlv, name: string): string {
  return guard(name, () => decodeOid(b, t));
}

export interface SesExtension {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

/** ExtensionDatas ::= SEQUENCE OF ExtData { extnID, critical BOOLEAN DEFAULT FALSE, extnValue }. */
export function extensions(b: Uint8Array, list: Tlv, what: string): SesExtension[] {
  const items = new Fields(b, list, what);
  const out: SesExtension[] = [];
  for (let i = 0; i < items.count; i++) {
    const f = new Fields(b, items.next(Tag.SEQUENCE, "ExtData"), `${what} ExtData`);
    const oid = oidOf(b, f.next(Tag.OID, "extnID"), "extnID");
    // Real seals (GOMAIN) write an explicit FALSE; accepted, as the bytes are covered by the signature anyway.
    const flag = f.optional(Tag.BOOLEAN);
    const value = valueOf(b, f.next(Tag.OCTET_STRING, "extnValue"));
    f.end();
    out.push({ oid, critical: flag ? b[flag.valueStart] === 0xff : false, value });
  }
  return out;
}

export function format(message: string, reason: SesFormatReason = "SES_MALFORMED"): SesError {
  return new SesError("SES_FORMAT", message, { reason });
}

function guard<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DerError) throw format(`${what}: ${err.message}`);
    throw err;
  }
}
