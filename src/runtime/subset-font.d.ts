/** subset-font 2.9 ships no types: the one call the font provisioning makes (harfbuzz subsetting). */
declare module "subset-font" {
  export default function subsetFont(
    font: Uint8Array,
    text: string,
    options?: { targetFormat?: "truetype" | "woff" | "woff2" | "sfnt" },
  ): Promise<Uint8Array>;
}
