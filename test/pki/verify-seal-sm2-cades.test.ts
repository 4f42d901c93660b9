import { createHash, createPrivateKey, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { compareBytes } from "../../src/domain/bytes.ts";
import { Tag, bytesOf, childrenOf, contextTag, expectTlv } from "../../src/pki/der.ts";
import { explicit, octetString, oid, seq, setOf, smallInteger, time, tlv } from "../../src/pki/der-write.ts";
import { encodeSigningCertificateV2 } from "../../src/pki/ess.ts";
import { OID } from "../../src/pki/oids.ts";
import { encodeSm2Pkcs8 } from "../../src/pki/sm2.ts";
import { createRevocationStore, createTrustStore } from "../../src/pki/trust.ts";
import { verifySeal } from "../../src/pki/verify-seal.ts";
import { AT } from "../fixtures/seal-pki.ts";
import { createSm2Pki, type Sm2Pki } from "../fixtures/sm2-pki.ts";

/**
 * An SM2 seal certificate is trusted since the policy admits SM2 for GB/T 38540 seals; a CAdES SignerInfo
 * must still never pass with it. Node signs and verifies an SM2 KeyObject with an empty signer ID, so a
 * SignerInfo labelled Ed25519 (no hash named) over an SM2 key would otherwise verify (review of issue 16).
 */
function cadesWithSm2Key(pki: Sm2Pki, content: Uint8Array, signatureAlgorithm: string): Uint8Array {
  const tbs = childrenOf(pki.seal.der, expectTlv(pki.seal.der, 0, Tag.SEQUENCE, "Certificate"))[0]!;
  const f = childrenOf(pki.seal.der, tbs);
  const o = f[0]?.tag === contextTag(0) ? 1 : 0;
  const [issuerName, serial] = [bytesOf(pki.seal.der, f[o + 2]!), bytesOf(pki.seal.der, f[o]!)];
  const attr = (type: string, value: Uint8Array) => seq(oid(type), tlv(Tag.SET, value));
  const signedAttrs = setOf(
    attr(OID.contentType, oid(OID.data)),
    attr(OID.signingTime, time(new Date(AT.getTime() - 60_000))),
    attr(OID.messageDigest, octetString(createHash("sha256").update(content).digest())),
    attr(OID.signingCertificateV2, encodeSigningCertificateV2(pki.seal.der, issuerName, serial)),
  );
  const key = createPrivateKey({ key: Buffer.from(encodeSm2Pkcs8(pki.seal.key)), format: "der", type: "pkcs8" });
  const implicitAttrs = signedAttrs.slice();
  implicitAttrs[0] = contextTag(0);
  const digestAlg = seq(oid(OID.sha256));
  const signature = sign(null, signedAttrs, key);
  const si = seq(
    smallInteger(1),
    seq(issuerName, serial),
    digestAlg,
    implicitAttrs,
    seq(oid(signatureAlgorithm)),
    octetString(signature),
  );
  const certs = tlv(contextTag(0), ...[pki.seal.der, pki.ca.der].sort(compareBytes));
  const sd = seq(smallInteger(1), tlv(Tag.SET, digestAlg), seq(oid(OID.data)), certs, tlv(Tag.SET, si));
  return seq(oid(OID.signedData), explicit(0, sd));
}

describe("a CAdES seal made with an SM2 key", () => {
  for (const [label, alg] of [
    ["Ed25519", OID.ed25519],
    ["id-ecPublicKey", OID.ecPublicKey],
  ] as const) {
    it(`given a SignerInfo labelled ${label}, when verified, then it fails SIG_CRYPTO_FAILURE`, async () => {
      const pki = await createSm2Pki();
      const content = new TextEncoder().encode("hello");
      const r = verifySeal(content, cadesWithSm2Key(pki, content, alg), {
        trust: createTrustStore([pki.root.der]),
        crls: createRevocationStore([pki.crls.root, pki.crls.ca]),
        at: AT,
      });
      expect(r.indication).toBe("TOTAL_FAILED");
      expect(r.subIndication).toBe("SIG_CRYPTO_FAILURE");
      expect(r.checks.find((c) => c.id === "CV.signature")?.status).toBe("FAILED");
    });
  }
});
