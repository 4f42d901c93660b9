import { certInfo, sha256Hex } from "../certificate.ts";
import { DerError } from "../der.ts";
import { KeyError } from "../key-error.ts";
import { signSm2, type Sm2PrivateKey } from "../sm2.ts";
import { sm2KeyOfCertificate } from "../sm2.ts";
import { encodeSeal, encodeSealInfo } from "./encode.ts";
import { SesError } from "./errors.ts";
import { parseSeal } from "./parse.ts";
import { summarizeSeal, type SealSummary } from "./summary.ts";

/** The seal picture (SES_ESPictrueInfo): image type as the standard names it ("PNG"), bytes, size in mm. */
export interface SesPicture {
  type: string;
  data: Uint8Array;
  widthMm: number;
  heightMm: number;
}

export interface MakeSealInput {
  makerKey: Sm2PrivateKey;
  /** The seal maker's (制章者) certificate, DER. */
  makerCertificate: Uint8Array;
  /** The holders' (签章者) SM2 signer certificates, DER. */
  holderCertificates: Uint8Array[];
  name: string;
  /** Seal type code (issuer-defined; default 1). */
  type?: number;
  /** ASCII seal id; default: the first holder's agency id, the creation date and 4 hex digits. */
  esId?: string;
  /** Vendor id of the maker's system (default "JIEXU"). */
  vid?: string;
  picture: SesPicture;
  createdAt: Date;
  validStart: Date;
  validEnd: Date;
}

/**
 * Make a GB/T 38540-2020 v4 SESeal: SES_SealInfo signed by the seal maker with SM2 (DER signature, standard
 * signer ID) over its DER bytes (§7.2). Throws SesError: SES_KEY_MISMATCH when the maker key is not the maker
 * certificate's, SES_INPUT for a holder certificate that is not SM2, no holder, or an empty validity window.
 */
export function makeSeal(input: MakeSealInput): Uint8Array {
  const makerKey = certificateKey(input.makerCertificate, "maker certificate");
  if (makerKey !== input.makerKey.publicKeyHex.toLowerCase())
    throw new SesError("SES_KEY_MISMATCH", "the maker key does not belong to the maker certificate");
  if (input.holderCertificates.length === 0) throw new SesError("SES_INPUT", "a seal names at least one holder");
  for (const [i, c] of input.holderCertificates.entries()) certificateKey(c, `holder certificate ${i + 1}`);
  if (!(input.validEnd.getTime() > input.validStart.getTime()))
    throw new SesError("SES_INPUT", "validEnd must be after validStart");
  const sealInfo = encodeSealInfo({
    vid: input.vid ?? "JIEXU",
    esId: input.esId ?? defaultEsId(input),
    type: input.type ?? 1,
    name: input.name,
    holderCertificates: input.holderCertificates,
    createdAt: input.createdAt,
    validStart: input.validStart,
    validEnd: input.validEnd,
    picture: input.picture,
  });
  return encodeSeal(sealInfo, input.makerCertificate, signSm2(sealInfo, input.makerKey));
}

/** What an SESeal says (not verified: verifySesSeal does that). Throws SesError SES_FORMAT. */
export function readSeal(sealDer: Uint8Array): SealSummary {
  return summarizeSeal(parseSeal(sealDer));
}

/** The SM2 key (point hex) a certificate certifies, or SES_INPUT. */
function certificateKey(der: Uint8Array, what: string): string {
  try {
    // certInfo (cached) holds the key; re-reading the SPKI only gives a non-SM2 certificate its KeyError.
    return (certInfo(der).sm2Key ?? sm2KeyOfCertificate(der)).publicKeyHex.toLowerCase();
  } catch (err) {
    if (err instanceof KeyError || err instanceof DerError)
      throw new SesError("SES_INPUT", `${what} is not an SM2 X.509 certificate: ${err.message}`, { cause: err });
    throw err;
  }
}

/** `<agency id or 0><yyyymmdd><4 hex>`: ASCII, unique enough per holder and day (real ids are 14 digits). */
function defaultEsId(input: MakeSealInput): string {
  const holder = input.holderCertificates[0]!;
  const agency = certInfo(holder).agencyIds[0] ?? "0";
  const day = input.createdAt.toISOString().slice(0, 10).replace(/-/g, "");
  const tag = sha256Hex(
    new TextEncoder().encode(`${sha256Hex(holder)}:${input.createdAt.toISOString()}:${input.name}`),
  );
  return `${agency.replace(/[^\x21-\x7e]/g, "")}${day}${tag.slice(0, 4).toUpperCase()}`;
}
