import { constants, createHash, sign as cryptoSign } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { compareBytes } from "../../src/domain/bytes.ts";
import { parseSignedData } from "../../src/pki/cms-parse.ts";
import { Tag, bytesOf, childrenOf, contextTag, expectTlv } from "../../src/pki/der.ts";
import { explicit, nullValue, octetString, oid, seq, setOf, smallInteger, time, tlv } from "../../src/pki/der-write.ts";
import { encodeSigningCertificateV2 } from "../../src/pki/ess.ts";
import { OID, oidByHash } from "../../src/pki/oids.ts";
import { createSealer, type SealKey } from "../../src/pki/seal.ts";
import { OFFLINE_DEV_POLICY } from "../../src/pki/policy.ts";
import { createSealPki, type SealPki, type TestCert } from "../fixtures/seal-pki.ts";
import { verifyWith } from "./seal-harness.ts";

/**
 * Differential test of the per-key seal template (seal-template.ts): each seal must be byte for byte
 * what the nested encoding the sealer used before gives (`referenceSeal` below, that code kept as it
 * was) for the same key, content, signing time and signature value. ECDSA and RSA-PSS signatures are
 * randomised, so the reference is built around the signature the sealer produced; RSA PKCS#1 v1.5 is
 * deterministic, so there the reference signs for itself.
 */
function referenceSeal(
  key: SealKey,
  hash: "sha256" | "sha384",
  content: Uint8Array,
  signingTime: Date,
  attached: boolean,
  signWith: (signedAttrs: Uint8Array) => Uint8Array,
): Uint8Array {
  const tbs = childrenOf(key.certificate, expectTlv(key.certificate, 0, Tag.SEQUENCE, "Certificate"))[0]!;
  const f = childrenOf(key.certificate, tbs);
  const o = f[0]?.tag === contextTag(0) ? 1 : 0;
  const [issuerName, serial] = [bytesOf(key.certificate, f[o + 2]!), bytesOf(key.certificate, f[o]!)];
  const attribute = (type: string, value: Uint8Array) => seq(oid(type), tlv(Tag.SET, value));
  const digestAlgorithm = seq(oid(oidByHash[hash]));
  const signatureAlgorithm = signatureAlgorithmOf(key, hash);
  const digest = createHash(hash).update(content).digest();
  const signedAttrs = setOf(
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.signingTime, time(signingTime)),
    attribute(OID.messageDigest, octetString(digest)),
    attribute(OID.signingCertificateV2, encodeSigningCertificateV2(key.certificate, issuerName, serial)),
  );
  const signature = signWith(signedAttrs);
  const implicitAttrs = signedAttrs.slice();
  implicitAttrs[0] = contextTag(0);
  const signerInfo = seq(
    smallInteger(1),
    seq(issuerName, serial),
    digestAlgorithm,
    implicitAttrs,
    signatureAlgorithm,
    octetString(signature),
  );
  const certificates = tlv(contextTag(0), ...[key.certificate, ...(key.chain ?? [])].sort(compareBytes));
  const encap = attached ? seq(oid(OID.data), explicit(0, octetString(content))) : seq(oid(OID.data));
  const signedData = seq(smallInteger(1), tlv(Tag.SET, digestAlgorithm), encap, certificates, tlv(Tag.SET, signerInfo));
  return seq(oid(OID.signedData), explicit(0, signedData));
}

function signatureAlgorithmOf(key: SealKey, hash: "sha256" | "sha384"): Uint8Array {
  if (key.privateKey.asymmetricKeyType === "ec")
    return seq(oid(hash === "sha256" ? OID.ecdsaWithSha256 : OID.ecdsaWithSha384));
  if (key.rsaPadding === "pss") {
    const h = seq(oid(oidByHash[hash]));
    return seq(
      oid(OID.rsaPss),
      seq(explicit(0, h), explicit(1, seq(oid(OID.mgf1), h)), explicit(2, smallInteger(hash === "sha256" ? 32 : 48))),
    );
  }
  return seq(oid(hash === "sha256" ? OID.sha256WithRsa : OID.sha384WithRsa), nullValue());
}

let p256: SealPki;
let p384: SealPki;
let rsa: SealPki;
beforeAll(async () => {
  [p256, p384, rsa] = await Promise.all([
    createSealPki("ecdsa-p256"),
    createSealPki("ecdsa-p384"),
    createSealPki("rsa-2048"),
  ]);
});

const TIMES = [
  new Date("2026-05-01T08:00:00Z"),
  new Date("1999-12-31T23:59:59.999Z"),
  new Date("2049-12-31T23:59:59Z"),
  new Date("2050-01-01T00:00:00Z"),
];
const SIZES = [0, 100, 2014, 70_000];

const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");

function contentOf(size: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed) & 0xff);
}

describe("createSealer with its per-key template", () => {
  const keys = () =>
    [
      { name: "ECDSA P-256", pki: p256, cert: p256.seal, hash: "sha256" as const },
      { name: "ECDSA P-384", pki: p384, cert: p384.seal, hash: "sha384" as const },
      { name: "RSA-2048 PSS", pki: rsa, cert: rsa.seal, hash: "sha256" as const, rsaPadding: "pss" as const },
      { name: "RSA-2048 PKCS#1", pki: rsa, cert: rsa.seal, hash: "sha256" as const, rsaPadding: "pkcs1" as const },
    ] as { name: string; pki: SealPki; cert: TestCert; hash: "sha256" | "sha384"; rsaPadding?: "pss" | "pkcs1" }[];

  it("writes the bytes the nested encoding gives, for every key type, time encoding, size and chain", () => {
    let compared = 0;
    for (const k of keys()) {
      for (const chain of [[k.pki.ca.der], [k.pki.ca.der, k.pki.root.der]]) {
        const key: SealKey = {
          privateKey: k.cert.key,
          certificate: k.cert.der,
          chain,
          ...(k.rsaPadding ? { rsaPadding: k.rsaPadding } : {}),
        };
        const sealer = createSealer(key);
        for (const [i, at] of TIMES.entries())
          for (const size of SIZES)
            for (const attached of [false, true]) {
              const content = contentOf(size, i);
              const made = sealer.seal(content, at, { attached });
              const signature = parseSignedData(made).signers[0]!.signature;
              const deterministic = k.rsaPadding === "pkcs1";
              const expected = referenceSeal(key, k.hash, content, at, attached, (attrs) =>
                deterministic
                  ? cryptoSign(k.hash, attrs, { key: k.cert.key, padding: constants.RSA_PKCS1_PADDING })
                  : signature,
              );
              // As hex: the same byte-for-byte check, but toEqual walks a 70 kB Uint8Array element by element.
              expect(hex(made), `${k.name}, ${at.toISOString()}, ${size} bytes, attached ${attached}`).toBe(
                hex(expected),
              );
              compared++;
            }
      }
    }
    expect(compared).toBe(4 * 2 * TIMES.length * SIZES.length * 2);
  });

  it("makes seals that verify, detached and attached", () => {
    for (const k of keys()) {
      const sealer = createSealer({
        privateKey: k.cert.key,
        certificate: k.cert.der,
        chain: [k.pki.ca.der],
        ...(k.rsaPadding ? { rsaPadding: k.rsaPadding } : {}),
      });
      const content = contentOf(2014, 7);
      for (const attached of [false, true]) {
        const report = verifyWith(k.pki, sealer.seal(content, TIMES[0]!, { attached }), {
          content,
          policy: OFFLINE_DEV_POLICY,
        });
        expect(report.indication, k.name).toBe("TOTAL_PASSED");
      }
    }
  });
});
