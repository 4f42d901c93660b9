import * as fontkit from "fontkit";
import { GatewayError, type PrintInput } from "../usecases/index.ts";
import { TEXT, schemaTitles } from "./labels.ts";

/**
 * A font as bytes (embedded into the PDF) and as parsed by fontkit: asked which characters it covers, and
 * for a character's outline where we draw it ourselves (the seal picture, seal-png.ts).
 */
export interface LoadedFont {
  bytes: Uint8Array;
  covers(codePoint: number): boolean;
  /** The glyph of `codePoint` in em units (1 = the font size), y up; undefined when the font lacks it. */
  outline(codePoint: number): GlyphOutline | undefined;
}

export interface GlyphOutline {
  advance: number;
  commands: PathCommand[];
}

/** fontkit's path commands; the arguments are coordinate pairs, the last pair the end point. */
export interface PathCommand {
  command: "moveTo" | "lineTo" | "quadraticCurveTo" | "bezierCurveTo" | "closePath";
  args: number[];
}

export function loadFont(bytes: Uint8Array): LoadedFont {
  const font = fontkit.create(bytes as Buffer) as fontkit.Font;
  const em = font.unitsPerEm;
  // The seal picture asks for a glyph's advance when laying the name out, then for its outline when drawing it.
  const outlines = new Map<number, GlyphOutline | undefined>();
  const outline = (cp: number): GlyphOutline | undefined => {
    if (!font.hasGlyphForCodePoint(cp)) return undefined;
    const glyph = font.glyphForCodePoint(cp);
    const commands = (glyph.path.commands as PathCommand[]).map((c) => ({
      command: c.command,
      args: c.args.map((v) => v / em),
    }));
    return { advance: glyph.advanceWidth / em, commands };
  };
  return {
    bytes,
    covers: (cp) => font.hasGlyphForCodePoint(cp),
    outline: (cp) => {
      if (!outlines.has(cp)) outlines.set(cp, outline(cp));
      return outlines.get(cp);
    },
  };
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
