import * as pkijs from "pkijs";
import { beforeAll, describe, expect, it } from "vitest";
import type { VerificationReport } from "../../src/pki/report.ts";
import { createTrustStore } from "../../src/pki/trust.ts";
import { AT, KeyUsage, createSealPki, type SealPki } from "../fixtures/seal-pki.ts";
import { craftSeal } from "./craft-cms.ts";
import { CONTENT, SIGNED_AT, flip, sealWith, verifyWith } from "./seal-harness.ts";

/**
 * Differential test: the lean verifier and pkijs 3.4.3 `SignedData.verify` (checkChain, extendedMode)
 * on the same corpus. Where pkijs has an opinion — CMS structure, message-digest, signature value,
 * path to the trusted root, validity at checkDate, cA flags — its pass/fail must equal ours on exactly
 * those checks. Where pkijs has none (anchors §2: ESS signing-certificate-v2, content-type value,
 * signing-time, end-entity keyUsage, pathLen, algorithm policy, revocation when no CRL is embedded),
 * pkijs passes and we must not: those rows assert that documented difference instead.
 */
pkijs.setEngine("node", new pkijs.CryptoEngine({ name: "node", crypto: globalThis.crypto }));

type Outcome = "pass" | "fail";

async function pkijsVerdict(
  cms: Uint8Array,
  content: Uint8Array | undefined,
  roots: Uint8Array[],
  checkDate: Date,
): Promise<Outcome> {
  let sd: pkijs.SignedData;
  try {
    sd = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(cms.slice().buffer).content });
  } catch {
    return "fail";
  }
  try {
    const r = await sd.verify({
      signer: 0,
      trustedCerts: roots.map((d) => pkijs.Certificate.fromBER(d.slice().buffer)),
      checkChain: true,
      extendedMode: true,
      checkDate,
      ...(content ? { data: content.slice().buffer } : {}),
    });
    // A bad signature value comes back as signatureVerified:false …
    return r.signatureVerified ? "pass" : "fail";
  } catch (err) {
    // … while digest, chain and date failures throw SignedDataVerifyError (docs/references.md "Library pitfalls").
    if (err instanceof pkijs.SignedDataVerifyError) return "fail";
    throw err;
  }
}

/** Our verdict restricted to the checks pkijs also makes. */
const PKIJS_SCOPE = [
  /^FC\./,
  /^ISC\.signer-certificate$/,
  /^CV\.message-digest$/,
  /^CV\.signature$/,
  /^XCV\.chain$/,
  /^XCV\.validity\[/,
];
function oursInPkijsScope(r: VerificationReport): Outcome {
  const inScope = r.checks.filter((c) => PKIJS_SCOPE.some((re) => re.test(c.id)));
  const noChain = r.checks.some((c) => c.subIndication === "NO_CERTIFICATE_CHAIN_FOUND");
  return inScope.length > 0 &&
    !noChain &&
    inScope.every((c) => c.status !== "FAILED") &&
    r.checks.some((c) => c.id === "CV.signature")
    ? "pass"
    : "fail";
}

interface Row {
  name: string;
  make: () => Promise<{ cms: Uint8Array; content?: Uint8Array; roots?: Uint8Array[]; at?: Date; crls?: Uint8Array[] }>;
  /** Which fixture PKI the row's seal comes from (EC unless set). */
  rsa?: boolean;
  /** pkijs's verdict; ours in scope must match it. */
  expected: Outcome;
  /** Set where pkijs has no opinion: our full verdict, which pkijs does not see. */
  oursOutsideScope?: string;
}

let ec: SealPki;
let rsa: SealPki;
let other: SealPki;
beforeAll(async () => {
  [ec, rsa, other] = await Promise.all([
    createSealPki("ecdsa-p256"),
    createSealPki("rsa-2048"),
    createSealPki("ecdsa-p256"),
  ]);
});

const ROWS: Row[] = [
  { name: "good ECDSA P-256, detached", make: async () => ({ cms: sealWith(ec, ec.seal) }), expected: "pass" },
  {
    name: "good ECDSA P-256, attached",
    make: async () => ({ cms: sealWith(ec, ec.seal, { attached: true }), content: undefined }),
    expected: "pass",
  },
  {
    name: "good RSA-2048 PKCS#1 v1.5",
    rsa: true,
    make: async () => ({ cms: sealWith(rsa, rsa.seal) }),
    expected: "pass",
  },
  {
    name: "good RSA-2048 PSS",
    rsa: true,
    make: async () => ({ cms: sealWith(rsa, rsa.seal, { rsaPadding: "pss" }) }),
    expected: "pass",
  },
  {
    name: "content changed",
    make: async () => ({ cms: sealWith(ec, ec.seal), content: flip(CONTENT, 3) }),
    expected: "fail",
  },
  {
    name: "RSA content changed",
    rsa: true,
    make: async () => ({ cms: sealWith(rsa, rsa.seal), content: flip(CONTENT, 3) }),
    expected: "fail",
  },
  {
    name: "signature changed",
    make: async () => {
      const c = sealWith(ec, ec.seal);
      return { cms: flip(c, c.length - 1) };
    },
    expected: "fail",
  },
  {
    name: "RSA-PSS signature changed",
    rsa: true,
    make: async () => {
      const c = sealWith(rsa, rsa.seal, { rsaPadding: "pss" });
      return { cms: flip(c, c.length - 5) };
    },
    expected: "fail",
  },
  { name: "wrong root", make: async () => ({ cms: sealWith(ec, ec.seal), roots: [other.root.der] }), expected: "fail" },
  {
    name: "expired at checkDate 2036",
    make: async () => ({ cms: sealWith(ec, ec.seal), at: new Date("2036-01-01T00:00:00Z") }),
    expected: "fail",
  },
  {
    name: "not yet valid at checkDate 2024",
    make: async () => ({ cms: sealWith(ec, ec.seal), at: new Date("2024-06-01T00:00:00Z") }),
    expected: "fail",
  },
  {
    name: "signer expired before AT",
    make: async () => ({ cms: sealWith(ec, await ec.issueSeal({ notAfter: new Date("2026-05-15T00:00:00Z") })) }),
    expected: "fail",
  },
  {
    name: "issuing CA missing from the seal",
    make: async () => ({ cms: sealWith(ec, ec.seal, { chain: [] }) }),
    expected: "fail",
  },
  // pkijs has no opinion on the rest: it passes, we refuse, and our in-scope checks agree with its pass.
  {
    name: "no signing-certificate-v2",
    make: async () => ({
      cms: craftSeal({ cert: ec.seal, chain: [ec.ca.der], content: CONTENT, signingTime: SIGNED_AT, omitEss: true }),
    }),
    expected: "pass",
    oursOutsideScope: "INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND",
  },
  {
    name: "signing-certificate-v2 of another certificate",
    make: async () => ({
      cms: craftSeal({
        cert: ec.seal,
        chain: [ec.ca.der],
        content: CONTENT,
        signingTime: SIGNED_AT,
        essCert: ec.ca.der,
      }),
    }),
    expected: "pass",
    oursOutsideScope: "INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND",
  },
  {
    name: "content-type attribute contradicts eContentType",
    make: async () => ({
      cms: craftSeal({
        cert: ec.seal,
        chain: [ec.ca.der],
        content: CONTENT,
        signingTime: SIGNED_AT,
        contentTypeAttr: "1.2.840.113549.1.9.16.1.4",
      }),
    }),
    expected: "pass",
    oursOutsideScope: "INDETERMINATE/SIG_CONSTRAINTS_FAILURE",
  },
  {
    name: "signing-time before the signer's validity",
    make: async () => ({ cms: sealWith(ec, ec.seal, { signingTime: new Date("2024-01-01T00:00:00Z") }) }),
    expected: "pass",
    oursOutsideScope: "INDETERMINATE/SIG_CONSTRAINTS_FAILURE",
  },
  {
    name: "signer without nonRepudiation",
    make: async () => ({ cms: sealWith(ec, await ec.issueSeal({ keyUsage: KeyUsage.digitalSignature })) }),
    expected: "pass",
    oursOutsideScope: "INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE",
  },
  {
    name: "CA below the pathLen-0 issuing CA",
    make: async () => {
      const sub = await ec.issueSeal({ ca: {}, keyUsage: KeyUsage.keyCertSign | KeyUsage.cRLSign });
      return {
        cms: sealWith(ec, await ec.issueSeal({ issuer: sub.self }), { chain: [sub.der, ec.ca.der] }),
        crls: [ec.crls.root, ec.crls.ca, await ec.issueCrl(sub.self, [])],
      };
    },
    expected: "pass",
    oursOutsideScope: "INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE",
  },
  {
    name: "SHA-1 digest",
    make: async () => ({
      cms: craftSeal({ cert: ec.seal, chain: [ec.ca.der], content: CONTENT, signingTime: SIGNED_AT, hash: "sha1" }),
    }),
    expected: "pass",
    oursOutsideScope: "INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE",
  },
  {
    name: "no revocation data",
    make: async () => ({ cms: sealWith(ec, ec.seal), crls: [] }),
    expected: "pass",
    oursOutsideScope: "INDETERMINATE/TRY_LATER",
  },
];

describe("verifySeal against pkijs SignedData.verify", () => {
  describe.each(ROWS)("on '$name'", (row) => {
    it(`pkijs says ${row.expected} and our checks in pkijs's scope agree`, async () => {
      const { cms, roots, at, crls, ...rest } = await row.make();
      const content = "content" in rest ? rest.content : CONTENT;
      const pki = row.rsa ? rsa : ec;
      const theirs = await pkijsVerdict(cms, content, roots ?? [pki.root.der], at ?? AT);
      const ours = verifyWith(pki, cms, {
        content: content ?? null,
        at: at ?? AT,
        ...(roots ? { trust: createTrustStore(roots) } : {}),
        ...(crls ? { crls } : {}),
      });
      expect(theirs).toBe(row.expected);
      expect(oursInPkijsScope(ours), JSON.stringify(ours.checks.filter((c) => c.status === "FAILED"))).toBe(theirs);
      const full = ours.subIndication ? `${ours.indication}/${ours.subIndication}` : ours.indication;
      if (row.oursOutsideScope) expect(full).toBe(row.oursOutsideScope);
      else if (theirs === "pass") expect(full).toBe("TOTAL_PASSED");
      else expect(full).not.toBe("TOTAL_PASSED");
    });
  });
});
