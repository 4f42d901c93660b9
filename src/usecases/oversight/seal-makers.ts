import type { Directory, DirectoryProblem, SealFormatName } from "../../domain/directory/index.ts";
import { agencyEntry, sealFormatsOf } from "../../domain/directory/index.ts";
import { fromBase64, utf8 } from "../../domain/bytes.ts";
import { loadCertificates } from "../../pki/index.ts";

/**
 * What the directory says about the seals of one agency's documents (issue 16 item 4; docs/national-seal.md):
 * the formats it seals in and, for SES, the trust anchors of its seal makers (制章者). Absent makers: the
 * receiving gateway's own trust anchors verify the seal maker's chain, as they verify every other chain.
 */
export interface SealProfile {
  formats: readonly SealFormatName[];
  /** DER certificates; absent when the listing names none. */
  makers?: readonly Uint8Array[];
}

/** One `sealMakers` entry as DER: a PEM text (exactly one certificate) or the base64 of one DER certificate. */
export function decodeSealMaker(text: string): Uint8Array {
  const pem = text.startsWith("-----BEGIN");
  const bytes = pem ? utf8(text) : fromBase64(text);
  if (!bytes) throw new RangeError("neither PEM nor canonical base64");
  const ders = loadCertificates(bytes);
  if (ders.length !== 1) throw new RangeError(`${ders.length} certificates where one is expected`);
  return ders[0]!;
}

/** Entries of `sealMakers` that are not one readable certificate: a directory listing one is refused. */
export function sealMakerProblems(directory: Directory): DirectoryProblem[] {
  return directory.agencies.flatMap((a, i) =>
    (a.sealMakers ?? []).flatMap((text, j) => {
      try {
        decodeSealMaker(text);
        return [];
      } catch (err) {
        const message = `not a usable seal-maker certificate: ${(err as Error).message}`;
        return [{ path: `/agencies/${i}/sealMakers/${j}`, message }];
      }
    }),
  );
}

/**
 * The seal profile of every listed agency, decoded once per accepted directory (the makers' DER arrays
 * keep their identity, so the verifier can cache the trust store it builds from them).
 */
export function sealProfiles(directory: Directory): Map<string, SealProfile> {
  const profiles = new Map<string, SealProfile>();
  for (const a of directory.agencies) {
    const entry = agencyEntry(directory, a.id)!;
    profiles.set(a.id, {
      formats: sealFormatsOf(entry),
      ...(entry.sealMakers ? { makers: entry.sealMakers.map(decodeSealMaker) } : {}),
    });
  }
  return profiles;
}
