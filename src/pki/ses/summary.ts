import { sha256Hex } from "../certificate.ts";
import type { ParsedSeal } from "./parse.ts";

/** What a seal says about itself, for reports, the CLI and the gateway (dates as ISO 8601, digests as hex). */
export interface SealSummary {
  esId: string;
  name: string;
  vid: string;
  type: number;
  version: number;
  /** SHA-256 of the seal maker's certificate. */
  makerSha256: string;
  /** SHA-256 of each holder certificate (certListType 1; empty for a digest list). */
  holderSha256: string[];
  validStart: string;
  validEnd: string;
  createdAt: string;
  picture: { type: string; widthMm: number; heightMm: number; sha256: string };
}

export function summarizeSeal(seal: ParsedSeal): SealSummary {
  return {
    esId: seal.esId,
    name: seal.name,
    vid: seal.vid,
    type: seal.type,
    version: seal.version,
    makerSha256: sha256Hex(seal.makerCertificate),
    holderSha256: seal.holders.map(sha256Hex),
    validStart: seal.validStart.toISOString(),
    validEnd: seal.validEnd.toISOString(),
    createdAt: seal.createdAt.toISOString(),
    picture: {
      type: seal.picture.type,
      widthMm: seal.picture.widthMm,
      heightMm: seal.picture.heightMm,
      sha256: sha256Hex(seal.picture.data),
    },
  };
}
