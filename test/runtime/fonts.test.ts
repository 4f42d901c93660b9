import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pageCharacters } from "../../src/print/index.ts";
import { commonCharacters, commonFont } from "../../src/runtime/fonts.ts";

describe("font provisioning for printed documents (issue 13 item 2)", () => {
  const dir = mkdtempSync(join(tmpdir(), "jiexu-fonts-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("cuts to ASCII, the 6,763 GB2312 hanzi and every fixed page text", () => {
    const chars = commonCharacters();
    const hanzi = [...chars].filter((ch) => /\p{Script=Han}/u.test(ch) && ch >= "\u4e00" && ch <= "\u9fff");
    expect(hanzi.length).toBeGreaterThanOrEqual(6763);
    for (const ch of `AZaz09~${pageCharacters()}陈志强〔〕（）`) expect(chars).toContain(ch);
    expect(chars).not.toContain("䶮");
  });

  it("caches the cut under the data dir, written whole (no temporary file left), and reads it back the same", async () => {
    const first = await commonFont(dir);
    expect(readdirSync(dir).filter((f) => f !== "file")).toEqual([
      expect.stringMatching(/^noto-sans-sc-common-[0-9a-f]{16}\.ttf$/),
    ]);
    expect(Buffer.from(await commonFont(dir)).equals(first)).toBe(true);
    expect(first.length).toBeLessThan(4_000_000);
  }, 30_000);

  it("still gives the cut when the cache cannot be written, and says so (review 13a #8)", async () => {
    const notADir = join(dir, "file");
    writeFileSync(notADir, "x");
    const warnings: string[] = [];
    const cut = await commonFont(join(notADir, "cache"), undefined, (event) => void warnings.push(event));
    expect(cut.length).toBeGreaterThan(1_000_000);
    expect(warnings).toEqual(["print.font-cache-unwritable"]);
  }, 30_000);
});
