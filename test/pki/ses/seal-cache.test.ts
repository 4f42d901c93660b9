import { beforeAll, describe, expect, it } from "vitest";
import { SizedLru } from "../../../src/pki/ses/seal-cache.ts";
import { isSealCached, sealFacts } from "../../../src/pki/ses/seal-checks.ts";
import { flip, indexOf, sesPki, type SesPki } from "./ses-pki.ts";

/**
 * The per-seal cache of the SES verifier (review of issue 16): it keeps only seals whose maker signature
 * verifies (hostile seals cannot evict the known ones), evicts the least recently used, and never stores an
 * entry larger than its byte budget.
 */
describe("the SES seal cache", () => {
  let pki: SesPki;
  beforeAll(async () => {
    pki = await sesPki();
  });

  it("keeps a seal whose maker signature verifies, never one whose signature fails", () => {
    const seal = pki.seal({ esId: "CACHE-OK" });
    expect(sealFacts(seal).signatureOk).toBe(true);
    expect(isSealCached(seal)).toBe(true);
    const name = new TextEncoder().encode("浙江");
    const forged = flip(seal, indexOf(seal, name)); // a changed name: the maker did not sign this
    expect(sealFacts(forged).signatureOk).toBe(false);
    expect(isSealCached(forged)).toBe(false);
  });

  it("evicts the least recently used entry, a hit counting as a use", () => {
    const lru = new SizedLru<string>(2, 100);
    lru.set("a", "A", 10);
    lru.set("b", "B", 10);
    expect(lru.get("a")).toBe("A"); // a is now younger than b
    lru.set("c", "C", 10);
    expect([lru.has("a"), lru.has("b"), lru.has("c")]).toEqual([true, false, true]);
  });

  it("evicts by bytes and never stores an entry larger than the budget", () => {
    const lru = new SizedLru<string>(10, 100);
    lru.set("a", "A", 60);
    lru.set("b", "B", 30);
    lru.set("c", "C", 30); // 120 > 100: a goes
    expect([lru.has("a"), lru.has("b"), lru.has("c"), lru.bytes]).toEqual([false, true, true, 60]);
    lru.set("huge", "H", 101);
    expect([lru.has("huge"), lru.size, lru.bytes]).toEqual([false, 2, 60]); // and nothing was evicted for it
    lru.set("b", "B2", 40); // replacing counts the new size once
    expect([lru.get("b"), lru.bytes]).toEqual(["B2", 70]);
  });
});
