import { Inflate } from "fflate";
import { GatewayError } from "../errors.ts";

/**
 * Unzipping an evidence pack nobody vouches for (review 13a #2: /verify takes packs from anyone). fflate's
 * `unzipSync` inflates whatever the central directory says, and an entry whose data lies about its size keeps
 * the CPU busy long after its output buffer is full (4 MiB of deflate is ≈4 GiB of output). So the central
 * directory is read first — entry count, declared sizes, overlapping data refused before any byte is
 * inflated — and each entry is then inflated in small input chunks, stopped as soon as its output passes
 * what it declared: the work done is bounded by the caps, whatever the bytes claim.
 */
export interface UnzipLimits {
  /** The sum of the entries' declared (inflated) sizes. */
  maxInflatedBytes: number;
  maxEntries: number;
}

/** For a pack handed to the CLI by its own operator: generous, but still finite. */
export const LOCAL_PACK_LIMITS: UnzipLimits = { maxInflatedBytes: 2 ** 30, maxEntries: 100_000 };

/** An upload's inflated size may be at most this many times its own size (then EVIDENCE_PACK_TOO_LARGE). */
export const PACK_INFLATE_FACTOR = 16;

interface Entry {
  name: string;
  method: number;
  start: number;
  compressed: number;
  size: number;
}

/** The entries of `zip` by name; malformed ZIPs throw a plain Error, packs past `limits` the coded refusal. */
export function unzipBounded(zip: Uint8Array, limits: UnzipLimits): Record<string, Uint8Array> {
  const entries = readDirectory(zip, limits);
  const files: Record<string, Uint8Array> = {};
  for (const e of entries) files[e.name] = e.method === 0 ? zip.slice(e.start, e.start + e.size) : inflate(zip, e);
  return files;
}

function readDirectory(zip: Uint8Array, limits: UnzipLimits): Entry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const floor = Math.max(0, zip.length - 22 - 0xffff); // the record ends the file, after a comment ≤ 64 KiB
  let end = zip.length - 22;
  while (end >= floor && u32(end) !== 0x06054b50) end--;
  if (end < floor) throw new Error("no end of central directory");
  const count = u16(end + 10);
  if (count === 0xffff || u32(end + 16) === 0xffffffff) throw new Error("ZIP64 packs are not read");
  if (count > limits.maxEntries) tooLarge(`${count} entries (at most ${limits.maxEntries})`);
  const entries: Entry[] = [];
  let total = 0;
  for (let i = 0, at = u32(end + 16); i < count; i++) {
    if (u32(at) !== 0x02014b50) throw new Error("bad central directory entry");
    const nameLength = u16(at + 28);
    const utf8 = (u16(at + 8) & 0x800) !== 0;
    const name = new TextDecoder(utf8 ? "utf-8" : "latin1").decode(zip.subarray(at + 46, at + 46 + nameLength));
    const local = u32(at + 42);
    if (u32(local) !== 0x04034b50) throw new Error(`bad local header for ${name}`);
    const entry = {
      name,
      method: u16(at + 10),
      compressed: u32(at + 20),
      size: u32(at + 24),
      start: local + 30 + u16(local + 26) + u16(local + 28),
    };
    if (entry.method !== 0 && entry.method !== 8) throw new Error(`unknown compression ${entry.method} of ${name}`);
    if (entry.method === 0 && entry.compressed !== entry.size) throw new Error(`stored entry ${name} sizes differ`);
    if (entry.start + entry.compressed > zip.length) throw new Error(`entry ${name} runs past the end`);
    total += entry.size;
    if (total > limits.maxInflatedBytes) tooLarge(`more than ${limits.maxInflatedBytes} bytes inflated`);
    entries.push(entry);
    at += 46 + nameLength + u16(at + 30) + u16(at + 32);
  }
  refuseOverlaps(entries);
  return entries;
}

/** Two entries over the same bytes multiply the work without making the upload any bigger. */
function refuseOverlaps(entries: Entry[]): void {
  const sorted = [...entries].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]!.start < sorted[i - 1]!.start + sorted[i - 1]!.compressed)
      throw new Error(`entries ${sorted[i - 1]!.name} and ${sorted[i]!.name} overlap`);
}

/** Deflate expands at most ≈1032:1, so one push yields at most ≈4 MiB before the size check runs. */
const CHUNK = 4 * 1024;

function inflate(zip: Uint8Array, e: Entry): Uint8Array {
  const out = new Uint8Array(e.size);
  let written = 0;
  const inflater = new Inflate((chunk) => {
    if (written + chunk.length > e.size) tooLarge(`entry ${e.name} inflates past its declared ${e.size} bytes`);
    out.set(chunk, written);
    written += chunk.length;
  });
  const data = zip.subarray(e.start, e.start + e.compressed);
  for (let at = 0; at < data.length; at += CHUNK)
    inflater.push(data.subarray(at, at + CHUNK), at + CHUNK >= data.length);
  if (data.length === 0) inflater.push(new Uint8Array(0), true);
  if (written !== e.size) throw new Error(`entry ${e.name} inflates to ${written}, not ${e.size} bytes`);
  return out;
}

function tooLarge(why: string): never {
  throw new GatewayError("EVIDENCE_PACK_TOO_LARGE", `the evidence pack is too large to verify: ${why}`);
}
