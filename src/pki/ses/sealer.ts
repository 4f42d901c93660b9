import { signSm2, type Sm2PrivateKey } from "../sm2.ts";
import { sm3 } from "../sm2-verify.ts";
import { encodeSesSignature, encodeTbsSign } from "./encode.ts";
import { SesError } from "./errors.ts";
import { isHolder } from "./holders.ts";
import { certificateOf, sealFacts, verifierOf } from "./seal-checks.ts";

/** What an SES sealer needs: the holder's SM2 key and certificate, and the seal (SESeal DER) it signs with. */
export interface SesSealerKey {
  sm2: Sm2PrivateKey;
  certificate: Uint8Array;
  sesSeal: Uint8Array;
}

export interface SesSealer {
  seal(content: Uint8Array, signingTime: Date, options?: { attached?: boolean; propertyInfo?: string }): Uint8Array;
  readonly certificateSha256: string;
  readonly agencyIds: string[];
}

/** propertyInfo when the caller names none: ASCII, as the field is an IA5String (OFD writes a path there). */
export const DEFAULT_PROPERTY_INFO = "urn:jiexu:document";

/**
 * A GB/T 38540-2020 v4 signer (§8): TBS_Sign { 4, the seal as given, timeInfo, SM3(content), propertyInfo }
 * signed with SM2 (DER, standard signer ID) → SES_Signature. Checked once, when made: the seal reads and its
 * maker signature verifies (SES_SEAL_INVALID), the certificate is one of the seal's holders
 * (SES_SIGNER_NOT_HOLDER), and the key signs what the certificate verifies (`mismatch`, the caller's error).
 */
export function createSesSealer(key: SesSealerKey, mismatch: (message: string) => Error): SesSealer {
  const facts = sealFacts(key.sesSeal);
  if (!facts.signatureOk) throw new SesError("SES_SEAL_INVALID", "the seal maker's signature does not verify");
  const signer = certificateOf(key.certificate, "signer certificate");
  const seal = facts.parsed;
  if (!isHolder(seal, signer))
    throw new SesError("SES_SIGNER_NOT_HOLDER", `the seal certificate is not a holder of seal '${seal.esId}'`);
  const probe = new TextEncoder().encode("jiexu key check");
  if (!verifierOf(signer).verify(probe, signSm2(probe, key.sm2)))
    throw mismatch("the SM2 private key does not belong to the seal certificate");
  const sealBytes = seal.bytes;
  return {
    certificateSha256: signer.sha256,
    agencyIds: signer.agencyIds,
    seal(content, signingTime, options = {}) {
      if (options.attached) throw new SesError("SES_INPUT", "SES signatures are detached: attached content is refused");
      const t = signingTime.getTime();
      if (t < seal.validStart.getTime() || t > seal.validEnd.getTime())
        throw new SesError("SES_SEAL_INVALID", `seal '${seal.esId}' is not valid at ${signingTime.toISOString()}`);
      const tbs = encodeTbsSign(sealBytes, signingTime, sm3(content), options.propertyInfo ?? DEFAULT_PROPERTY_INFO);
      return encodeSesSignature(tbs, key.certificate, signSm2(tbs, key.sm2));
    },
  };
}
