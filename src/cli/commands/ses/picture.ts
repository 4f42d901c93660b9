import { readFileSync } from "node:fs";
import type { SesPicture } from "../../../pki/index.ts";
import { SEAL_PICTURE_MM, loadFont, renderSealPng, type LoadedFont } from "../../../print/index.ts";
import { FULL_FONT_PATH } from "../../../runtime/fonts.ts";
import { CommandFailure, EXIT } from "../../io.ts";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** A seal picture is a few tens of kilobytes; anything far beyond is not one (GB/T 38540 has no limit). */
const MAX_PICTURE_BYTES = 4 << 20;

/**
 * The picture an SES seal carries (GB/T 38540-2020 SES_ESPictrueInfo: type, data, width and height in mm):
 * the PNG given with --picture, sized by its pHYs chunk (else 40 mm wide), or the round seal drawn for
 * `name` with the print font (src/print/seal-png.ts).
 */
export function sealPicture(name: string, picturePath: string | undefined): SesPicture {
  if (picturePath === undefined) {
    const data = renderSealPng({ name, font: printFont() });
    return { type: "PNG", data, widthMm: SEAL_PICTURE_MM, heightMm: SEAL_PICTURE_MM };
  }
  const data = new Uint8Array(readFileSync(picturePath));
  return { type: "PNG", data, ...pngSizeMm(data, picturePath) };
}

/** Width and height in whole millimetres from IHDR and pHYs (PNG spec §11.2.2, §11.3.5.3). */
function pngSizeMm(png: Uint8Array, path: string): { widthMm: number; heightMm: number } {
  const bad = (why: string) => new CommandFailure(`${path} is not a usable PNG picture: ${why}`, EXIT.DATAERR);
  if (png.length > MAX_PICTURE_BYTES) throw bad(`over ${MAX_PICTURE_BYTES >> 20} MiB`);
  if (png.length < 33 || PNG_SIGNATURE.some((b, i) => png[i] !== b)) throw bad("no PNG signature");
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (chunkType(png, 12) !== "IHDR") throw bad("IHDR is not the first chunk");
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width === 0 || height === 0) throw bad("empty image");
  let ppm: [number, number] | undefined;
  for (let at = 8; at + 12 <= png.length; ) {
    const length = view.getUint32(at);
    const type = chunkType(png, at + 4);
    if (type === "IDAT" || type === "IEND") break;
    if (type === "pHYs" && length === 9 && png[at + 16] === 1) ppm = [view.getUint32(at + 8), view.getUint32(at + 12)];
    at += 12 + length;
  }
  if (!ppm || ppm[0] === 0 || ppm[1] === 0)
    return { widthMm: SEAL_PICTURE_MM, heightMm: Math.max(1, Math.round((SEAL_PICTURE_MM * height) / width)) };
  return {
    widthMm: Math.max(1, Math.round((width / ppm[0]) * 1000)),
    heightMm: Math.max(1, Math.round((height / ppm[1]) * 1000)),
  };
}

let font: LoadedFont | undefined;
/** The print font, read and parsed once per process (a workspace draws one seal per SES agency). */
function printFont(): LoadedFont {
  font ??= loadFont(new Uint8Array(readFileSync(FULL_FONT_PATH)));
  return font;
}

function chunkType(png: Uint8Array, at: number): string {
  return String.fromCharCode(...png.subarray(at, at + 4));
}
