import { Tag, contextTag, valueOf, type Tlv } from "../der.ts";
import { GMT0010_SIGNED_DATA, SM3_WITH_SM2 } from "./errors.ts";
import {
  Fields,
  bitBytes,
  extensions,
  format,
  generalized,
  ia5,
  oidOf,
  smallInt,
  strict,
  topSequence,
  utf8,
  type SesExtension,
} from "./der-read.ts";

/**
 * GB/T 38540-2020 (v4) SESeal and SES_Signature, read strictly (research note §1.1). Only v4 is read: GM/T
 * 0031-2014 (v1), v5 (a time stamp inside the seal) and GM/T 0010 PKCS#7 are refused with a reason, and so
 * is anything not DER, truncated or followed by bytes. Every `…Bytes` field is a view of the input: the
 * maker's signature covers `sealInfoBytes`, the signer's covers `tbsBytes`, exactly as received.
 */
export interface ParsedSeal {
  /** The whole SESeal as received. */
  bytes: Uint8Array;
  /** SES_SealInfo, which the maker signed (§7.1). */
  sealInfoBytes: Uint8Array;
  vid: string;
  version: number;
  esId: string;
  type: number;
  name: string;
  /** 1: holder certificates; 2: their digests. */
  certListType: 1 | 2;
  holders: Uint8Array[];
  holderDigests: { type: string; value: Uint8Array }[];
  createdAt: Date;
  validStart: Date;
  validEnd: Date;
  picture: { type: string; data: Uint8Array; widthMm: number; heightMm: number };
  extensions: SesExtension[];
  makerCertificate: Uint8Array;
  signatureAlgorithm: string;
  signature: Uint8Array;
}

export interface ParsedSesSignature {
  /** TBS_Sign, which the signer signed (§8.1). */
  tbsBytes: Uint8Array;
  /** The embedded SESeal, as received. */
  sealBytes: Uint8Array;
  signingTime: Date;
  dataHash: Uint8Array;
  propertyInfo: string;
  extensions: SesExtension[];
  signerCertificate: Uint8Array;
  signatureAlgorithm: string;
  signature: Uint8Array;
  /** timeStamp [0]: an RFC 3161 token, kept but not evaluated. */
  timeStamp?: Uint8Array;
}

/** Parse a v4 SESeal; throws SesError SES_FORMAT with the reason. */
export function parseSeal(bytes: Uint8Array): ParsedSeal {
  const top = topSequence(bytes, "SESeal");
  strict(bytes, top, "SESeal");
  const f = new Fields(bytes, top, "SESeal");
  if (f.count === 2)
    throw format("GM/T 0031-2014 (v1) seal: not supported, only GB/T 38540-2020 (v4)", "SES_UNSUPPORTED_VERSION");
  if (f.count === 5)
    throw format("GB/T 38540 v5 seal (with a time stamp): not supported, only v4", "SES_UNSUPPORTED_VERSION");
  const info = f.next(Tag.SEQUENCE, "eSealInfo");
  const makerCertificate = valueOf(bytes, f.next(Tag.OCTET_STRING, "cert"));
  const signatureAlgorithm = oidOf(bytes, f.next(Tag.OID, "signAlgID"), "signAlgID");
  const signature = bitBytes(bytes, f.next(Tag.BIT_STRING, "signedValue"), "signedValue");
  f.end();
  return {
    bytes,
    sealInfoBytes: bytes.subarray(info.start, info.end),
    ...sealInfo(bytes, info),
    makerCertificate,
    signatureAlgorithm,
    signature,
  };
}

type SealInfo = Omit<ParsedSeal, "bytes" | "sealInfoBytes" | "makerCertificate" | "signatureAlgorithm" | "signature">;

function sealInfo(b: Uint8Array, info: Tlv): SealInfo {
  const f = new Fields(b, info, "SES_SealInfo");
  const header = new Fields(b, f.next(Tag.SEQUENCE, "header"), "SES_Header");
  const id = ia5(b, header.next(Tag.IA5_STRING, "id"));
  const version = smallInt(b, header.next(Tag.INTEGER, "version"), "version");
  const vid = ia5(b, header.next(Tag.IA5_STRING, "vid"));
  header.end();
  if (id !== "ES") throw format(`SES_Header.id is '${id}', not 'ES'`);
  if (version !== 4)
    throw format(`seal version ${version}: only GB/T 38540-2020 v4 is supported`, "SES_UNSUPPORTED_VERSION");
  const esId = ia5(b, f.next(Tag.IA5_STRING, "esID"));
  const p = new Fields(b, f.next(Tag.SEQUENCE, "property"), "SES_ESPropertyInfo");
  const type = smallInt(b, p.next(Tag.INTEGER, "type"), "type");
  const name = utf8(b, p.next(Tag.UTF8_STRING, "name"));
  const certListType = smallInt(b, p.next(Tag.INTEGER, "certListType"), "certListType");
  if (certListType !== 1 && certListType !== 2) throw format(`certListType ${certListType} is neither 1 nor 2`);
  const list = new Fields(b, p.next(Tag.SEQUENCE, "certList"), "SES_CertList");
  const holders: Uint8Array[] = [];
  const holderDigests: ParsedSeal["holderDigests"] = [];
  for (let i = 0; i < list.count; i++) {
    if (certListType === 1) holders.push(valueOf(b, list.next(Tag.OCTET_STRING, "certificate")));
    else {
      const d = new Fields(b, list.next(Tag.SEQUENCE, "CertDigestObj"), "CertDigestObj");
      holderDigests.push({
        type: ia5(b, d.next(Tag.PRINTABLE_STRING, "type")),
        value: valueOf(b, d.next(Tag.OCTET_STRING, "value")),
      });
      d.end();
    }
  }
  if (list.count === 0) throw format("SES_CertList is empty: the seal names no holder");
  const createdAt = generalized(b, p.next(Tag.GENERALIZED_TIME, "createDate"), "createDate");
  const validStart = generalized(b, p.next(Tag.GENERALIZED_TIME, "validStart"), "validStart");
  const validEnd = generalized(b, p.next(Tag.GENERALIZED_TIME, "validEnd"), "validEnd");
  p.end();
  const pic = new Fields(b, f.next(Tag.SEQUENCE, "picture"), "SES_ESPictrueInfo");
  const picture = {
    type: ia5(b, pic.next(Tag.IA5_STRING, "type")),
    data: valueOf(b, pic.next(Tag.OCTET_STRING, "data")),
    widthMm: smallInt(b, pic.next(Tag.INTEGER, "width"), "width"),
    heightMm: smallInt(b, pic.next(Tag.INTEGER, "height"), "height"),
  };
  pic.end();
  const ext = f.optional(Tag.SEQUENCE);
  f.end();
  return {
    vid,
    version,
    esId,
    type,
    name,
    certListType,
    holders,
    holderDigests,
    createdAt,
    validStart,
    validEnd,
    picture,
    extensions: ext ? extensions(b, ext, "SES_SealInfo.extDatas") : [],
  };
}

/**
 * Parse a v4 SES_Signature. The embedded seal is only delimited here (`sealBytes`): the caller parses it
 * (parseSeal, or a cache of it keyed by its bytes).
 */
export function parseSesSignature(bytes: Uint8Array): ParsedSesSignature {
  const top = topSequence(bytes, "SES_Signature");
  const f = new Fields(bytes, top, "SES_Signature");
  if (f.first?.tag === Tag.OID) throw format(notSesReason(oidOf(bytes, f.first, "contentType")), "SES_NOT_SES");
  if (f.count === 2)
    throw format("GM/T 0031-2014 (v1) signature: not supported, only GB/T 38540-2020 (v4)", "SES_UNSUPPORTED_VERSION");
  const tbs = f.next(Tag.SEQUENCE, "toSign");
  const cert = f.next(Tag.OCTET_STRING, "cert");
  const alg = f.next(Tag.OID, "signatureAlgID");
  const sig = f.next(Tag.BIT_STRING, "signature");
  const stamp = f.optional(contextTag(0));
  f.end();
  strictEach(bytes, "SES_Signature", cert, alg, sig, stamp);
  return {
    ...readTbs(bytes, tbs),
    signerCertificate: valueOf(bytes, cert),
    signatureAlgorithm: oidOf(bytes, alg, "signatureAlgID"),
    signature: bitBytes(bytes, sig, "signature"),
    ...(stamp ? { timeStamp: valueOf(bytes, stamp) } : {}),
  };
}

type TbsFields = Pick<
  ParsedSesSignature,
  "tbsBytes" | "sealBytes" | "signingTime" | "dataHash" | "propertyInfo" | "extensions"
>;

/** TBS_Sign { version 4, eseal, timeInfo, dataHash, propertyInfo, extDatas [0] OPTIONAL } (§8.1). */
function readTbs(bytes: Uint8Array, tbs: Tlv): TbsFields {
  const t = new Fields(bytes, tbs, "TBS_Sign");
  const versionField = t.next(Tag.INTEGER, "version");
  strictEach(bytes, "TBS_Sign", versionField);
  const version = smallInt(bytes, versionField, "version");
  if (version !== 4)
    throw format(`TBS_Sign version ${version}: only GB/T 38540-2020 v4 is supported`, "SES_UNSUPPORTED_VERSION");
  const seal = t.next(Tag.SEQUENCE, "eseal"); // read strictly by parseSeal, through the seal cache
  const time = t.next(Tag.GENERALIZED_TIME, "timeInfo");
  const hash = t.next(Tag.BIT_STRING, "dataHash");
  const property = t.next(Tag.IA5_STRING, "propertyInfo");
  const ext = t.optional(contextTag(0));
  t.end();
  strictEach(bytes, "TBS_Sign", time, hash, property, ext);
  const dataHash = bitBytes(bytes, hash, "dataHash");
  if (dataHash.length !== 32) throw format(`dataHash of ${dataHash.length} bytes: SM3 gives 32`);
  return {
    tbsBytes: bytes.subarray(tbs.start, tbs.end),
    sealBytes: bytes.subarray(seal.start, seal.end),
    signingTime: generalized(bytes, time, "timeInfo"),
    dataHash,
    propertyInfo: ia5(bytes, property),
    extensions: ext ? tbsExtensions(bytes, ext) : [],
  };
}

function strictEach(bytes: Uint8Array, what: string, ...fields: (Tlv | undefined)[]): void {
  for (const t of fields) if (t) strict(bytes, t, what);
}

/** extDatas [0] EXPLICIT ExtensionDatas. */
function tbsExtensions(b: Uint8Array, wrapper: Tlv): SesExtension[] {
  const inner = new Fields(b, wrapper, "TBS_Sign.extDatas");
  const list = inner.next(Tag.SEQUENCE, "ExtensionDatas");
  inner.end();
  return extensions(b, list, "TBS_Sign.extDatas");
}

/** Why a ContentInfo-shaped input is not an SES signature. */
function notSesReason(oid: string): string {
  if (oid === GMT0010_SIGNED_DATA) return "GM/T 0010 PKCS#7 signedData (1.2.156.10197.6.1.4.2.2): not an SES signature";
  return `a ContentInfo (${oid}), not an SES signature`;
}

/** Both SM2 signature algorithm fields name SM3withSM2 (the only one GB/T 38540 v4 seals use). */
export function isSm3WithSm2(oid: string): boolean {
  return oid === SM3_WITH_SM2;
}
