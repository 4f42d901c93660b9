import { describe, expect, it } from "vitest";
import { OFFLINE_DEV_POLICY } from "../../../src/pki/policy.ts";
import { createSealer } from "../../../src/pki/seal.ts";
import { readSeal } from "../../../src/pki/ses/make-seal.ts";
import { verifySeal } from "../../../src/pki/verify-seal.ts";
import { AT, CONTENT, SIGNED_AT, sesPki } from "./ses-pki.ts";

/** GB/T 38540 making, signing and verifying inside workerd (issue 16: src/pki stays workerd-safe). */
describe("SES in workerd", () => {
  it("makes a seal, signs with it and verifies the signature; a changed document fails", async () => {
    const pki = await sesPki();
    const seal = pki.seal();
    expect(readSeal(seal).esId).toBe("33000020260101A1");
    const key = { privateKey: undefined as never, certificate: pki.holder.der, sm2: pki.holder.key, sesSeal: seal };
    const signed = createSealer(key).seal(CONTENT, SIGNED_AT);
    const options = { trust: pki.trust, crls: pki.crls, at: AT };
    const r = verifySeal(CONTENT, signed, options);
    expect(`${r.indication}/${r.subIndication ?? ""}`).toBe("TOTAL_PASSED/");
    expect(r.format).toBe("ses");
    const altered = Uint8Array.from(CONTENT);
    altered[0]! ^= 1;
    expect(verifySeal(altered, signed, { ...options, policy: OFFLINE_DEV_POLICY }).subIndication).toBe("HASH_FAILURE");
  });
});
