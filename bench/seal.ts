import * as pkijs from "pkijs";
import { createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { issueCertificate, type KeyAlgorithm } from "../src/pki/issue.ts";
import { createSealer } from "../src/pki/seal.ts";
import { createRevocationStore, createTrustStore } from "../src/pki/trust.ts";
import { VerdictCache } from "../src/pki/verdict-cache.ts";
import { verifySeal } from "../src/pki/verify-seal.ts";
import { AT, KeyUsage, T0, T_END, createSealPki, type SealPki, type TestCert } from "../test/fixtures/seal-pki.ts";
import { craftSeal } from "../test/pki/craft-cms.ts";
import { compare, emit, figure, type MeasureOptions } from "./measure.ts";

/**
 * Seal figures (issue 2 item 5): full verification of a 2 KB document with chain and CRL cached,
 * the cold path (a certificate never seen before on every verification), pkijs's own verify as a
 * reference line, and sealing — each against raw node:crypto on the same key and bytes.
 */
const SIGNED_AT = new Date("2026-05-01T08:00:00Z");
const CONTENT = new TextEncoder().encode(
  JSON.stringify({ kind: "pension-transfer", body: "x".repeat(1900) }).padEnd(2048, " "),
);
const COLD_PER_ROUND = 40;

interface Setup {
  name: string;
  pki: SealPki;
  publicKey: KeyObject;
  rawSig: Uint8Array;
  cms: Uint8Array;
  trust: ReturnType<typeof createTrustStore>;
  crls: ReturnType<typeof createRevocationStore>;
  /** The verifier's cache, as createSealVerifier owns one. */
  cache: VerdictCache;
}

async function setup(name: string, alg: KeyAlgorithm): Promise<Setup> {
  const pki = await createSealPki(alg);
  const cms = createSealer({ privateKey: pki.seal.key, certificate: pki.seal.der, chain: [pki.ca.der] }).seal(
    CONTENT,
    SIGNED_AT,
  );
  const trust = createTrustStore([pki.root.der]);
  const crls = createRevocationStore([pki.crls.root, pki.crls.ca]);
  const cache = new VerdictCache();
  const report = verifySeal(CONTENT, cms, { trust, crls, at: AT, cache });
  if (report.indication !== "TOTAL_PASSED") throw new Error(`bench fixture does not verify: ${JSON.stringify(report)}`);
  const publicKey = createPublicKey(pki.seal.key);
  return { name, pki, publicKey, rawSig: sign("sha256", CONTENT, pki.seal.key), cms, trust, crls, cache };
}

/** Baseline: one raw crypto.verify of the same 2 KB with the same (cached) public key. */
const rawVerify = (s: Setup) => ({ run: () => verify("sha256", CONTENT, s.publicKey, s.rawSig) });

async function hot(s: Setup, o: MeasureOptions) {
  const m = await compare(
    rawVerify(s),
    { run: () => verifySeal(CONTENT, s.cms, { trust: s.trust, crls: s.crls, at: AT, cache: s.cache }) },
    o,
  );
  emit(figure(`verify-2kb-${s.name}-cached`, "verifies/s", m));
}

/**
 * Cold: every verification meets a signer certificate it has never parsed (same key, new serial,
 * issued by the same CA), so certificate parsing, key import and chain validation all run. The seals
 * are hand-built so that making them does not warm the verifier's certificate cache.
 */
async function cold(s: Setup, o: MeasureOptions) {
  const rounds = o.rounds ?? 10;
  const fresh: Uint8Array[] = [];
  const publicKey = await s.pki.seal.self.certificate.publicKey.export();
  for (let i = 0; i < rounds * COLD_PER_ROUND; i++) {
    const cert = await issueCertificate(
      {
        subject: `CN=Bench Seal ${i}, O=Jiexu Bench, C=CN`,
        serialNumber: (0x500000 + i).toString(16),
        notBefore: T0,
        notAfter: T_END,
        publicKey,
        keyUsage: KeyUsage.digitalSignature | KeyUsage.nonRepudiation,
        agencyId: "440000",
      },
      s.pki.ca.self,
    );
    const signer = { der: new Uint8Array(cert.rawData), key: s.pki.seal.key } as TestCert;
    fresh.push(craftSeal({ cert: signer, chain: [s.pki.ca.der], content: CONTENT, signingTime: SIGNED_AT }));
  }
  let next = 0;
  const subject = {
    count: COLD_PER_ROUND,
    run: () => {
      const r = verifySeal(CONTENT, fresh[next++]!, { trust: s.trust, crls: s.crls, at: AT, cache: s.cache });
      if (r.indication !== "TOTAL_PASSED") throw new Error(`cold seal does not verify: ${r.subIndication}`);
    },
  };
  emit(figure(`verify-2kb-${s.name}-cold-new-signer-cert`, "verifies/s", await compare(rawVerify(s), subject, o)));
}

/** pkijs 3.4.3: parse + SignedData.verify with checkChain (what the obvious implementation does). */
async function pkijsReference(s: Setup, o: MeasureOptions) {
  pkijs.setEngine("node", new pkijs.CryptoEngine({ name: "node", crypto: globalThis.crypto }));
  const trustedCerts = [pkijs.Certificate.fromBER(s.pki.root.der.slice().buffer)];
  const data = CONTENT.slice().buffer;
  const buffer = s.cms.slice().buffer;
  const subject = {
    run: async () => {
      const sd = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(buffer).content });
      const r = await sd.verify({ signer: 0, data, trustedCerts, checkChain: true, extendedMode: true, checkDate: AT });
      if (!r.signatureVerified) throw new Error("pkijs does not verify the bench seal");
    },
  };
  emit(figure(`pkijs-verify-2kb-${s.name}-reference`, "verifies/s", await compare(rawVerify(s), subject, o)));
}

async function sealing(s: Setup, o: MeasureOptions) {
  const sealer = createSealer({ privateKey: s.pki.seal.key, certificate: s.pki.seal.der, chain: [s.pki.ca.der] });
  const key = s.pki.seal.key;
  const m = await compare(
    { run: () => sign("sha256", CONTENT, key) },
    { run: () => sealer.seal(CONTENT, SIGNED_AT) },
    o,
  );
  emit(figure(`seal-2kb-${s.name}`, "seals/s", m));
}

export async function run(options: MeasureOptions = {}): Promise<void> {
  const setups = [await setup("ecdsa-p256", "ecdsa-p256"), await setup("rsa-2048", "rsa-2048")];
  for (const s of setups) await hot(s, options);
  for (const s of setups) await cold(s, options);
  for (const s of setups) await pkijsReference(s, { ...options, rounds: Math.min(options.rounds ?? 10, 6) });
  for (const s of setups) await sealing(s, { ...options, rounds: Math.min(options.rounds ?? 10, 6) });
  await (await import("./seal-ses.ts")).run(options); // GB/T 38540 (issue 16)
}
