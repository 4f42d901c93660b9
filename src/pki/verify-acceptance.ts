import type { CertInfo } from "./certificate.ts";
import type { ParsedSignerInfo } from "./cms-parse.ts";
import { DerError, decodeOid, decodeTime, readTlv } from "./der.ts";
import { OID, type HashAlgorithm } from "./oids.ts";
import type { ValidationPolicy } from "./policy.ts";
import { failed, passed, type Check } from "./report.ts";

/** SAV: a digest algorithm the policy accepts (DSS checks these among the signature's cryptographic constraints). */
export function digestAlgorithmCheck(
  id: string,
  oid: string,
  hash: HashAlgorithm | undefined,
  policy: ValidationPolicy,
): Check {
  if (!hash || !policy.acceptedDigests.includes(hash))
    return failed(id, "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE", `digest algorithm ${hash ?? oid} is not accepted`);
  return passed(id, hash);
}

export function contentTypeCheck(si: ParsedSignerInfo, eContentType: string): Check {
  const id = "SAV.content-type";
  const values = si.attributes.get(OID.contentType);
  if (values?.length !== 1)
    return failed(id, "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", "content-type attribute missing");
  try {
    const oid = decodeOid(values[0]!, readTlv(values[0]!, 0));
    if (oid !== eContentType)
      return failed(
        id,
        "INDETERMINATE",
        "SIG_CONSTRAINTS_FAILURE",
        `content-type ${oid} differs from eContentType ${eContentType} (RFC 5652 §11.1)`,
      );
    return passed(id, `content-type ${oid}`);
  } catch (err) {
    return failed(id, "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", `malformed content-type: ${(err as Error).message}`);
  }
}

export function signingTimeCheck(
  si: ParsedSignerInfo,
  signer: CertInfo,
  at: Date,
  policy: ValidationPolicy,
  checks: Check[],
): Date | undefined {
  const id = "SAV.signing-time";
  const values = si.attributes.get(OID.signingTime);
  let time: Date;
  try {
    if (values?.length !== 1) throw new DerError("signing-time attribute missing");
    time = decodeTime(values[0]!, readTlv(values[0]!, 0));
  } catch (err) {
    checks.push(failed(id, "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", (err as Error).message));
    return undefined;
  }
  const t = time.getTime();
  if (t < signer.notBefore.getTime() || t > signer.notAfter.getTime()) {
    checks.push(
      failed(
        id,
        "INDETERMINATE",
        "SIG_CONSTRAINTS_FAILURE",
        `signing-time ${time.toISOString()} is outside the signer certificate's validity`,
      ),
    );
  } else if (t > at.getTime() + policy.maxClockSkewSeconds * 1000) {
    checks.push(
      failed(
        id,
        "INDETERMINATE",
        "SIG_CONSTRAINTS_FAILURE",
        `signing-time ${time.toISOString()} is after the validation time`,
      ),
    );
  } else checks.push(passed(id, `${time.toISOString()}, inside the signer certificate's validity`));
  return time;
}
