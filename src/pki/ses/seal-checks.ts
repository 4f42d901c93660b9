import { certInfo, sha256Hex, type CertInfo } from "../certificate.ts";
import { DerError } from "../der.ts";
import { KeyError } from "../key-error.ts";
import { failed, passed, type Check } from "../report.ts";
import { sm2KeyOfCertificate } from "../sm2.ts";
import { createSm2Verifier, type Sm2Verifier } from "../sm2-verify.ts";
import { SesError } from "./errors.ts";
import { isHolder } from "./holders.ts";
import { SizedLru } from "./seal-cache.ts";
import { isSm3WithSm2, parseSeal, type ParsedSeal } from "./parse.ts";
import { summarizeSeal, type SealSummary } from "./summary.ts";

/**
 * The seal's own verification (GB/T 38540 §9 step 3, 印章有效性): the maker's SM2 signature over
 * SES_SealInfo, the maker's certificate chain, the seal's validity window. What depends on the seal's bytes
 * alone — its parse, its summary, whether the maker's signature verifies — is kept per seal, keyed by the
 * SHA-256 of its bytes: a gateway sees the same few seals on every document, so a known seal costs a hash,
 * and the maker chain comes from the verifier's VerdictCache (trust store, policy and CRL generation).
 */
export interface SealFacts {
  parsed: ParsedSeal;
  summary: SealSummary;
  maker: CertInfo;
  signatureOk: boolean;
  /** The maker's certificate is one of the seal's holders, or carries a holder's SM2 key (a self-made seal). */
  makerIsHolder: boolean;
}

/** Bounded by entries and by bytes (seals carry their picture: a few KB to ~100 KB; workerd has 128 MB). */
const sealCache = new SizedLru<SealFacts>(1024, 16 * 1024 * 1024);

/** The facts of a seal, from the cache or computed; throws SesError SES_FORMAT for a seal this engine cannot read. */
export function sealFacts(bytes: Uint8Array): SealFacts {
  const key = sha256Hex(bytes);
  const hit = sealCache.get(key);
  if (hit) return hit;
  const parsed = parseSeal(bytes.slice()); // a copy: the cache must not alias a caller's buffer
  if (!isSm3WithSm2(parsed.signatureAlgorithm))
    throw new SesError("SES_FORMAT", `seal signAlgID ${parsed.signatureAlgorithm} is not SM3withSM2`, {
      reason: "SES_UNSUPPORTED_ALGORITHM",
    });
  const maker = certificateOf(parsed.makerCertificate, "seal maker certificate");
  const facts = {
    parsed,
    summary: summarizeSeal(parsed),
    maker,
    signatureOk: verifierOf(maker).verify(parsed.sealInfoBytes, parsed.signature),
    makerIsHolder: isHolder(parsed, maker) || parsed.holders.some((h) => sameKeyAs(maker, h)),
  };
  // Only seals whose maker signature verifies are kept: hostile seals must not evict the gateway's known ones.
  if (facts.signatureOk) sealCache.set(key, facts, parsed.bytes.length);
  return facts;
}

/** Whether the holder certificate `der` (as the seal lists it) carries the maker's SM2 key. */
function sameKeyAs(maker: CertInfo, der: Uint8Array): boolean {
  try {
    return sm2KeyOfCertificate(der).publicKeyHex === maker.sm2Key?.publicKeyHex;
  } catch {
    return false; // not an SM2 certificate: not the maker's key
  }
}

/** Whether the facts of this seal are kept (tests: a seal whose maker signature fails never is). */
export function isSealCached(bytes: Uint8Array): boolean {
  return sealCache.has(sha256Hex(bytes));
}

/** A strict-DER certificate with an SM2 key; SesError SES_FORMAT otherwise (FC: the seal is unusable). */
export function certificateOf(der: Uint8Array, what: string): CertInfo {
  try {
    const info = certInfo(der);
    if (!info.sm2Key)
      throw new SesError("SES_FORMAT", `${what}: a ${info.keyType} key, not SM2`, { reason: "SES_BAD_CERTIFICATE" });
    return info; // certInfo has refused an SM2 key that is not a point on the curve (DerError, below)
  } catch (err) {
    if (err instanceof DerError || err instanceof KeyError)
      throw new SesError("SES_FORMAT", `${what}: ${err.message}`, { cause: err, reason: "SES_BAD_CERTIFICATE" });
    throw err;
  }
}

const verifiers = new WeakMap<CertInfo, Sm2Verifier>();

/** The certificate's SM2 verifier, its point precomputed and Z computed once per certificate. */
export function verifierOf(cert: CertInfo): Sm2Verifier {
  let v = verifiers.get(cert);
  if (!v) verifiers.set(cert, (v = createSm2Verifier(cert.sm2Key ?? sm2KeyOfCertificate(cert.der))));
  return v;
}

/** SAV.ses-seal-validity: `t` (the signing time, or the validation time for a seal alone) inside the window. */
export function sealValidityCheck(seal: ParsedSeal, t: Date, what: string, id = "SAV.ses-seal-validity"): Check {
  const span = `${seal.validStart.toISOString()} – ${seal.validEnd.toISOString()}`;
  const ms = t.getTime();
  if (ms < seal.validStart.getTime() || ms > seal.validEnd.getTime())
    return failed(
      id,
      "INDETERMINATE",
      "SIG_CONSTRAINTS_FAILURE",
      `seal not valid at ${what} ${t.toISOString()} (${span})`,
    );
  return passed(id, `seal valid at ${what} ${t.toISOString()} (${span})`);
}

/** FC.ses-extensions: critical extDatas this engine does not process make the structure unusable (fail closed). */
export function extensionsCheck(exts: { oid: string; critical: boolean }[], where: string): Check | undefined {
  const critical = exts.filter((e) => e.critical).map((e) => e.oid);
  if (!critical.length) return undefined;
  return failed(
    "FC.ses-extensions",
    "TOTAL_FAILED",
    "FORMAT_FAILURE",
    `unprocessed critical extension(s) in ${where}: ${critical.join(", ")}`,
  );
}
