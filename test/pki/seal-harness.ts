import { expect } from "vitest";
import { createSealer } from "../../src/pki/seal.ts";
import { createRevocationStore, createTrustStore, type RevocationStore, type TrustStore } from "../../src/pki/trust.ts";
import { VerdictCache } from "../../src/pki/verdict-cache.ts";
import { verifySeal } from "../../src/pki/verify-seal.ts";
import type { ValidationPolicy } from "../../src/pki/policy.ts";
import type { Check, VerificationReport } from "../../src/pki/report.ts";
import { AT, type SealPki, type TestCert } from "../fixtures/seal-pki.ts";

/**
 * Shared set-up for the verifySeal tests: a 2 KB JSON document, sealing with a fixture certificate,
 * verification against the fixture root and CRLs, and assertions on codes (never message text).
 */
export const SIGNED_AT = new Date("2026-05-01T08:00:00Z");

export const CONTENT = new TextEncoder().encode(
  JSON.stringify({
    kind: "pension-transfer-contact-letter",
    from: "440000",
    to: "310000",
    person: { name: "张三", idHash: "9f".repeat(32) },
    periods: Array.from({ length: 18 }, (_, i) => ({
      from: `20${10 + i}-01`,
      to: `20${10 + i}-12`,
      base: 5000 + i * 100,
    })),
  }).padEnd(2048, " "),
);

export interface SealOpts {
  attached?: boolean;
  signingTime?: Date;
  chain?: Uint8Array[];
  rsaPadding?: "pkcs1" | "pss";
  content?: Uint8Array;
}

export function sealWith(pki: SealPki, cert: TestCert, opts: SealOpts = {}): Uint8Array {
  const sealer = createSealer({
    privateKey: cert.key,
    certificate: cert.der,
    chain: opts.chain ?? [pki.ca.der],
    ...(opts.rsaPadding ? { rsaPadding: opts.rsaPadding } : {}),
  });
  return sealer.seal(opts.content ?? CONTENT, opts.signingTime ?? SIGNED_AT, { attached: opts.attached ?? false });
}

export interface VerifyOpts {
  content?: Uint8Array | null;
  trust?: TrustStore;
  crls?: RevocationStore | Uint8Array[];
  at?: Date;
  policy?: ValidationPolicy;
}

const trustStores = new WeakMap<SealPki, TrustStore>();
const crlStores = new WeakMap<SealPki, RevocationStore>();

/** One verdict cache for every verification of a test file, as a gateway's verifier keeps one. */
const cache = new VerdictCache();

/** The fixture's trust store and CRL set, created once per PKI (so the chain cache is exercised). */
export function trustOf(pki: SealPki): TrustStore {
  let t = trustStores.get(pki);
  if (!t) trustStores.set(pki, (t = createTrustStore([pki.root.der])));
  return t;
}

export function crlsOf(pki: SealPki): RevocationStore {
  let c = crlStores.get(pki);
  if (!c) crlStores.set(pki, (c = createRevocationStore([pki.crls.root, pki.crls.ca])));
  return c;
}

export function verifyWith(pki: SealPki, cms: Uint8Array, opts: VerifyOpts = {}): VerificationReport {
  const crls =
    opts.crls === undefined ? crlsOf(pki) : Array.isArray(opts.crls) ? createRevocationStore(opts.crls) : opts.crls;
  const content = opts.content === null ? undefined : (opts.content ?? CONTENT);
  return verifySeal(content, cms, {
    trust: opts.trust ?? trustOf(pki),
    crls,
    at: opts.at ?? AT,
    cache,
    ...(opts.policy ? { policy: opts.policy } : {}),
  });
}

/** Indication and sub-indication only: what the tests assert on. */
export function verdictOf(r: VerificationReport): string {
  return r.subIndication ? `${r.indication}/${r.subIndication}` : r.indication;
}

export function expectVerdict(r: VerificationReport, expected: string | string[]): void {
  const v = verdictOf(r);
  if (Array.isArray(expected))
    expect(expected, JSON.stringify(r.checks.filter((c) => c.status !== "PASSED"))).toContain(v);
  else expect(v, JSON.stringify(r.checks.filter((c) => c.status !== "PASSED"))).toBe(expected);
}

export function checksWith(r: VerificationReport, status: Check["status"]): Check[] {
  return r.checks.filter((c) => c.status === status);
}

/** A copy of `bytes` with `index` XOR-ed by `mask`. */
export function flip(bytes: Uint8Array, index: number, mask = 0x01): Uint8Array {
  const out = bytes.slice();
  out[index]! ^= mask;
  return out;
}

/** Offset of the last occurrence of `needle` in `hay` (e.g. a signature value inside a seal). */
export function lastIndexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = hay.length - needle.length; i >= 0; i--) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
