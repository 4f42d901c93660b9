import { unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { unzipBounded } from "../../../src/usecases/evidence/unzip.ts";
import { verifyEvidencePack } from "../../../src/usecases/evidence/index.ts";

const MiB = 1024 * 1024;
const limits = { maxInflatedBytes: 8 * MiB, maxEntries: 100 };
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return (err as { code?: string }).code ?? (err as Error).message;
  }
  return "no error";
};

/** The central directory record of `name` in `zip`: where its declared inflated size lives. */
function centralEntry(zip: Uint8Array, name: string): number {
  const view = new DataView(zip.buffer, zip.byteOffset);
  for (let at = zip.length - 22; at >= 0; at--)
    if (
      view.getUint32(at, true) === 0x02014b50 &&
      new TextDecoder().decode(zip.subarray(at + 46, at + 46 + name.length)) === name
    )
      return at;
  throw new Error("no entry");
}

describe("unzipBounded (review 13a #2: evidence packs from anyone)", () => {
  it("reads what unzipSync reads, stored and deflated alike", () => {
    const zip = zipSync({
      "a.json": new TextEncoder().encode('{"a":1}'),
      "b.bin": [new Uint8Array(5000).fill(7), { level: 0 }],
    });
    expect(unzipBounded(zip, limits)).toEqual(unzipSync(zip));
  });

  it("refuses a pack whose declared sizes pass the cap, before inflating anything", () => {
    const zip = zipSync({ "a.bin": [new Uint8Array(16 * MiB), { level: 9 }] });
    expect(zip.length).toBeLessThan(64 * 1024);
    // The compressed data made undecodable (after the 30-byte local header and the 5-byte name): had the
    // reader inflated anything before checking the declared sizes, it would fail on the data instead.
    zip.fill(0xff, 35, 35 + 64);
    expect(codeOf(() => unzipBounded(zip, limits))).toBe("EVIDENCE_PACK_TOO_LARGE");
  });

  it("stops an entry that inflates past the size it declared (a lying directory)", () => {
    const zip = zipSync({ "a.bin": [new Uint8Array(16 * MiB), { level: 9 }] });
    new DataView(zip.buffer).setUint32(centralEntry(zip, "a.bin") + 24, 1000, true);
    expect(codeOf(() => unzipBounded(zip, limits))).toBe("EVIDENCE_PACK_TOO_LARGE");
  });

  it("refuses too many entries, and entries over the same bytes", () => {
    const many = zipSync(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, new Uint8Array(1)])));
    expect(codeOf(() => unzipBounded(many, limits))).toBe("EVIDENCE_PACK_TOO_LARGE");
    const zip = zipSync({ a: new Uint8Array(100).fill(1), b: new Uint8Array(100).fill(2) });
    const view = new DataView(zip.buffer);
    view.setUint32(centralEntry(zip, "b") + 42, view.getUint32(centralEntry(zip, "a") + 42, true), true);
    expect(codeOf(() => unzipBounded(zip, limits))).toMatch(/overlap/);
  });

  it("is the guard of verifyEvidencePack (and so of `jiexu archive verify`)", () => {
    const zip = zipSync({ "manifest.json": [new Uint8Array(16 * MiB), { level: 9 }] });
    expect(codeOf(() => verifyEvidencePack(zip, { limits }))).toBe("EVIDENCE_PACK_TOO_LARGE");
    expect(verifyEvidencePack(new Uint8Array([1, 2, 3])).checks[0]?.code).toBe("PACK_UNREADABLE");
  });
});
