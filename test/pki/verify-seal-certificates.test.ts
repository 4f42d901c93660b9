import * as x509 from "@peculiar/x509";
import { X509Certificate } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { certInfo } from "../../src/pki/certificate.ts";
import { parseSignedData } from "../../src/pki/cms-parse.ts";
import { bytesOf, childrenOf, readTlv, valueOf, type Tlv } from "../../src/pki/der.ts";
import { concatBytes } from "../../src/domain/bytes.ts";
import { tlv } from "../../src/pki/der-write.ts";
import type { VerificationReport } from "../../src/pki/report.ts";
import { createTrustStore, type TrustStore } from "../../src/pki/trust.ts";
import { createSealPki, type SealPki } from "../fixtures/seal-pki.ts";
import { CONTENT, checksWith, expectVerdict, lastIndexOf, sealWith, verifyWith } from "./seal-harness.ts";

/**
 * Issue 9 item 6: every certificate a seal carries must be a strict-DER X.509 certificate, used or
 * not, because the gateway archives the seal exactly as received and the case's evidence pack must
 * reproduce and re-check it offline. The trust store here is the gateway's shape: the issuing CA is
 * known from the directory, so the CA embedded in a seal is not needed for the path.
 */
let pki: SealPki;
let gatewayTrust: TrustStore;
beforeAll(async () => {
  pki = await createSealPki("ecdsa-p256");
  gatewayTrust = createTrustStore([pki.root.der], [pki.ca.der]);
});

const verify = (cms: Uint8Array, content = CONTENT) => verifyWith(pki, cms, { trust: gatewayTrust, content });

/** The seal with bytes of its embedded issuing-CA certificate replaced (`edit` works on a copy of the CA's DER). */
function withCorruptedCa(cms: Uint8Array, edit: (ca: Uint8Array) => void): Uint8Array {
  const at = lastIndexOf(cms, pki.ca.der);
  const ca = pki.ca.der.slice();
  edit(ca);
  const out = cms.slice();
  out.set(ca, at);
  return out;
}

/** Offsets of `needle` in `hay`. */
function offsetsOf(hay: Uint8Array, needle: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + needle.length <= hay.length; i++) if (needle.every((b, j) => hay[i + j] === b)) out.push(i);
  return out;
}

function parsesStrictly(der: Uint8Array): boolean {
  try {
    certInfo(der);
    return true;
  } catch {
    return false;
  }
}

describe("verifySeal embedded certificates (issue 9 item 6)", () => {
  it("refuses a seal whose unused embedded CA certificate has two corrupted bytes with TOTAL_FAILED/FORMAT_FAILURE (issue 9 item 6)", () => {
    const cms = sealWith(pki, pki.seal);
    expectVerdict(verify(cms), "TOTAL_PASSED");
    // The two BOOLEAN TRUEs (cA, and keyUsage critical) written as BER 0x01: the lenient parsers take it.
    const corrupted = withCorruptedCa(cms, (ca) =>
      offsetsOf(ca, [0x01, 0x01, 0xff])
        .slice(0, 2)
        .forEach((i) => {
          ca[i + 2] = 0x01;
        }),
    );
    const ca = parseSignedData(corrupted).certificates.find((c) => !parsesStrictly(c))!;
    expect(() => new x509.X509Certificate(ca.slice())).not.toThrow();
    expect(() => new X509Certificate(ca)).not.toThrow();
    const r = verify(corrupted);
    expectVerdict(r, "TOTAL_FAILED/FORMAT_FAILURE");
    expect(checksWith(r, "FAILED").map((c) => c.id)).toEqual(["FC.certificates"]);
  });

  it("refuses one whose CA certificate's outer signature algorithm no longer matches the signed one", () => {
    const corrupted = withCorruptedCa(
      sealWith(pki, pki.seal),
      (ca) => (ca[offsetsOf(ca, [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]).at(-1)! + 7] = 0x03),
    );
    expectVerdict(verify(corrupted), "TOTAL_FAILED/FORMAT_FAILURE");
  });

  it("decides FORMAT_FAILURE before a changed content (FC before CV)", () => {
    const corrupted = withCorruptedCa(
      sealWith(pki, pki.seal),
      (ca) => (ca[offsetsOf(ca, [0x01, 0x01, 0xff])[0]! + 2] = 0x01),
    );
    expectVerdict(verify(corrupted, CONTENT.subarray(1)), "TOTAL_FAILED/FORMAT_FAILURE");
  });

  it("reports, but does not refuse, a well-formed certificate the path does not use", async () => {
    const sibling = await pki.issueSeal();
    const r = verify(sealWith(pki, pki.seal, { chain: [pki.ca.der, sibling.der] }));
    expectVerdict(r, "TOTAL_PASSED");
    expect(checksWith(r, "WARNING").map((c) => c.id)).toEqual(["FC.unused-certificate"]);
  });

  it("counts an embedded certificate equal to a trust-store one as used (no warning on an ordinary seal)", () => {
    expect(checksWith(verify(sealWith(pki, pki.seal, { chain: [pki.ca.der, pki.root.der] })), "WARNING")).toEqual([]);
  });

  it("leaves no single-bit flip that passes with a certificate that does not parse strictly (seeded, bounded)", () => {
    const seed = Number(process.env.JIEXU_FLIP_SEED ?? 0x9e11);
    const cms = sealWith(pki, pki.seal, { chain: [pki.ca.der, pki.root.der] });
    const random = mulberry32(seed);
    const uncoded: number[] = [];
    const unparsable: number[] = [];
    let refusedForFormat = 0;
    for (let n = 0; n < 1500; n++) {
      const bit = Math.floor(random() * cms.length * 8);
      const flipped = cms.slice();
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      const r: VerificationReport = verify(flipped);
      if (r.indication !== "TOTAL_PASSED") {
        if (!r.subIndication) uncoded.push(bit);
        if (r.checks.some((c) => c.id === "FC.certificates" && c.status === "FAILED")) refusedForFormat++;
        continue;
      }
      if (!parseSignedData(flipped).certificates.every(parsesStrictly)) unparsable.push(bit);
    }
    expect(uncoded, `seed ${seed}: failing verdicts without a sub-indication at bits ${uncoded.join(",")}`).toEqual([]);
    expect(
      unparsable,
      `seed ${seed}: passing seals with a certificate that does not parse strictly, bits ${unparsable.join(",")}`,
    ).toEqual([]);
    expect(refusedForFormat, `seed ${seed}: no flip reached an embedded certificate's structure`).toBeGreaterThan(0);
  });
});

describe("strict DER for certificates", () => {
  /** The certificate re-encoded with the TLV at `at` given a non-minimal long-form length. */
  function longFormAt(der: Uint8Array, at: number): Uint8Array {
    const rebuild = (t: Tlv): Uint8Array => {
      if (t.start === at)
        return concatBytes([Uint8Array.of(der[t.start]!, 0x81, t.end - t.valueStart), valueOf(der, t)]);
      return der[t.start]! & 0x20 ? tlv(der[t.start]!, ...childrenOf(der, t).map(rebuild)) : bytesOf(der, t);
    };
    return rebuild(readTlv(der, 0));
  }

  it("accepts the fixture PKI's certificates", () => {
    for (const c of [pki.root, pki.ca, pki.seal]) expect(parsesStrictly(c.der)).toBe(true);
  });

  it("refuses a length in long form where the short form fits", () => {
    const tbs = childrenOf(pki.ca.der, readTlv(pki.ca.der, 0))[0]!;
    const serial = childrenOf(pki.ca.der, tbs)[1]!;
    const ber = longFormAt(pki.ca.der, serial.start);
    expect(ber.length).toBe(pki.ca.der.length + 1);
    expect(parsesStrictly(ber)).toBe(false);
  });

  it("refuses a UTF8String that is not UTF-8", () => {
    const ca = pki.ca.der.slice();
    const at = offsetsOf(ca, [...new TextEncoder().encode("Issuing")])[0]!;
    ca[offsetsOf(ca.subarray(0, at), [0x13]).at(-1)!] = 0x0c; // the CN's PrintableString tag → UTF8String
    expect(parsesStrictly(ca)).toBe(true);
    ca[at] = 0xff;
    expect(parsesStrictly(ca)).toBe(false);
  });
});

/** A small seeded PRNG (mulberry32): the same seed gives the same flips on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
