import { Tag } from "../der.ts";
import { bitString, octetString, oid, seq, tlv, unsignedInteger } from "../der-write.ts";
import { SM3_WITH_SM2, SesError } from "./errors.ts";

/**
 * DER writers for GB/T 38540-2020 v4 structures (research note §1.1). Times are GeneralizedTime
 * YYYYMMDDHHMMSSZ always (§7: v4 uses GeneralizedTime; der-write's time() writes UTCTime before 2050, which
 * is CMS's rule, not this standard's). Strings are checked against their ASN.1 types before writing.
 */
export function ia5(text: string, what: string): Uint8Array {
  if (!/^[\x00-\x7f]*$/.test(text)) throw new SesError("SES_INPUT", `${what} must be ASCII (IA5String): '${text}'`);
  return tlv(Tag.IA5_STRING, new TextEncoder().encode(text));
}

export function utf8String(text: string): Uint8Array {
  return tlv(Tag.UTF8_STRING, new TextEncoder().encode(text));
}

export function generalizedTime(d: Date): Uint8Array {
  const year = d.getUTCFullYear();
  if (Number.isNaN(d.getTime()) || year < 1 || year > 9999) throw new SesError("SES_INPUT", "time out of range");
  const digits = d.toISOString().slice(0, 19).replace(/[-T:]/g, "");
  return tlv(Tag.GENERALIZED_TIME, new TextEncoder().encode(`${digits}Z`));
}

export function integer(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) throw new SesError("SES_INPUT", `integer ${n} out of range`);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return unsignedInteger(Uint8Array.from(bytes.length ? bytes : [0]));
}

export interface SealInfoFields {
  vid: string;
  esId: string;
  type: number;
  name: string;
  holderCertificates: Uint8Array[];
  createdAt: Date;
  validStart: Date;
  validEnd: Date;
  picture: { type: string; data: Uint8Array; widthMm: number; heightMm: number };
}

/** SES_SealInfo { header, esID, property, picture } (no extDatas); certListType 1 (certificates). */
export function encodeSealInfo(f: SealInfoFields): Uint8Array {
  const header = seq(ia5("ES", "SES_Header.id"), integer(4), ia5(f.vid, "vid"));
  const property = seq(
    integer(f.type),
    utf8String(f.name),
    integer(1),
    seq(...f.holderCertificates.map(octetString)),
    generalizedTime(f.createdAt),
    generalizedTime(f.validStart),
    generalizedTime(f.validEnd),
  );
  const p = f.picture;
  const picture = seq(ia5(p.type, "picture type"), octetString(p.data), integer(p.widthMm), integer(p.heightMm));
  return seq(header, ia5(f.esId, "esID"), property, picture);
}

/** SESeal { eSealInfo, cert, signAlgID, signedValue }: `signature` is the maker's over the SES_SealInfo bytes. */
export function encodeSeal(sealInfo: Uint8Array, makerCertificate: Uint8Array, signature: Uint8Array): Uint8Array {
  return seq(sealInfo, octetString(makerCertificate), oid(SM3_WITH_SM2), bitString(signature));
}

/** TBS_Sign { version 4, eseal, timeInfo, dataHash, propertyInfo }: the seal's bytes are copied as given. */
export function encodeTbsSign(
  seal: Uint8Array,
  signingTime: Date,
  dataHash: Uint8Array,
  propertyInfo: string,
): Uint8Array {
  return seq(integer(4), seal, generalizedTime(signingTime), bitString(dataHash), ia5(propertyInfo, "propertyInfo"));
}

/** SES_Signature { toSign, cert, signatureAlgID, signature }. */
export function encodeSesSignature(tbs: Uint8Array, signerCertificate: Uint8Array, signature: Uint8Array): Uint8Array {
  return seq(tbs, octetString(signerCertificate), oid(SM3_WITH_SM2), bitString(signature));
}
