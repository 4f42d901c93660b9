import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY, OFFLINE_DEV_POLICY, type ValidationPolicy } from "../../src/pki/policy.ts";
import { createRevocationStore, createTrustStore, type RevocationStore, type TrustStore } from "../../src/pki/trust.ts";
import { VerdictCache } from "../../src/pki/verdict-cache.ts";
import { verifySeal } from "../../src/pki/verify-seal.ts";
import { AT, CrlReason, KeyUsage, T0, T_END, createSealPki, type SealPki } from "../fixtures/seal-pki.ts";
import { CONTENT, sealWith } from "./seal-harness.ts";
import { seededRandom as random } from "../support/random.ts";

/**
 * Differential test of the cached verification path: one verdict cache sees a long, shuffled run of
 * seals, CRL sets, policies and validation times that cross every boundary a cached verdict must not
 * cross (certificate validity, CRL nextUpdate either way, a later revocation date, a new CRL set), and
 * every report must be deep-equal to the one a cache-less verification gives for the same input.
 */
const day = 86_400_000;
const REVOKED_AT = new Date("2026-03-01T00:00:00Z");
const SIGNER_END = new Date("2026-09-01T00:00:00Z");
const CRL_NEXT = new Date("2026-07-01T00:00:00Z");

interface Case {
  name: string;
  cms: Uint8Array;
  content: Uint8Array;
}

let pki: SealPki;
let trust: TrustStore;
let cases: Case[];
let crlSets: RevocationStore[];
let times: Date[];

beforeAll(async () => {
  pki = await createSealPki("ecdsa-p256");
  trust = createTrustStore([pki.root.der]);
  const expiring = await pki.issueSeal({ notAfter: SIGNER_END });
  const revoked = await pki.issueSeal();
  const signOnly = await pki.issueSeal({ keyUsage: KeyUsage.digitalSignature });
  const tampered = CONTENT.slice();
  tampered[10] = tampered[10]! ^ 1;
  cases = [
    { name: "valid", cms: sealWith(pki, pki.seal), content: CONTENT },
    {
      name: "valid, root embedded too",
      cms: sealWith(pki, pki.seal, { chain: [pki.root.der, pki.ca.der] }),
      content: CONTENT,
    },
    { name: "valid, no CA embedded", cms: sealWith(pki, pki.seal, { chain: [] }), content: CONTENT },
    { name: "signer expires", cms: sealWith(pki, expiring), content: CONTENT },
    { name: "signer revoked", cms: sealWith(pki, revoked), content: CONTENT },
    { name: "keyUsage lacks nonRepudiation", cms: sealWith(pki, signOnly), content: CONTENT },
    { name: "tampered content", cms: sealWith(pki, pki.seal), content: tampered },
    { name: "attached", cms: sealWith(pki, pki.seal, { attached: true }), content: CONTENT },
  ];
  const revokedEntry = { serialNumber: revoked.serial, revokedAt: REVOKED_AT, reason: CrlReason.keyCompromise };
  const fresh = await pki.issueCrl(pki.ca.self, [revokedEntry]);
  const stale = await pki.issueCrl(pki.ca.self, [revokedEntry], { thisUpdate: T0, nextUpdate: CRL_NEXT });
  const newer = await pki.issueCrl(pki.ca.self, [], {
    thisUpdate: new Date("2026-01-01T00:00:00Z"),
    nextUpdate: CRL_NEXT,
  });
  crlSets = [
    createRevocationStore([pki.crls.root, fresh]),
    createRevocationStore([pki.crls.root, stale]),
    createRevocationStore([pki.crls.root, fresh, newer]),
    createRevocationStore([pki.crls.root]),
    createRevocationStore([]),
  ];
  const around = (d: Date) => [d.getTime() - 1, d.getTime(), d.getTime() + 1].map((t) => new Date(t));
  times = [
    ...around(T0),
    ...around(REVOKED_AT),
    ...around(CRL_NEXT),
    ...around(SIGNER_END),
    ...around(T_END),
    AT,
    new Date(AT.getTime() + 1234),
    new Date(AT.getTime() + 30 * day),
    new Date(T0.getTime() - 30 * day),
  ];
});

/** A small deterministic generator, so a failure names a reproducible step. */
describe("verifySeal with a verdict cache", () => {
  it("gives reports deep-equal to a cache-less verification across validity, CRL and revocation boundaries", () => {
    const cache = new VerdictCache();
    const next = random(12);
    const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]!;
    const policies: ValidationPolicy[] = [DEFAULT_POLICY, OFFLINE_DEV_POLICY];
    const seen = new Set<string>();
    for (let step = 0; step < 1500; step++) {
      const c = pick(cases);
      const crls = pick(crlSets);
      const policy = pick(policies);
      // Runs of nearby times, as a gateway sees, with jumps back and forth across the boundaries.
      const at = next() < 0.7 ? pick(times) : new Date(pick(times).getTime() + Math.floor(next() * 1000));
      const options = { trust, crls, at, policy };
      const cached = verifySeal(c.content, c.cms, { ...options, cache });
      const fresh = verifySeal(c.content, c.cms, options);
      expect(cached, `step ${step}: ${c.name} at ${at.toISOString()}`).toEqual(fresh);
      seen.add(`${fresh.indication}/${fresh.subIndication ?? ""}`);
    }
    // The run covered the verdicts that matter, not just passes.
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        "TOTAL_PASSED/",
        "TOTAL_FAILED/HASH_FAILURE",
        "INDETERMINATE/REVOKED_NO_POE",
        "INDETERMINATE/TRY_LATER",
        "INDETERMINATE/OUT_OF_BOUNDS_NO_POE",
        "INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE",
      ]),
    );
  });

  it("names the validation time of each verification in the validity checks, not the cached one's", () => {
    const cache = new VerdictCache();
    const crls = crlSets[0]!;
    const c = cases[0]!;
    const first = verifySeal(c.content, c.cms, { trust, crls, at: AT, cache });
    const later = new Date(AT.getTime() + day);
    const second = verifySeal(c.content, c.cms, { trust, crls, at: later, cache });
    expect(first.indication).toBe("TOTAL_PASSED");
    const validity = second.checks.filter((k) => k.id.startsWith("XCV.validity"));
    expect(validity).toHaveLength(3);
    for (const k of validity) expect(k.detail).toContain(`valid at ${later.toISOString()}`);
  });
});
