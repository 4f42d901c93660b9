import { zlibSync } from "fflate";

/**
 * A PNG encoder for 8-bit RGBA (PNG spec, ISO/IEC 15948: IHDR colour type 6, one IDAT compressed with zlib,
 * IEND; each chunk CRC-32 checked). Enough for the seal picture; no dependency beyond fflate's deflate.
 */
export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes, rows top to bottom, straight (not premultiplied) alpha. */
  rgba: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** `pixelsPerMetre`, when given, is written as pHYs so viewers and printers know the picture's size. */
export function encodePng(image: RgbaImage, pixelsPerMetre?: number): Uint8Array {
  const { width, height, rgba } = image;
  if (rgba.length !== width * height * 4) throw new Error("RGBA data does not match the image size");
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, RGBA, deflate, adaptive filtering, no interlace
  const chunks = [chunk("IHDR", header)];
  if (pixelsPerMetre !== undefined) {
    const phys = new Uint8Array(9);
    const ppm = Math.round(pixelsPerMetre);
    new DataView(phys.buffer).setUint32(0, ppm);
    new DataView(phys.buffer).setUint32(4, ppm);
    phys[8] = 1; // unit: metre
    chunks.push(chunk("pHYs", phys));
  }
  chunks.push(chunk("IDAT", zlibSync(filterRows(image), { level: 9 })), chunk("IEND", new Uint8Array()));
  return concat([new Uint8Array(SIGNATURE), ...chunks]);
}

/** Each row prefixed by its filter type: Sub (1), which suits runs of one colour. */
function filterRows({ width, height, rgba }: RgbaImage): Uint8Array {
  const stride = width * 4;
  const out = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const from = y * stride;
    const to = y * (stride + 1);
    out[to] = 1;
    for (let i = 0; i < stride; i++) out[to + 1 + i] = (rgba[from + i]! - (i >= 4 ? rgba[from + i - 4]! : 0)) & 0xff;
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

let table: Uint32Array | undefined;

/** CRC-32 (ISO 3309, the PNG chunk check) over the chunk type and data. */
export function crc32(bytes: Uint8Array): number {
  table ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (const b of bytes) crc = table[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
