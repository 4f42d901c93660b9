import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import subsetFont from "subset-font";
import { createPdfPrinter, pageCharacters } from "../print/index.ts";
import type { DocumentPrinter } from "../usecases/index.ts";

/**
 * Fonts for printed documents (issue 13 item 2). The full Noto Sans SC (≈10 MB, 30 000+ characters) takes
 * 0.4–1 s to embed per PDF; cut once to the common characters it embeds in ≈100 ms. The cut is cached as a
 * file keyed by a hash of what it is made from, so later starts only read it.
 */
export const FULL_FONT_PATH = join(
  dirname(createRequire(import.meta.url).resolve("@expo-google-fonts/noto-sans-sc/package.json")),
  "400Regular",
  "NotoSansSC_400Regular.ttf",
);

/** ASCII, the GB2312 symbol rows and its 6,763 hanzi, CJK punctuation and fullwidth forms, the page texts. */
export function commonCharacters(): string {
  const parts: string[] = [];
  for (let cp = 0x20; cp < 0x7f; cp++) parts.push(String.fromCodePoint(cp));
  for (let cp = 0x3000; cp <= 0x303f; cp++) parts.push(String.fromCodePoint(cp));
  for (let cp = 0xff01; cp <= 0xffef; cp++) parts.push(String.fromCodePoint(cp));
  parts.push(gb2312(0xa1, 0xa9), gb2312(0xb0, 0xf7), pageCharacters());
  return [...new Set([...parts.join("")])].join("");
}

/** The characters of GB2312 rows `fromLead`…`toLead` (each row: trail bytes 0xA1–0xFE), decoded as GB18030. */
function gb2312(fromLead: number, toLead: number): string {
  const bytes: number[] = [];
  for (let lead = fromLead; lead <= toLead; lead++)
    for (let trail = 0xa1; trail <= 0xfe; trail++) {
      if (lead === 0xd7 && trail > 0xf9) continue; // D7FA–D7FE are unassigned in GB2312 (6,763 hanzi)
      bytes.push(lead, trail);
    }
  return [...new TextDecoder("gb18030").decode(new Uint8Array(bytes))]
    .filter((ch) => ch !== "\ufffd" && !(ch >= "\ue000" && ch <= "\uf8ff"))
    .join("");
}

/** Told when the cut font could not be cached (printing goes on with the cut in memory). */
export type FontWarn = (event: string, fields: Record<string, unknown>) => void;

/**
 * The common cut of `fullPath` in `cacheDir`, made on first use: written to a temporary name then renamed,
 * so a concurrent start or a crash never leaves a half-written font behind. A cache that cannot be written
 * (read-only data dir, full disk) costs the next start a new cut, never this print: the cut is used anyway.
 */
export async function commonFont(
  cacheDir: string,
  fullPath = FULL_FONT_PATH,
  warn: FontWarn = () => {},
): Promise<Uint8Array> {
  const full = await readFile(fullPath);
  const chars = commonCharacters();
  const key = createHash("sha256").update(full).update("\0subset-font 2.9.0\0").update(chars).digest("hex");
  const file = join(cacheDir, `noto-sans-sc-common-${key.slice(0, 16)}.ttf`);
  try {
    return new Uint8Array(await readFile(file));
  } catch {
    const cut = await subsetFont(full, chars, { targetFormat: "truetype" });
    try {
      mkdirSync(cacheDir, { recursive: true });
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, cut);
      await rename(tmp, file);
    } catch (err) {
      warn("print.font-cache-unwritable", { file, error: (err as Error).message });
    }
    return new Uint8Array(cut);
  }
}

/** The printer of a Node gateway: the common cut cached under `cacheDir`, the full font read when needed. */
export function createNodePrinter(
  cacheDir: string,
  fullPath = FULL_FONT_PATH,
  warn: FontWarn = () => {},
): DocumentPrinter {
  return createPdfPrinter({
    commonFont: () => commonFont(cacheDir, fullPath, warn),
    fullFont: async () => new Uint8Array(await readFile(fullPath)),
  });
}
