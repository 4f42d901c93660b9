import { sm2 } from "sm-crypto-v2";
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../../src/domain/bytes.ts";
import { DerError } from "../../src/pki/der.ts";
import { bitString, explicit, nullValue, octetString, oid, seq, smallInteger, tlv } from "../../src/pki/der-write.ts";
import { KeyError } from "../../src/pki/key-error.ts";
import { OID } from "../../src/pki/oids.ts";
import {
  encodeSm2Pkcs8,
  encodeSm2Spki,
  generateSm2Key,
  readSm2PrivateKey,
  readSm2Spki,
  signSm2,
  sm2KeyOfSpki,
  verifySm2,
} from "../../src/pki/sm2.ts";

/**
 * SM2 keys read exactly (issue 16, review of the SM2 PKI change): a SubjectPublicKeyInfo is SEQUENCE { SEQUENCE
 * { id-ecPublicKey, SM2 }, BIT STRING with no unused bits holding 04 ‖ x ‖ y on the curve } and nothing else;
 * a private key has d in [1, n − 2] (GB/T 32918.1), its container's versions, order and length as RFC 5958 /
 * RFC 5915 write them, and ECPrivateKey parameters that name SM2 when present.
 */
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const SM2_ALG = seq(oid(OID.ecPublicKey), oid(OID.sm2Curve));

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(KeyError);
    return (err as KeyError).code;
  }
  return "accepted";
}

const point = (key = generateSm2Key()) => fromHex(key.publicKeyHex)!;
const spkiOf = (bits: Uint8Array, alg = SM2_ALG) => seq(alg, bits);

describe("an SM2 SubjectPublicKeyInfo", () => {
  it("reads the uncompressed point of a well-formed one", () => {
    const key = generateSm2Key();
    expect(readSm2Spki(encodeSm2Spki(key))).toEqual({ publicKeyHex: key.publicKeyHex });
  });

  it("is KEY_UNREADABLE (DerError in certificates) when compressed, of the wrong length or off the curve", () => {
    const p = point();
    const compressed = Uint8Array.of(2 + (p[64]! & 1), ...p.subarray(1, 33));
    const offCurve = p.slice();
    offCurve[64] = offCurve[64]! ^ 1;
    for (const bad of [
      compressed,
      p.subarray(1),
      Uint8Array.of(...p, 0),
      offCurve,
      Uint8Array.of(4, ...new Uint8Array(64)),
    ]) {
      const spki = spkiOf(bitString(bad));
      expect(codeOf(() => readSm2Spki(spki))).toBe("KEY_UNREADABLE");
      expect(() => sm2KeyOfSpki(spki)).toThrow(DerError);
    }
  });

  it("is KEY_UNREADABLE with unused bits, an extra element or trailing bytes", () => {
    const p = point();
    const unusedBits = tlv(0x03, Uint8Array.of(1), p);
    const extraParam = seq(oid(OID.ecPublicKey), oid(OID.sm2Curve), nullValue());
    for (const spki of [
      spkiOf(unusedBits),
      spkiOf(bitString(p), extraParam),
      seq(SM2_ALG, bitString(p), nullValue()),
      Uint8Array.of(...spkiOf(bitString(p)), 0),
    ]) {
      expect(codeOf(() => readSm2Spki(spki))).toBe("KEY_UNREADABLE");
    }
  });

  it("is undefined (not SM2) and KEY_UNSUPPORTED for another curve", () => {
    const p256 = spkiOf(bitString(point()), seq(oid(OID.ecPublicKey), oid("1.2.840.10045.3.1.7")));
    expect(sm2KeyOfSpki(p256)).toBeUndefined();
    expect(codeOf(() => readSm2Spki(p256))).toBe("KEY_UNSUPPORTED");
  });
});

/** PKCS#8 around an ECPrivateKey, each part replaceable. */
function pkcs8(ec: Uint8Array, { version = 0, after = [] as Uint8Array[] } = {}): Uint8Array {
  return seq(smallInteger(version), SM2_ALG, octetString(ec), ...after);
}
function ecPrivateKey(secret: Uint8Array, { version = 1, params = [] as Uint8Array[], pub = point() } = {}) {
  return seq(smallInteger(version), octetString(secret), ...params, explicit(1, bitString(pub)));
}
const keyWith = (d: bigint) => {
  const privateKeyHex = d.toString(16).padStart(64, "0");
  return { privateKeyHex, publicKeyHex: sm2.getPublicKeyFromPrivateKey(privateKeyHex) };
};

describe("an SM2 private key", () => {
  it("is KEY_UNREADABLE for d = 0 or d = n − 1, and reads d = n − 2 into a key that signs", () => {
    expect(codeOf(() => readSm2PrivateKey(encodeSm2Pkcs8(keyWith(N - 1n))))).toBe("KEY_UNREADABLE");
    const zero = ecPrivateKey(new Uint8Array(32), { pub: point() });
    expect(codeOf(() => readSm2PrivateKey(pkcs8(zero)))).toBe("KEY_UNREADABLE");
    const last = keyWith(N - 2n);
    const read = readSm2PrivateKey(encodeSm2Pkcs8(last));
    const data = new TextEncoder().encode("d = n − 2");
    expect(verifySm2(data, signSm2(data, read), last)).toBe(true);
  });

  it("pads a secret written without its leading zero octet to 32 octets, and refuses one of 33", () => {
    const key = keyWith(BigInt(`0x00${generateSm2Key().privateKeyHex.padStart(64, "0").slice(2)}`));
    const short = fromHex(key.privateKeyHex)!.subarray(1);
    const read = readSm2PrivateKey(pkcs8(ecPrivateKey(short, { pub: fromHex(key.publicKeyHex)! })));
    expect(read).toEqual(key);
    expect(read.privateKeyHex).toHaveLength(64);
    const long = Uint8Array.of(0, ...fromHex(key.privateKeyHex)!);
    expect(codeOf(() => readSm2PrivateKey(pkcs8(ecPrivateKey(long, { pub: fromHex(key.publicKeyHex)! }))))).toBe(
      "KEY_UNREADABLE",
    );
  });

  it("takes ECPrivateKey parameters inside PKCS#8 only when they name SM2", () => {
    const key = generateSm2Key();
    const secret = fromHex(key.privateKeyHex)!;
    const pub = fromHex(key.publicKeyHex)!;
    const sm2Params = ecPrivateKey(secret, { params: [explicit(0, oid(OID.sm2Curve))], pub });
    expect(readSm2PrivateKey(pkcs8(sm2Params))).toEqual(key);
    const p256Params = ecPrivateKey(secret, { params: [explicit(0, oid("1.2.840.10045.3.1.7"))], pub });
    expect(codeOf(() => readSm2PrivateKey(pkcs8(p256Params)))).toBe("KEY_UNREADABLE");
  });

  it("is KEY_UNREADABLE with a wrong version, trailing bytes, or fields out of order", () => {
    const key = generateSm2Key();
    const secret = fromHex(key.privateKeyHex)!;
    const pub = fromHex(key.publicKeyHex)!;
    const good = ecPrivateKey(secret, { pub });
    expect(readSm2PrivateKey(pkcs8(good))).toEqual(key);
    for (const bad of [
      pkcs8(good, { version: 2 }),
      pkcs8(ecPrivateKey(secret, { version: 0, pub })),
      Uint8Array.of(...pkcs8(good), 0),
      pkcs8(Uint8Array.of(...good, 0)),
      pkcs8(seq(smallInteger(1), octetString(secret), explicit(1, bitString(pub)), explicit(0, oid(OID.sm2Curve)))),
      pkcs8(good, { after: [nullValue()] }),
    ]) {
      expect(codeOf(() => readSm2PrivateKey(bad))).toBe("KEY_UNREADABLE");
    }
    expect(toHex(encodeSm2Pkcs8(key))).toBe(toHex(pkcs8(good)));
  });

  it("is KEY_UNREADABLE when a stated public key is off the curve or has unused bits", () => {
    const key = generateSm2Key();
    const secret = fromHex(key.privateKeyHex)!;
    const off = fromHex(key.publicKeyHex)!.slice();
    off[64] = off[64]! ^ 1;
    expect(codeOf(() => readSm2PrivateKey(pkcs8(ecPrivateKey(secret, { pub: off }))))).toBe("KEY_UNREADABLE");
    const unused = seq(
      smallInteger(1),
      octetString(secret),
      explicit(1, tlv(0x03, Uint8Array.of(1), fromHex(key.publicKeyHex)!)),
    );
    expect(codeOf(() => readSm2PrivateKey(pkcs8(unused)))).toBe("KEY_UNREADABLE");
  });
});
