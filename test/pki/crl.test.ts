import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { sign } from "node:crypto";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certInfo } from "../../src/pki/certificate.ts";
import { REASONS, parseCrl, type ParsedCrl } from "../../src/pki/crl.ts";
import { Tag } from "../../src/pki/der.ts";
import { octetString, oid, seq, smallInteger, time, tlv, unsignedInteger } from "../../src/pki/der-write.ts";
import { OID } from "../../src/pki/oids.ts";
import { opensslOk, tempDir, writeTemp } from "../fixtures/openssl.ts";
import { AT, CrlReason, T0, T_END, createSealPki, type SealPki } from "../fixtures/seal-pki.ts";
import { expectVerdict, sealWith, verifyWith } from "./seal-harness.ts";

/**
 * The hand-written CRL parser against @peculiar/x509 and `openssl crl -text` on the same CRLs
 * (0, 1 and 3000 entries, every reason), and the case where they must differ: a CRL without
 * nextUpdate, which x509 reads as listing nobody and we refuse to use (TRY_LATER).
 */
let pki: SealPki;
let dir: string;
const crls = new Map<number, Uint8Array>();
const USED_REASONS = [0, 1, 2, 3, 4, 5, 6, 9, 10] as x509.X509CrlReason[];

beforeAll(async () => {
  pki = await createSealPki("ecdsa-p256");
  dir = tempDir("jiexu-crl-");
  for (const n of [0, 1, 3000]) {
    const entries = Array.from({ length: n }, (_, i) => ({
      serialNumber: (i % 5 === 0 ? 0x800000 + i : 0x1000 + i * 7).toString(16),
      revokedAt: new Date(T0.getTime() + i * 60_000),
      reason: USED_REASONS[i % USED_REASONS.length]!,
    }));
    crls.set(n, await pki.issueCrl(pki.ca.self, entries));
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Entry {
  serial: bigint;
  revokedAt: number;
  reason?: string;
}
const norm = (reason: string | undefined) => reason?.replace(/\s+/g, "").toLowerCase();

function ours(crl: ParsedCrl): Entry[] {
  return [...crl.revoked].map(([serial, e]) => ({
    serial: BigInt(`0x${serial}`),
    revokedAt: e.revokedAt.getTime(),
    ...(e.reason ? { reason: norm(e.reason) } : {}),
  }));
}

function theirs(der: Uint8Array): Entry[] {
  const crl = new x509.X509Crl(der.slice(), { berOptions: { maxNodes: 1_000_000 } });
  return crl.entries.map((e) => ({
    serial: BigInt(`0x${e.serialNumber}`),
    revokedAt: e.revocationDate.getTime(),
    ...(e.reason !== undefined ? { reason: norm(REASONS[e.reason]) } : {}),
  }));
}

function opensslEntries(der: Uint8Array): { entries: Entry[]; nextUpdate: string } {
  const text = opensslOk(["crl", "-inform", "DER", "-in", writeTemp(dir, "crl.der", der), "-noout", "-text"]);
  const entries = [
    ...text.matchAll(
      /Serial Number: ([0-9A-F]+)\n\s+Revocation Date: ([^\n]+)\n(?:\s+CRL entry extensions:\n\s+X509v3 CRL Reason Code: *\n\s+([^\n]+)\n)?/g,
    ),
  ].map((m) => ({
    serial: BigInt(`0x${m[1]}`),
    revokedAt: new Date(m[2]!).getTime(),
    ...(m[3] ? { reason: norm(m[3]) } : {}),
  }));
  return { entries, nextUpdate: /Next Update: ([^\n]+)/.exec(text)?.[1] ?? "" };
}

const bySerial = (a: Entry, b: Entry) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0);

describe("parseCrl", () => {
  describe.each([0, 1, 3000])("on a CRL of %i entries", (n) => {
    it("reads the same entries, dates and reasons as @peculiar/x509", () => {
      const der = crls.get(n)!;
      const parsed = parseCrl(der);
      expect(parsed.revoked.size).toBe(n);
      expect(ours(parsed).sort(bySerial)).toEqual(theirs(der).sort(bySerial));
      const x = new x509.X509Crl(der.slice(), { berOptions: { maxNodes: 1_000_000 } });
      expect(parsed.thisUpdate).toEqual(x.thisUpdate);
      expect(parsed.nextUpdate).toEqual(x.nextUpdate);
      expect(parsed.crlNumber).toBe("01");
    });

    it("reads the same entries, dates and reasons as openssl crl -text", () => {
      const der = crls.get(n)!;
      const o = opensslEntries(der);
      expect(ours(parseCrl(der)).sort(bySerial)).toEqual(o.entries.sort(bySerial));
      expect(new Date(o.nextUpdate).getTime()).toBe(T_END.getTime());
    });

    it("finds every listed serial through the entry map", () => {
      const parsed = parseCrl(crls.get(n)!);
      for (const e of theirs(crls.get(n)!)) expect(parsed.revoked.has(e.serial.toString(16))).toBe(true);
    });
  });

  describe("when the CRL has 3000 entries", () => {
    it("is beyond asn1js's default node limit, which x509 then refuses", () => {
      expect(() => new x509.X509Crl(crls.get(3000)!.slice())).toThrow();
    });
  });

  describe("when the bytes are not a CRL", () => {
    it("throws DerError for truncations and garbage", () => {
      const der = crls.get(1)!;
      for (const n of [0, 1, 2, 10, der.length - 1])
        expect(() => parseCrl(der.subarray(0, n))).toThrow(expect.objectContaining({ name: "DerError" }));
      expect(() => parseCrl(pki.ca.der)).toThrow();
    });
  });
});

describe("a CRL without nextUpdate", () => {
  let listed: Uint8Array;
  let control: Uint8Array;
  beforeAll(() => {
    listed = handCrl(pki, [pki.seal.serial], undefined);
    control = handCrl(pki, [pki.seal.serial], T_END);
  });

  it("lists the serial (openssl shows it, with Next Update NONE)", () => {
    const o = opensslEntries(listed);
    expect(o.nextUpdate).toBe("NONE");
    expect(o.entries.map((e) => e.serial)).toEqual([BigInt(`0x${pki.seal.serial}`)]);
    expect(parseCrl(listed).nextUpdate).toBeUndefined();
    expect(parseCrl(listed).revoked.has(pki.seal.serial)).toBe(true);
  });

  it("is silently 'not revoked' for @peculiar/x509", async () => {
    const crl = new x509.X509Crl(listed.slice());
    expect(crl.entries).toHaveLength(0);
    expect(await crl.findRevoked(new x509.X509Certificate(pki.seal.der.slice()))).toBeNull();
  });

  it("is unusable for verifySeal: INDETERMINATE/TRY_LATER", () => {
    expectVerdict(
      verifyWith(pki, sealWith(pki, pki.seal), { crls: [pki.crls.root, listed] }),
      "INDETERMINATE/TRY_LATER",
    );
  });

  it("while the same CRL with nextUpdate revokes the signer (the hand-built CRL is sound)", () => {
    expectVerdict(
      verifyWith(pki, sealWith(pki, pki.seal), { crls: [pki.crls.root, control], at: AT }),
      "INDETERMINATE/REVOKED_NO_POE",
    );
  });
});

/** A v2 CRL built by hand and signed with the issuing CA's key (x509's generator requires nextUpdate). */
function handCrl(p: SealPki, serials: string[], nextUpdate: Date | undefined): Uint8Array {
  const issuer = Uint8Array.from(Buffer.from(certInfo(p.ca.der).subjectDer, "hex"));
  const reason = seq(seq(oid("2.5.29.21"), octetString(tlv(Tag.ENUMERATED, Uint8Array.of(CrlReason.keyCompromise)))));
  const entries = serials.map((s) =>
    seq(
      unsignedInteger(Uint8Array.from(Buffer.from(s.padStart(s.length + (s.length % 2), "0"), "hex"))),
      time(T0),
      reason,
    ),
  );
  const alg = seq(oid(OID.ecdsaWithSha256));
  const tbs = seq(smallInteger(1), alg, issuer, time(T0), ...(nextUpdate ? [time(nextUpdate)] : []), seq(...entries));
  const signature = sign("sha256", tbs, p.ca.key);
  return seq(tbs, alg, tlv(Tag.BIT_STRING, Uint8Array.of(0), signature));
}
