import { Inflate } from "fflate";
import { GatewayError } from "../errors.ts";

/**
 * A PDF from anyone (the /verify page, a `voucherPdf` at registration) is checked before pdf-lib reads it
 * (review 13a #3): `PDFDocument.load` inflates every object stream and `getAttachments` every attached file,
 * fully and without a bound — a 66 KB PDF became 64 MiB. pdf-lib offers no bounded decoding, so every
 * Flate-compressed stream of the file is inflated here first, in small chunks, against one budget for the
 * whole file; past it PDF_TOO_LARGE, before pdf-lib decodes anything. Once this passes, what pdf-lib will
 * inflate is bounded by the same budget.
 *
 * How streams are found: pdf-lib (like pdf.js) only flate-decodes data that opens with a zlib header, and
 * stream data starts after the `stream` keyword and its end of line. So every `stream` keyword whose data opens
 * with a zlib header is inflated from there to the end of its deflate data (not to the next `endstream`,
 * which a crafted /Length can skip). Corrupt compressed data is refused too: the gateway's own PDFs never have
 * any, and a lenient decoder might read further than this check did. Filters this check cannot bound
 * (UNBOUNDED_FILTERS) are refused wherever they appear, plain or inside an object stream.
 */
export const PDF_MAX_INFLATED_BYTES = 16 * 1024 * 1024;

const CHUNK = 4 * 1024;
/**
 * Filters this check cannot bound: LZW and RunLength, and a chain with Flate in it (`[/FlateDecode
 * /FlateDecode]`: only the first layer is inflated here, the next would be pdf-lib's, unbounded). Arrays of
 * two or more names holding `Fl…` are refused whatever they are for; pages' `/ProcSet [/PDF /Text]` has none.
 */
const NAMES = "(?:\\/[A-Za-z0-9]+\\s*)";
const FLATE = "\\/Fl[A-Za-z]*\\s*";
const UNBOUNDED_FILTERS = new RegExp(
  `LZWDecode|RunLengthDecode|\\[\\s*${NAMES}+${FLATE}${NAMES}*\\]|\\[\\s*${FLATE}${NAMES}+\\]`,
);

export function refuseInflationBomb(pdf: Uint8Array, maxInflatedBytes = PDF_MAX_INFLATED_BYTES): void {
  const text = new TextDecoder("latin1").decode(pdf);
  if (UNBOUNDED_FILTERS.test(text))
    refuse("PDF_NO_SEALED_ORIGINAL", "the PDF uses a filter this gateway does not read");
  let budget = maxInflatedBytes;
  for (const match of text.matchAll(/stream/g)) {
    if (text.slice(match.index - 3, match.index) === "end") continue;
    let at = match.index + 6;
    while (at < pdf.length && " \t\r\n\f\0".includes(text[at]!)) at++;
    if (isZlibHeader(pdf[at], pdf[at + 1])) budget -= inflateFrom(pdf, at + 2, budget);
  }
}

/** Inflates raw deflate data at `start` until its final block ends; returns the bytes it makes. */
function inflateFrom(pdf: Uint8Array, start: number, budget: number): number {
  let made = 0;
  let tail = "";
  const inflater = new Inflate((chunk) => {
    made += chunk.length;
    if (made > budget) refuse("PDF_TOO_LARGE", "the PDF's compressed streams inflate past what this gateway reads");
    // An object stream may hold a /Filter name that a stream refers to: look for the unbounded ones here too.
    const seen = tail + new TextDecoder("latin1").decode(chunk.subarray(0, 64 * 1024));
    if (UNBOUNDED_FILTERS.test(seen))
      refuse("PDF_NO_SEALED_ORIGINAL", "the PDF uses a filter this gateway does not read");
    tail = seen.slice(-256);
  });
  // fflate keeps its state in `s`: `f` once the final block has begun, `l` cleared when it has ended.
  const state = (inflater as unknown as { s: { f?: number; l?: unknown } }).s;
  try {
    for (let at = start; at < pdf.length; at += CHUNK) {
      inflater.push(pdf.subarray(at, at + CHUNK), at + CHUNK >= pdf.length);
      if (state.f && !state.l) break;
    }
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    refuse("PDF_NO_SEALED_ORIGINAL", "a compressed stream of the PDF is corrupt");
  }
  return made;
}

/** RFC 1950: method 8 (deflate), window ≤ 32 KiB, and the check bits. */
function isZlibHeader(cmf: number | undefined, flg: number | undefined): boolean {
  if (cmf === undefined || flg === undefined) return false;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0;
}

function refuse(code: "PDF_TOO_LARGE" | "PDF_NO_SEALED_ORIGINAL", message: string): never {
  throw new GatewayError(code, message);
}
