import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/runtime/config.ts";

const base = {
  trustAnchors: ["root.pem"],
  agencies: [{ id: "440000", name: "广东", seal: { key: "k", cert: "c" }, receipt: { key: "k", cert: "c" } }],
};

/** Where printed QR codes lead (issue 13 item 2). */
describe("publicUrl in the configuration", () => {
  it("is optional, an http(s) URL kept without a trailing slash", () => {
    expect(parseConfig(base).publicUrl).toBeUndefined();
    expect(parseConfig({ ...base, publicUrl: "https://jiexu.example/" }).publicUrl).toBe("https://jiexu.example");
    expect(() => parseConfig({ ...base, publicUrl: "ftp://jiexu.example" })).toThrow(/publicUrl/);
  });
});
