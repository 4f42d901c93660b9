import { beforeAll, describe, expect, it } from "vitest";
import { certInfo, type CertInfo } from "../../src/pki/certificate.ts";
import { validateChain, type ChainVerdict } from "../../src/pki/chain.ts";
import { DEFAULT_POLICY, policyWith } from "../../src/pki/policy.ts";
import { createRevocationStore, createTrustStore } from "../../src/pki/trust.ts";
import { VerdictCache, type VerdictKey } from "../../src/pki/verdict-cache.ts";
import { AT, createSealPki, type SealPki } from "../fixtures/seal-pki.ts";

/**
 * The verdict cache answers only while every part of its key matches: one test per invalidation cause,
 * each asserting that the chain was built again (the pool of seal certificates is asked for) and that
 * the answer is the new verdict, not the cached one (a cached answer shares the cached path object;
 * its validity checks are remade at each validation time).
 */
let pki: SealPki;
let key: VerdictKey;
let pool: CertInfo[];
beforeAll(async () => {
  pki = await createSealPki("ecdsa-p256");
  pool = [certInfo(pki.ca.der)];
  key = {
    signer: certInfo(pki.seal.der),
    trust: createTrustStore([pki.root.der]),
    crls: createRevocationStore([pki.crls.root, pki.crls.ca]),
    policy: DEFAULT_POLICY,
    at: AT,
    embedded: [pki.ca.der],
  };
});

interface Warm {
  cached: ChainVerdict;
  builds: () => number;
  validate: (k: VerdictKey, certs?: CertInfo[]) => ChainVerdict;
}

/** A fresh cache holding the passing verdict for `key`, and a validate() that counts chain builds. */
function warmCache(): Warm {
  const cache = new VerdictCache();
  let count = 0;
  const validate = (k: VerdictKey, certs = pool) =>
    validateChain(
      k,
      () => {
        count++;
        return certs;
      },
      cache,
    );
  const cached = validate(key);
  expect(cached.passed).toBe(true);
  return { cached, builds: () => count, validate };
}

describe("VerdictCache", () => {
  describe("when the same key comes again", () => {
    it("answers with the cached verdict without building the chain", () => {
      const { cached, builds, validate } = warmCache();
      expect(validate({ ...key }).path).toBe(cached.path);
      expect(validate({ ...key, at: new Date(cached.validUntil) }).path).toBe(cached.path);
      expect(builds()).toBe(1);
    });
  });

  describe("when the trust store changes", () => {
    it("recomputes the verdict, even for a store of the same anchors", () => {
      const { cached, builds, validate } = warmCache();
      const recomputed = validate({ ...key, trust: createTrustStore([pki.root.der]) });
      expect(recomputed.path).not.toBe(cached.path);
      expect(builds()).toBe(2);
    });
  });

  describe("when the CRL generation changes", () => {
    it("recomputes the verdict, even for a set of the same CRLs", () => {
      const { cached, builds, validate } = warmCache();
      const recomputed = validate({ ...key, crls: createRevocationStore([pki.crls.root, pki.crls.ca]) });
      expect(recomputed.path).not.toBe(cached.path);
      expect(builds()).toBe(2);
    });
  });

  describe("when the policy changes", () => {
    it("recomputes the verdict, even under an equal-looking copy of the policy", () => {
      const { cached, builds, validate } = warmCache();
      const recomputed = validate({ ...key, policy: policyWith({}) });
      expect(recomputed.path).not.toBe(cached.path);
      expect(builds()).toBe(2);
    });
  });

  describe("when the validation time leaves the verdict's validity window", () => {
    it("recomputes the verdict after the window, and before it", () => {
      const { cached, builds, validate } = warmCache();
      const after = validate({ ...key, at: new Date(cached.validUntil + 1000) });
      expect(after.path).not.toBe(cached.path);
      expect(after.passed).toBe(false);
      const before = validate({ ...key, at: new Date(cached.validFrom - 1000) });
      expect(before.path).not.toBe(cached.path);
      expect(before.passed).toBe(false);
      expect(builds()).toBe(3);
    });
  });

  describe("when the seal carries different intermediates", () => {
    it("recomputes the verdict when the cached path's issuing CA is no longer at hand", () => {
      const { cached, builds, validate } = warmCache();
      const recomputed = validate({ ...key, embedded: [] }, []);
      expect(recomputed.path).not.toBe(cached.path);
      expect(recomputed.passed).toBe(false);
      expect(builds()).toBe(2);
    });

    it("answers from cache when the trust store knows the issuing CA instead", () => {
      const trust = createTrustStore([pki.root.der], [pki.ca.der]);
      const { cached, builds, validate } = warmCache();
      const first = validate({ ...key, trust, embedded: [] }, []);
      expect(first.path).not.toBe(cached.path);
      expect(validate({ ...key, trust, embedded: [] }, []).path).toBe(first.path);
      expect(builds()).toBe(2);
    });
  });

  describe("when a verdict does not pass", () => {
    it("is not kept: the next validation builds the chain again", () => {
      const { builds, validate } = warmCache();
      const later = { ...key, at: new Date("2040-01-01T00:00:00Z") };
      expect(validate(later).passed).toBe(false);
      expect(validate(later).passed).toBe(false);
      expect(builds()).toBe(3);
    });
  });

  describe("when another verifier's cache is asked", () => {
    it("knows nothing of this one's verdicts", () => {
      const { cached } = warmCache();
      let count = 0;
      const countBuilds = () => {
        count++;
        return pool;
      };
      const other = validateChain(key, countBuilds, new VerdictCache());
      expect(other.path).not.toBe(cached.path);
      expect(count).toBe(1);
    });
  });
});
