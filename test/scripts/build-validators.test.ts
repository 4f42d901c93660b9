import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { validatorSources } from "../../scripts/build-validators.ts";

const ROOT = resolve(import.meta.dirname, "../..");

/**
 * The precompiled validators the gateway runs (workerd compiles no code at run time) are what Ajv makes
 * of schemas/ today: a schema edited without `npm run build:validators` fails here, not in production.
 */
describe("npm run build:validators", () => {
  it.each(validatorSources())("left $path as the schemas make it", ({ path, text }) => {
    expect(readFileSync(resolve(ROOT, path), "utf8") === text, `run npm run build:validators (${path})`).toBe(true);
  });

  it("generates modules that import Ajv's helpers instead of require-ing them", () => {
    for (const { text } of validatorSources()) {
      expect(text).not.toMatch(/\brequire\(/);
      expect(text).toMatch(/^export const validators = \{/m);
    }
  });
});
