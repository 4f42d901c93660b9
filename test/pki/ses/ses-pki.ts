import { expect } from "vitest";
import { CrlReason, KeyUsage } from "../../../src/pki/issue.ts";
import type { VerificationReport } from "../../../src/pki/report.ts";
import { SEAL_MAKER_URI } from "../../../src/pki/ses/maker-checks.ts";
import { createSealer, type Sealer } from "../../../src/pki/seal.ts";
import { makeSeal, type MakeSealInput } from "../../../src/pki/ses/make-seal.ts";
import { issueSm2Certificate, issueSm2Crl, type Sm2Issuer } from "../../../src/pki/sm2-issue.ts";
import { generateSm2Key, type Sm2PrivateKey } from "../../../src/pki/sm2.ts";
import {
  createRevocationStore,
  createTrustStore,
  type RevocationStore,
  type TrustStore,
} from "../../../src/pki/trust.ts";

/**
 * An SM2 PKI for the GB/T 38540 tests (issue 16): a root issuing the seal maker (制章者), two holders
 * (签章者; agency 330000 and 310000; the maker carries SAN urn:jiexu:seal-maker), a revoked holder, and the root's CRL; a second root for "maker not
 * trusted". Valid 2025–2035; seals valid 2026-01-01 – 2027-01-01; documents signed 2026-05-01, verified 2026-06-01.
 */
export const T0 = new Date("2025-01-01T00:00:00Z");
export const T_END = new Date("2035-01-01T00:00:00Z");
export const SIGNED_AT = new Date("2026-05-01T08:00:00Z");
export const AT = new Date("2026-06-01T00:00:00Z");
export const CONTENT = new TextEncoder().encode(JSON.stringify({ kind: "联系函", body: "x".repeat(1900) }));
/** Stand-in picture bytes (the PNG renderer is src/print's business): an 8 KB PNG-sized blob. */
export const PICTURE = {
  type: "PNG",
  data: Uint8Array.from({ length: 8192 }, (_, i) => (i * 31) & 0xff),
  widthMm: 40,
  heightMm: 40,
};

export interface Sm2Cred {
  der: Uint8Array;
  key: Sm2PrivateKey;
  issuer: Sm2Issuer;
  self: Sm2Issuer;
  serial: string;
}

export interface SesPki {
  root: Sm2Cred;
  otherRoot: Sm2Cred;
  maker: Sm2Cred;
  holder: Sm2Cred;
  stranger: Sm2Cred;
  revoked: Sm2Cred;
  crl: Uint8Array;
  trust: TrustStore;
  otherTrust: TrustStore;
  crls: RevocationStore;
  /** A seal of `holders` (default: holder and revoked) made by the maker. */
  seal(over?: Partial<MakeSealInput>): Uint8Array;
}

let serial = 0x2000;

async function issue(
  subject: string,
  issuer: Sm2Issuer | undefined,
  opts: { ca?: boolean; agencyId?: string; uris?: string[] } = {},
) {
  const key = generateSm2Key();
  const profile = {
    subject,
    serialNumber: (serial++).toString(16),
    notBefore: T0,
    notAfter: T_END,
    publicKey: key,
    keyUsage: opts.ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature | KeyUsage.nonRepudiation,
    ...(opts.ca ? { ca: {} } : {}),
    ...(opts.agencyId ? { agencyId: opts.agencyId } : {}),
    ...(opts.uris ? { uris: opts.uris } : {}),
  };
  const cert = await issueSm2Certificate(profile, issuer ?? { selfKey: key });
  const self = { certificate: cert, key };
  return { der: new Uint8Array(cert.rawData), key, issuer: issuer ?? self, self, serial: profile.serialNumber };
}

let shared: Promise<SesPki> | undefined;

/** One PKI per test file (SM2 issuing is pure JavaScript: keep it to a handful of certificates). */
export function sesPki(): Promise<SesPki> {
  shared ??= build();
  return shared;
}

async function build(): Promise<SesPki> {
  const root = await issue("CN=接续 SM2 测试根 (development only), O=Jiexu", undefined, { ca: true });
  const otherRoot = await issue("CN=Other SM2 Root, O=Elsewhere", undefined, { ca: true });
  const maker = await issue("CN=Jiexu Seal Maker (JIEXU DEVELOPMENT ONLY), O=Jiexu", root.self, {
    uris: [SEAL_MAKER_URI],
  });
  const holder = await issue("CN=浙江省社会保险基金管理局 电子印章, O=浙江省社会保险基金管理局", root.self, {
    agencyId: "330000",
  });
  const stranger = await issue("CN=上海市社会保险事业管理中心 电子印章, O=上海", root.self, { agencyId: "310000" });
  const revoked = await issue("CN=Revoked Holder, O=Jiexu", root.self, { agencyId: "330000" });
  const crl = await issueSm2Crl(root.self, {
    thisUpdate: new Date("2026-01-01T00:00:00Z"),
    nextUpdate: new Date("2027-01-01T00:00:00Z"),
    entries: [
      {
        serialNumber: revoked.serial,
        revokedAt: new Date("2026-02-01T00:00:00Z"),
        reason: CrlReason.keyCompromise,
      },
    ],
  });
  const pki: SesPki = {
    root,
    otherRoot,
    maker,
    holder,
    stranger,
    revoked,
    crl: new Uint8Array(crl.rawData),
    trust: createTrustStore([root.der]),
    otherTrust: createTrustStore([otherRoot.der]),
    crls: createRevocationStore([new Uint8Array(crl.rawData)]),
    seal: (over = {}) =>
      makeSeal({
        makerKey: maker.key,
        makerCertificate: maker.der,
        holderCertificates: [holder.der, revoked.der],
        name: "浙江省社会保险基金管理局业务专用章",
        esId: "33000020260101A1",
        picture: PICTURE,
        createdAt: new Date("2026-01-01T00:00:00Z"),
        validStart: new Date("2026-01-01T00:00:00Z"),
        validEnd: new Date("2027-01-01T00:00:00Z"),
        ...over,
      }),
  };
  return pki;
}

/** An SES sealer for `cred` with `sesSeal` (SM2 signing only: no Node private key). */
export function sealerFor(cred: Sm2Cred, sesSeal: Uint8Array): Sealer {
  return createSealer({ privateKey: undefined as never, certificate: cred.der, sm2: cred.key, sesSeal });
}

export function verdictOf(r: VerificationReport): string {
  return r.subIndication ? `${r.indication}/${r.subIndication}` : r.indication;
}

export function expectVerdict(r: VerificationReport, expected: string): void {
  expect(
    verdictOf(r),
    JSON.stringify(
      r.checks.filter((c) => c.status !== "PASSED"),
      null,
      1,
    ),
  ).toBe(expected);
}

/** The status (and sub-indication when failed) of the check `id`, or "absent". */
export function checkOf(r: VerificationReport, id: string): string {
  const c = r.checks.find((x) => x.id === id);
  return c ? (c.subIndication ? `${c.status}/${c.subIndication}` : c.status) : "absent";
}

export function flip(bytes: Uint8Array, index: number, mask = 0x01): Uint8Array {
  const out = bytes.slice();
  out[index]! ^= mask;
  return out;
}

export function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
