import * as asn1js from "asn1js";
import { beforeAll, describe, expect, it } from "vitest";
import { DerError, childrenOf, decodeOid, decodeTime, integerHex, readTlv, type Tlv } from "../../src/pki/der.ts";
import { oid, setOf, time, tlv, unsignedInteger } from "../../src/pki/der-write.ts";
import { createSealPki, type SealPki } from "../fixtures/seal-pki.ts";
import { sealWith } from "./seal-harness.ts";

/**
 * The hand-written DER walker against asn1js `fromBER` on real seals (same tree shape, same tag
 * bytes, same offsets), and the writer's encodings against asn1js's decoding of them.
 */
let ec: SealPki;
let rsa: SealPki;
beforeAll(async () => {
  [ec, rsa] = await Promise.all([createSealPki("ecdsa-p384"), createSealPki("rsa-2048")]);
});

interface Node {
  tag: number;
  start: number;
  headerEnd: number;
  end: number;
  children?: Node[];
}

function ourTree(b: Uint8Array, t: Tlv): Node {
  const node: Node = { tag: t.tag, start: t.start, headerEnd: t.valueStart, end: t.end };
  if (t.tag & 0x20) node.children = childrenOf(b, t).map((c) => ourTree(b, c));
  return node;
}

function asn1jsTree(block: asn1js.AsnType, start: number): Node {
  const id = block.idBlock;
  const tag = ((id.tagClass - 1) << 6) | (id.isConstructed ? 0x20 : 0) | id.tagNumber;
  const headerEnd = start + id.blockLength + block.lenBlock.blockLength;
  const node: Node = { tag, start, headerEnd, end: start + block.blockLength };
  if (id.isConstructed) {
    let p = headerEnd;
    node.children = (block.valueBlock as unknown as { value: asn1js.AsnType[] }).value.map((child) => {
      const n = asn1jsTree(child, p);
      p = n.end;
      return n;
    });
  }
  return node;
}

function parseBoth(der: Uint8Array): { ours: Node; theirs: Node } {
  const parsed = asn1js.fromBER(der.slice());
  expect(parsed.offset).toBe(der.length);
  return { ours: ourTree(der, readTlv(der, 0)), theirs: asn1jsTree(parsed.result, 0) };
}

describe("the DER walker", () => {
  describe.each([
    { name: "a detached ECDSA P-384 seal", make: () => sealWith(ec, ec.seal) },
    { name: "an attached ECDSA P-384 seal", make: () => sealWith(ec, ec.seal, { attached: true }) },
    { name: "an RSA-PSS seal", make: () => sealWith(rsa, rsa.seal, { rsaPadding: "pss" }) },
    { name: "a certificate", make: () => rsa.ca.der },
    { name: "a CRL", make: () => ec.crls.ca },
  ])("on $name", ({ make }) => {
    it("builds the same tree with the same offsets as asn1js", () => {
      const { ours, theirs } = parseBoth(make());
      expect(ours).toEqual(theirs);
    });
  });

  describe("when the input is malformed", () => {
    it.each([
      { name: "empty", bytes: [] },
      { name: "a lone tag", bytes: [0x30] },
      { name: "an overrunning length", bytes: [0x30, 0x05, 0x02, 0x01] },
      { name: "a 5-byte length", bytes: [0x30, 0x85, 0, 0, 0, 0, 1, 0] },
      { name: "a truncated long length", bytes: [0x30, 0x82, 0x01] },
      { name: "a high tag number", bytes: [0x1f, 0x81, 0x01, 0x00] },
      { name: "an indefinite primitive", bytes: [0x04, 0x80, 0x00, 0x00] },
      { name: "an unterminated indefinite length", bytes: [0x30, 0x80, 0x02, 0x01, 0x00] },
    ])("throws DerError on $name", ({ bytes }) => {
      const b = Uint8Array.from(bytes);
      expect(() => {
        const t = readTlv(b, 0);
        if (t.tag & 0x20) childrenOf(b, t);
      }).toThrow(DerError);
    });

    it("reads an indefinite-length SEQUENCE like asn1js does", () => {
      const b = Uint8Array.from([0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00]);
      const t = readTlv(b, 0);
      expect(t.end).toBe(7);
      expect(childrenOf(b, t)).toHaveLength(1);
      expect(asn1js.fromBER(b).offset).toBe(7);
    });
  });
});

describe("OIDs, times and integers", () => {
  it.each([
    "1.2.840.113549.1.9.16.2.47",
    "2.16.840.1.101.3.4.2.1",
    "1.3.101.112",
    "2.5.29.20",
    "2.999.16384.1",
    "0.9.2342.19200300.100.1.25",
  ])("round-trips %s through der-write, our decoder and asn1js", (dotted) => {
    const der = oid(dotted);
    expect(decodeOid(der, readTlv(der, 0))).toBe(dotted);
    expect((asn1js.fromBER(der.slice()).result as asn1js.ObjectIdentifier).valueBlock.toString()).toBe(dotted);
  });

  it("refuses OIDs that end inside an arc or pad an arc with 0x80", () => {
    for (const v of [
      [0x2a, 0x86],
      [0x2a, 0x80, 0x01],
      [0x80, 0x01],
    ]) {
      const b = Uint8Array.from([0x06, v.length, ...v]);
      expect(() => decodeOid(b, readTlv(b, 0))).toThrow(DerError);
    }
  });

  it("encodes signing times as UTCTime through 2049 and GeneralizedTime from 2050, and reads them back", () => {
    for (const iso of [
      "2026-06-01T08:00:00.000Z",
      "1999-12-31T23:59:59.000Z",
      "2049-12-31T23:59:59.000Z",
      "2050-01-01T00:00:00.000Z",
    ]) {
      const der = time(new Date(iso));
      expect(der[0]).toBe(iso.startsWith("2050") ? 0x18 : 0x17);
      expect(decodeTime(der, readTlv(der, 0)).toISOString()).toBe(iso);
      expect((asn1js.fromBER(der.slice()).result as asn1js.UTCTime).toDate().toISOString()).toBe(iso);
    }
  });

  it("writes a UTCTime digit by digit exactly as the ISO text gives it, for any instant of 1950–2049", () => {
    const from = Date.UTC(1950, 0, 1);
    const to = Date.UTC(2050, 0, 1) - 1;
    const instants = [from, to, Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(2026, 11, 31, 16, 0, 0)];
    for (let i = 0; i < 2000; i++) instants.push(from + Math.floor((((i * 7919) % 2000) / 2000) * (to - from)) + i);
    for (const t of instants) {
      const d = new Date(t);
      const digits = d.toISOString().slice(2, 19).replace(/[-T:]/g, "");
      expect(time(d), d.toISOString()).toEqual(tlv(0x17, new TextEncoder().encode(`${digits}Z`)));
    }
  });

  it("refuses times without Z or with impossible fields", () => {
    for (const s of ["260601080000", "2606010800Z", "261301080000Z"]) {
      const der = tlv(0x17, new TextEncoder().encode(s));
      expect(() => decodeTime(der, readTlv(der, 0))).toThrow(DerError);
    }
  });

  it("writes INTEGERs with a sign-padding zero exactly when needed, and reads them as asn1js does", () => {
    for (const hex of ["01", "7f", "80", "ff", "00ff", "0080", "1000", "8000000000000000"]) {
      const der = unsignedInteger(Uint8Array.from(Buffer.from(hex, "hex")));
      const theirs = (asn1js.fromBER(der.slice()).result as asn1js.Integer).toBigInt();
      expect(theirs >= 0n).toBe(true);
      expect(BigInt(`0x${integerHex(der, readTlv(der, 0))}`)).toBe(theirs);
    }
  });

  it("sorts SET OF elements by their encodings (X.690 §11.6)", () => {
    const a = tlv(0x04, Uint8Array.of(2));
    const b = tlv(0x04, Uint8Array.of(1, 1));
    const c = tlv(0x02, Uint8Array.of(9));
    const set = setOf(a, b, c);
    expect(childrenOf(set, readTlv(set, 0)).map((t) => set[t.start])).toEqual([0x02, 0x04, 0x04]);
    expect(Buffer.from(set).toString("hex")).toBe("310a02010904010204020101");
  });
});
