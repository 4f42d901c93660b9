import { execFileSync } from "node:child_process";

/**
 * A PNG decoded by an independent reader: Python's zlib and a PNG row unfilter written from the PNG spec
 * (ISO/IEC 15948 §9: filter types 0–4), not our encoder's code. Checks the signature and every chunk's
 * CRC-32, and hands back the chunk list, the image size and its RGBA bytes. Needs `python3` (CI installs it).
 */
export interface DecodedPng {
  chunks: { type: string; length: number; crcOk: boolean }[];
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  physPerMetre?: [number, number];
  rgba: Uint8Array;
}

const PYTHON = String.raw`
import sys, zlib, struct, json, base64
data = sys.stdin.buffer.read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
pos, chunks, idat, ihdr, phys = 8, [], b"", None, None
while pos < len(data):
    (length,) = struct.unpack(">I", data[pos:pos + 4])
    ctype = data[pos + 4:pos + 8]
    body = data[pos + 8:pos + 8 + length]
    (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
    chunks.append({"type": ctype.decode("ascii"), "length": length, "crcOk": zlib.crc32(ctype + body) & 0xffffffff == crc})
    if ctype == b"IHDR": ihdr = struct.unpack(">IIBBBBB", body)
    elif ctype == b"IDAT": idat += body
    elif ctype == b"pHYs": phys = list(struct.unpack(">IIB", body)[:2])
    pos += 12 + length
w, h, depth, colour = ihdr[0], ihdr[1], ihdr[2], ihdr[3]
assert depth == 8 and colour == 6 and ihdr[6] == 0, "only 8-bit RGBA, not interlaced"
raw, bpp, stride = zlib.decompress(idat), 4, w * 4
out, prev = bytearray(), bytearray(stride)
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        else: assert f == 0, "bad filter type %d" % f
    out += line
    prev = line
json.dump({"chunks": chunks, "width": w, "height": h, "bitDepth": depth, "colourType": colour,
           "physPerMetre": phys, "rgba": base64.b64encode(bytes(out)).decode()}, sys.stdout)
`;

export function hasPython(): boolean {
  try {
    execFileSync("python3", ["-c", "import zlib"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function decodePngWithPython(png: Uint8Array): DecodedPng {
  const out = execFileSync("python3", ["-c", PYTHON], { input: png, maxBuffer: 64 << 20, encoding: "utf8" });
  const parsed = JSON.parse(out) as Omit<DecodedPng, "rgba" | "physPerMetre"> & {
    rgba: string;
    physPerMetre: [number, number] | null;
  };
  return {
    ...parsed,
    physPerMetre: parsed.physPerMetre ?? undefined,
    rgba: new Uint8Array(Buffer.from(parsed.rgba, "base64")),
  };
}
