import { sameBytes } from "../../domain/bytes.ts";
import type { CertInfo } from "../certificate.ts";
import { validateChain, type ChainVerdict } from "../chain.ts";
import type { ValidationPolicy } from "../policy.ts";
import { failed, passed, type Check } from "../report.ts";
import { EMPTY_REVOCATION } from "../trust.ts";
import type { VerifyOptions } from "../verify-seal.ts";
import type { SealFacts } from "./seal-checks.ts";

/**
 * The SAN URI that marks a certificate as a seal maker's (制章者) when the verifier has no seal-maker anchors
 * of its own: a certificate merely chaining to the agency roots is not allowed to make seals, or any agency
 * could make itself a seal under any name.
 */
export const SEAL_MAKER_URI = "urn:jiexu:seal-maker";

/**
 * The seal's maker (GB/T 38540-2020 §9 step 3): CV.ses-seal-signature (the maker's signature over
 * SES_SealInfo), ISC.ses-seal-maker (the maker is a recognised seal maker and not the signer or a holder), and
 * the maker's chain (validateChain's checks suffixed "[maker]"), appended to `checks`.
 * Recognised: chained to `options.makerTrust` when given (the directory's sealMakers for the sender, or the
 * verifier's configured maker anchors); else chained to `options.trust` AND carrying SAN URI SEAL_MAKER_URI.
 */
export function makerChecks(
  facts: SealFacts,
  options: VerifyOptions,
  policy: ValidationPolicy,
  checks: Check[],
  signer?: CertInfo,
): ChainVerdict {
  checks.push(
    facts.signatureOk
      ? passed("CV.ses-seal-signature", `the maker '${facts.maker.subject}' signed SES_SealInfo (SM3withSM2)`)
      : failed(
          "CV.ses-seal-signature",
          "TOTAL_FAILED",
          "SIG_CRYPTO_FAILURE",
          "the seal maker's signature over SES_SealInfo does not verify",
        ),
  );
  checks.push(makerRoleCheck(facts, options, signer));
  const key = {
    signer: facts.maker,
    trust: options.makerTrust ?? options.trust,
    crls: options.crls ?? EMPTY_REVOCATION,
    policy,
    at: options.at,
    embedded: [],
  };
  const chain = validateChain(key, () => [], options.cache);
  for (const c of chain.checks) checks.push({ ...c, id: `${c.id}[maker]` });
  return chain;
}

/**
 * ISC.ses-seal-maker. Failures are INDETERMINATE / CHAIN_CONSTRAINTS_FAILURE: the maker's certificate may be
 * valid, but it is not one allowed to make seals here (like a certificate without the required key usage).
 */
function makerRoleCheck(facts: SealFacts, options: VerifyOptions, signer?: CertInfo): Check {
  const id = "ISC.ses-seal-maker";
  const maker = facts.maker;
  const refuse = (why: string) => failed(id, "INDETERMINATE", "CHAIN_CONSTRAINTS_FAILURE", why);
  if (signer && (sameBytes(maker.der, signer.der) || sameKey(maker, signer)))
    return refuse("the seal maker's certificate is the signer's, or carries the signer's key: a self-made seal");
  if (facts.makerIsHolder)
    return refuse("the seal maker's certificate is a holder of the seal, or carries a holder's key: a self-made seal");
  if (options.makerTrust) return passed(id, `'${maker.subject}' checked against the configured seal-maker anchors`);
  if (maker.uris.includes(SEAL_MAKER_URI))
    return passed(id, `'${maker.subject}' is a seal maker (SAN ${SEAL_MAKER_URI}) under the trust anchors`);
  return refuse(
    `'${maker.subject}' is not a recognised seal maker: no seal-maker anchors are configured (jiexu --maker-trust, ` +
      `the directory's sealMakers for the sender) and its certificate lacks SAN URI ${SEAL_MAKER_URI}`,
  );
}

function sameKey(a: CertInfo, b: CertInfo): boolean {
  return a.sm2Key !== undefined && a.sm2Key.publicKeyHex === b.sm2Key?.publicKeyHex;
}
