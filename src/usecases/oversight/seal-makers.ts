import type { Directory, DirectoryProblem } from "../../domain/directory/index.ts";
import { agencyEntry, sealFormatsOf } from "../../domain/directory/index.ts";
import { fromBase64, utf8 } from "../../domain/bytes.ts";
import { loadCertificates } from "../../pki/index.ts";
import type { SealProfile } from "../ports.ts";

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
