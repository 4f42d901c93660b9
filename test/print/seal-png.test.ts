import { readFileSync, writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadFont, renderSealPng, type LoadedFont } from "../../src/print/index.ts";
import { FULL_FONT_PATH } from "../../src/runtime/fonts.ts";
import { decodePngWithPython, type DecodedPng } from "../support/png-decode.ts";

/**
 * The seal picture of an SES seal (issue 16, GB/T 38540 SES_ESPictrueInfo "PNG"): decoded by an independent
 * reader (Python's zlib + a spec unfilter, and ImageMagick where installed), red on transparent, a ring.
 * JIEXU_SCREENSHOTS=1 also writes docs/screenshots/seal-picture.png.
 */

const NAME = "浙江省社会保险事业管理中心";
const SIZE = 480;
/** The ring's centre line and stroke in pixels: 44 pt and 2.4 pt on a 2 × 46.2 pt canvas (seal-layout.ts). */
const SCALE = SIZE / 92.4;
const RING = 44 * SCALE;
const STROKE = 2.4 * SCALE;
const RED = [214, 26, 31];

let font: LoadedFont;
let png: Uint8Array;
let image: DecodedPng;

const alphaAt = (x: number, y: number) => image.rgba[(Math.round(y) * image.width + Math.round(x)) * 4 + 3]!;
/** Alpha at `radius` px from the centre, `degrees` counter-clockwise from the right (y up, as on paper). */
const alphaPolar = (radius: number, degrees: number) => {
  const a = (degrees * Math.PI) / 180;
  return alphaAt(SIZE / 2 + radius * Math.cos(a) - 0.5, SIZE / 2 - radius * Math.sin(a) - 0.5);
};
const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

// .ci/run installs python3 (the independent PNG decoder): no skip when it is missing, a failure.
describe("the SES seal picture (renderSealPng)", () => {
  beforeAll(() => {
    font = loadFont(new Uint8Array(readFileSync(FULL_FONT_PATH)));
    png = renderSealPng({ name: NAME, font });
    image = decodePngWithPython(png);
    if (process.env.JIEXU_SCREENSHOTS === "1")
      writeFileSync(new URL("../../docs/screenshots/seal-picture.png", import.meta.url), png);
  }, 60_000);

  it("is a PNG another decoder reads: IHDR 480×480 8-bit RGBA, pHYs for 40 mm, IDAT, IEND, every CRC right", () => {
    expect(image.chunks.map((c) => c.type)).toEqual(["IHDR", "pHYs", "IDAT", "IEND"]);
    expect(image.chunks.every((c) => c.crcOk)).toBe(true);
    expect([image.width, image.height, image.bitDepth, image.colourType]).toEqual([SIZE, SIZE, 8, 6]);
    expect(image.physPerMetre).toEqual([12_000, 12_000]); // 480 px / 0.040 m
    expect(image.rgba.length).toBe(SIZE * SIZE * 4);
  });

  it("draws seal red on a transparent background, nothing else", () => {
    let drawn = 0;
    for (let i = 0; i < image.rgba.length; i += 4) {
      if (image.rgba[i + 3] === 0) continue;
      drawn++;
      expect([...image.rgba.subarray(i, i + 3)]).toEqual(RED);
    }
    // The ring alone is ≈2πRS ≈ 17 000 px; text and star add more; far from everything.
    expect(drawn).toBeGreaterThan(25_000);
    expect(drawn).toBeLessThan(SIZE * SIZE * 0.4);
    for (const [x, y] of [
      [0, 0],
      [SIZE - 1, 0],
      [0, SIZE - 1],
      [SIZE - 1, SIZE - 1],
      [SIZE / 2, 2],
    ])
      expect(alphaAt(x!, y!)).toBe(0);
  });

  it("is a closed ring: opaque on its centre line all the way round, clear just outside and inside below the text", () => {
    const around = range(0, 359.5, 0.5);
    expect(around.filter((d) => alphaPolar(RING, d) < 255)).toEqual([]);
    expect(around.filter((d) => alphaPolar(RING + STROKE / 2 + 3, d) > 0)).toEqual([]);
    // Below the purpose line, inside the ring, nothing is drawn (the name runs over the top only).
    expect(range(235, 305).filter((d) => alphaPolar(RING - STROKE / 2 - 4, d) > 0)).toEqual([]);
    // Anti-aliased: partial alpha at the ring's edges, not a hard staircase.
    const edge = range(0, 359).map((d) => alphaPolar(RING + STROKE / 2, d));
    expect(edge.some((a) => a > 0 && a < 255)).toBe(true);
  });

  it("has the star in the centre and the name along the upper arc, not the lower", () => {
    expect(alphaAt(SIZE / 2, SIZE / 2 - 6)).toBe(255);
    const inkIn = (from: number, to: number) =>
      range(from, to)
        .flatMap((d) => range(RING - 40, RING - 12, 2).map((r) => alphaPolar(r, d)))
        .filter((a) => a > 128).length;
    expect(inkIn(0, 180)).toBeGreaterThan(150); // of 2 715 samples over the upper half
    expect(inkIn(230, 310)).toBe(0);
  });

  it("is the same bytes for the same name and size, other bytes for another name", () => {
    expect(renderSealPng({ name: NAME, font })).toEqual(png);
    expect(renderSealPng({ name: "广东省社会保险基金管理局", font })).not.toEqual(png);
    const small = decodePngWithPython(renderSealPng({ name: NAME, font, sizePx: 120, sizeMm: 30 }));
    expect([small.width, small.height, small.physPerMetre]).toEqual([120, 120, [4000, 4000]]);
  });

  it("refuses a name the font cannot draw (PRINT_GLYPH_MISSING), and a size out of range", () => {
    expect(() => renderSealPng({ name: "测试\u{1FA90}局", font })).toThrow(
      expect.objectContaining({ code: "PRINT_GLYPH_MISSING" }),
    );
    expect(() => renderSealPng({ name: NAME, font, sizePx: 8 })).toThrow(RangeError);
  });
});
