import * as fontkit from "fontkit";
import { GatewayError, type PrintInput } from "../usecases/index.ts";
import { TEXT, schemaTitles } from "./labels.ts";

/** A font as bytes (embedded into the PDF) and as parsed by fontkit (asked which characters it covers). */
export interface LoadedFont {
  bytes: Uint8Array;
  covers(codePoint: number): boolean;
}

export function loadFont(bytes: Uint8Array): LoadedFont {
  const font = fontkit.create(bytes as Buffer) as fontkit.Font;
  return { bytes, covers: (cp) => font.hasGlyphForCodePoint(cp) };
}

/** Characters of the fixed page texts: the common font must cover them all (the runtime cuts it so). */
export function pageCharacters(): string {
  return [...Object.values(TEXT), ...schemaTitles(), "0123456789.,:;-–/()[]%·…—　、。：；，（）〔〕《》“”"].join("");
}

/** Every character a page of `input` may draw: fixed texts plus every string of the document and the input. */
export function charactersOf(input: PrintInput): Set<number> {
  const set = new Set<number>();
  const add = (s: string) => {
    for (const ch of s) {
      const cp = ch.codePointAt(0)!;
      if (cp > 0x20 && !(cp >= 0x7f && cp <= 0xa0)) set.add(cp);
    }
  };
  const walk = (v: unknown): void => {
    if (typeof v === "string") add(v);
    else if (typeof v === "number") add(String(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        add(k);
        walk(x);
      }
  };
  add(pageCharacters());
  walk(input.document);
  walk(input.sealedBy);
  walk(input.verification);
  add(input.verifyUrl);
  add(input.documentSha256);
  return set;
}

export function coversAll(font: LoadedFont, chars: Set<number>): boolean {
  for (const cp of chars) if (!font.covers(cp)) return false;
  return true;
}

/**
 * The full font must cover what the common cut did not: a character neither has would print as an empty box or
 * as nothing at all, silently — refused instead, naming the character.
 */
export function requireCoverage(font: LoadedFont, chars: Set<number>): LoadedFont {
  for (const cp of chars)
    if (!font.covers(cp))
      throw new GatewayError(
        "PRINT_GLYPH_MISSING",
        `the font has no glyph for U+${cp.toString(16).toUpperCase().padStart(4, "0")} (${String.fromCodePoint(cp)})`,
      );
  return font;
}
