import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { toHex } from "../domain/bytes.ts";
import { agencyUri, crlNumberExtension, type RevokedEntry } from "./issue.ts";
import { OID } from "./oids.ts";
import { encodeSm2Spki, signSm2, type Sm2PrivateKey, type Sm2PublicKey } from "./sm2.ts";

/**
 * SM2 certificates and CRLs signed SM3withSM2 with the standard signer ID (issue 16 item 1). @peculiar/x509's
 * generators do the X.509 encoding; they are handed a crypto whose `subtle.sign` receives the TBS DER and
 * answers with an SM2 signature, and a stand-in signing key carrying the SM3withSM2 OID (the generator copies
 * the key's algorithm over the signing algorithm; an unregistered OID is written as an AlgorithmIdentifier
 * without parameters, as OpenSSL writes it). WebCrypto has no SM2, so `.create(CryptoKey)` helpers are not used.
 */

export interface Sm2Issuer {
  certificate: x509.X509Certificate;
  key: Sm2PrivateKey;
}

export interface Sm2CertificateProfile {
  subject: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** The subject's SM2 key, or any key's SubjectPublicKeyInfo DER (an SM2 CA may certify an ECDSA key). */
  publicKey: Sm2PublicKey | Uint8Array;
  /** Present for CA certificates; `pathLength` undefined means unconstrained. */
  ca?: { pathLength?: number };
  keyUsage: number;
  /** Bound as `urn:jiexu:agency:<id>` in a subjectAltName URI, as for ECDSA and RSA certificates. */
  agencyId?: string;
  uris?: string[];
  extendedKeyUsage?: string[];
}

const SIGNING_ALGORITHM = { name: OID.sm3WithSm2 };

/** Issue an SM2 certificate; without an issuer it is self-signed with `selfKey`. */
export async function issueSm2Certificate(
  profile: Sm2CertificateProfile,
  issuer: Sm2Issuer | { selfKey: Sm2PrivateKey },
): Promise<x509.X509Certificate> {
  const real = "certificate" in issuer ? issuer : undefined;
  const signer = real ? real.key : (issuer as { selfKey: Sm2PrivateKey }).selfKey;
  const spki = profile.publicKey instanceof Uint8Array ? profile.publicKey : encodeSm2Spki(profile.publicKey);
  return x509.X509CertificateGenerator.create(
    {
      serialNumber: profile.serialNumber,
      subject: profile.subject,
      issuer: real ? real.certificate.subject : profile.subject,
      notBefore: profile.notBefore,
      notAfter: profile.notAfter,
      publicKey: spki as Uint8Array<ArrayBuffer>,
      signingKey: standInKey(),
      signingAlgorithm: SIGNING_ALGORITHM,
      extensions: await extensionsFor(profile, spki, real),
    },
    sm2Crypto(signer),
  );
}

/** Issue a CRL signed by an SM2 CA (nextUpdate mandatory, reasons always set: as issue.ts). */
export async function issueSm2Crl(
  issuer: Sm2Issuer,
  params: { thisUpdate: Date; nextUpdate: Date; entries: RevokedEntry[]; crlNumber?: number },
): Promise<x509.X509Crl> {
  return x509.X509CrlGenerator.create(
    {
      issuer: issuer.certificate.subject,
      thisUpdate: params.thisUpdate,
      nextUpdate: params.nextUpdate,
      signingKey: standInKey(),
      signingAlgorithm: SIGNING_ALGORITHM,
      entries: params.entries.map((e) => ({
        serialNumber: e.serialNumber,
        revocationDate: e.revokedAt,
        reason: e.reason,
      })),
      extensions: [
        new x509.AuthorityKeyIdentifierExtension(keyIdOf(issuer.certificate)),
        ...(params.crlNumber !== undefined ? [crlNumberExtension(params.crlNumber)] : []),
      ],
    },
    sm2Crypto(issuer.key),
  );
}

async function extensionsFor(
  profile: Sm2CertificateProfile,
  spki: Uint8Array,
  issuer: Sm2Issuer | undefined,
): Promise<x509.Extension[]> {
  const exts: x509.Extension[] = [
    new x509.BasicConstraintsExtension(profile.ca !== undefined, profile.ca?.pathLength, true),
    new x509.KeyUsagesExtension(profile.keyUsage, true),
    new x509.SubjectKeyIdentifierExtension(await subjectKeyId(spki)),
  ];
  if (issuer) exts.push(new x509.AuthorityKeyIdentifierExtension(keyIdOf(issuer.certificate)));
  const uris = [...(profile.agencyId ? [agencyUri(profile.agencyId)] : []), ...(profile.uris ?? [])];
  if (uris.length)
    exts.push(new x509.SubjectAlternativeNameExtension(uris.map((value) => ({ type: "url" as const, value }))));
  if (profile.extendedKeyUsage) exts.push(new x509.ExtendedKeyUsageExtension(profile.extendedKeyUsage, false));
  return exts;
}

/** The issuer's subject key identifier (the AKI of what it signs): its SKI extension's value. */
function keyIdOf(cert: x509.X509Certificate): string {
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (!ski) throw new Error("the SM2 issuer certificate has no subject key identifier");
  return ski.keyId;
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (as x509 computes it for other keys). */
async function subjectKeyId(spki: Uint8Array): Promise<string> {
  const key = new x509.PublicKey(spki.slice().buffer);
  const id: ArrayBuffer = await key.getKeyIdentifier(globalThis.crypto);
  return toHex(new Uint8Array(id));
}

/** What the generator needs of a CryptoKey: its algorithm (copied over the signing algorithm) and usage. */
function standInKey(): CryptoKey {
  return { algorithm: SIGNING_ALGORITHM, type: "private", extractable: false, usages: ["sign"] } as CryptoKey;
}

/** A Crypto whose sign is SM2 over the TBS DER it is given; the rest is the platform's (digests, randomness). */
function sm2Crypto(key: Sm2PrivateKey): Crypto {
  const platform = globalThis.crypto;
  const subtle = {
    sign: async (_alg: unknown, _key: unknown, data: BufferSource) =>
      signSm2(new Uint8Array(data as ArrayBuffer), key).buffer as ArrayBuffer,
    digest: (alg: AlgorithmIdentifier, data: BufferSource) => platform.subtle.digest(alg, data),
  };
  return { getRandomValues: platform.getRandomValues.bind(platform), subtle } as unknown as Crypto;
}
