import { sm2 } from "sm-crypto-v2";
import { toHex } from "../src/domain/bytes.ts";
import { createSealer } from "../src/pki/seal.ts";
import { makeSeal } from "../src/pki/ses/make-seal.ts";
import { createRevocationStore, createTrustStore } from "../src/pki/trust.ts";
import { VerdictCache } from "../src/pki/verdict-cache.ts";
import { verifySeal } from "../src/pki/verify-seal.ts";
import { SM2_DEFAULT_ID, signSm2 } from "../src/pki/sm2.ts";
import { AT } from "../test/fixtures/seal-pki.ts";
import { createSm2Pki } from "../test/fixtures/sm2-pki.ts";
import { compare, emit, figure, type MeasureOptions } from "./measure.ts";

/**
 * GB/T 38540 figure (issue 16 deliverable 5): verifySeal of an SES_Signature over a 2 KB document, the seal
 * (8 KB picture) and both chains seen before — so the work is one parse, SM3 over TBS_Sign and the content, and
 * one SM2 verification with the signer's cached precomputed key — against sm-crypto-v2's own verify of an SM2
 * signature over the same 2 KB with a precomputed key (SM3 with Z, standard ID, Z recomputed per call as the issue
 * defines the baseline), interleaved in the same run. The seal's maker is a proper seal maker (issued by the root,
 * SAN urn:jiexu:seal-maker), as the verifier requires without seal-maker anchors.
 */
const SIGNED_AT = new Date("2026-05-01T08:00:00Z");
const CONTENT = new TextEncoder().encode(
  JSON.stringify({ kind: "pension-transfer", body: "x".repeat(1900) }).padEnd(2048, " "),
);
const PICTURE = {
  type: "PNG",
  data: Uint8Array.from({ length: 8192 }, (_, i) => (i * 31) & 0xff),
  widthMm: 40,
  heightMm: 40,
};

export async function run(o: MeasureOptions = {}): Promise<void> {
  const pki = await createSm2Pki();
  const maker = await pki.issueMaker("CN=Bench Seal Maker, O=Jiexu Bench, C=CN");
  const seal = makeSeal({
    makerKey: maker.key,
    makerCertificate: maker.der,
    holderCertificates: [pki.seal.der],
    name: "四川省社会保险事业管理局业务专用章",
    picture: PICTURE,
    createdAt: new Date("2026-01-01T00:00:00Z"),
    validStart: new Date("2026-01-01T00:00:00Z"),
    validEnd: new Date("2027-01-01T00:00:00Z"),
  });
  const sealer = createSealer({
    privateKey: undefined as never,
    certificate: pki.seal.der,
    sm2: pki.seal.key,
    sesSeal: seal,
  });
  const signed = sealer.seal(CONTENT, SIGNED_AT);
  const options = {
    trust: createTrustStore([pki.root.der], [pki.ca.der]),
    crls: createRevocationStore([pki.crls.root, pki.crls.ca]),
    at: AT,
    cache: new VerdictCache(),
  };
  const first = verifySeal(CONTENT, signed, options);
  if (first.indication !== "TOTAL_PASSED")
    throw new Error(`SES bench fixture does not verify: ${JSON.stringify(first)}`);

  // The baseline is the issue's: sm-crypto-v2's verify with a precomputed point, which still recomputes Z
  // (SM3 over the ID, curve parameters and key) on every call; the subject computes Z once per certificate,
  // so part of its speed-up is that, not the seal engine.
  const point = sm2.precomputePublicKey(pki.seal.key.publicKeyHex);
  const rawSig = toHex(signSm2(CONTENT, pki.seal.key));
  const raw = {
    run: () => {
      if (!sm2.doVerifySignature(CONTENT, rawSig, point, { hash: true, der: true, userId: SM2_DEFAULT_ID }))
        throw new Error("raw SM2 verify failed");
    },
  };
  const subject = { run: () => verifySeal(CONTENT, signed, options) };
  emit(figure("ses-verify-2kb-sm2-cached-signer-key", "verifies/s", await compare(raw, subject, o)));
}
