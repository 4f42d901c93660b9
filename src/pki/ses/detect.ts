import { Tag, decodeOid, readTlv } from "../der.ts";
import { OID } from "../oids.ts";
import { GMT0010_SIGNED_DATA } from "./errors.ts";

export type SealFormat = "cades" | "ses" | "unknown";

/**
 * Which kind of seal `der` is, by its shape (research note §1.3, as ofdrw's VersionParser tells them):
 * a ContentInfo naming signedData is CAdES; a SEQUENCE whose first element is a SEQUENCE (TBS_Sign) is an
 * SES_Signature (any version: verification reports v1 and v5 as unsupported). Never throws.
 */
export function detectSealFormat(der: Uint8Array): SealFormat {
  const first = firstElement(der);
  if (first?.tag === Tag.SEQUENCE) return "ses";
  if (first?.tag === Tag.OID && first.oid === OID.signedData) return "cades";
  return "unknown";
}

/** What verifySeal hands to the SES verifier: SES-shaped, or GM/T 0010 PKCS#7 (refused there with its reason). */
export function isSesShaped(der: Uint8Array): boolean {
  const first = firstElement(der);
  return first?.tag === Tag.SEQUENCE || (first?.tag === Tag.OID && first.oid === GMT0010_SIGNED_DATA);
}

function firstElement(der: Uint8Array): { tag: number; oid?: string } | undefined {
  try {
    const top = readTlv(der, 0);
    if (top.tag !== Tag.SEQUENCE) return undefined;
    const first = readTlv(der, top.valueStart, top.end);
    return first.tag === Tag.OID ? { tag: first.tag, oid: decodeOid(der, first) } : { tag: first.tag };
  } catch {
    return undefined;
  }
}
