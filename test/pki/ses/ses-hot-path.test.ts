import { sm2 } from "sm-crypto-v2";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createSealer } from "../../../src/pki/seal.ts";
import { VerdictCache } from "../../../src/pki/verdict-cache.ts";
import { verifySeal } from "../../../src/pki/verify-seal.ts";
import { AT, CONTENT, SIGNED_AT, sesPki, type SesPki } from "./ses-pki.ts";

vi.mock("sm-crypto-v2", async (importOriginal) => {
  const mod = await importOriginal<typeof import("sm-crypto-v2")>();
  return { ...mod, sm2: { ...mod.sm2, doVerifySignature: vi.fn(mod.sm2.doVerifySignature) } };
});

/**
 * Issue 16 deliverable 5: once a verifier has seen a seal (its maker signature, the maker's and the signer's
 * chains, the CRLs), a new document signed with it costs ONE SM2 verification — the signer's over TBS_Sign.
 */
describe("SES verification hot path", () => {
  let pki: SesPki;
  let sealer: ReturnType<typeof createSealer>;

  beforeAll(async () => {
    pki = await sesPki();
    const key = {
      privateKey: undefined as never,
      certificate: pki.holder.der,
      sm2: pki.holder.key,
      sesSeal: pki.seal(),
    };
    sealer = createSealer(key);
  });

  it("makes one SM2 verification per new document once the seal is known", () => {
    const options = { trust: pki.trust, crls: pki.crls, at: AT, cache: new VerdictCache() };
    expect(verifySeal(CONTENT, sealer.seal(CONTENT, SIGNED_AT), options).indication).toBe("TOTAL_PASSED");
    const counted = vi.mocked(sm2.doVerifySignature);
    for (let i = 0; i < 3; i++) {
      const content = new TextEncoder().encode(`document ${i}`);
      const signed = sealer.seal(content, SIGNED_AT);
      counted.mockClear();
      expect(verifySeal(content, signed, options).indication).toBe("TOTAL_PASSED");
      expect(counted).toHaveBeenCalledTimes(1);
    }
  });
});
