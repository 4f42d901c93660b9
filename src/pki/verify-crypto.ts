import type { CertInfo } from "./certificate.ts";
import type { ParsedSignedData, ParsedSignerInfo } from "./cms-parse.ts";
import { bytesEqual, sameBytes } from "../domain/bytes.ts";
import { Tag, readTlv, valueOf } from "./der.ts";
import { digestBytes } from "./digest.ts";
import { OID, type HashAlgorithm } from "./oids.ts";
import { failed, passed, type Check } from "./report.ts";
import { verifySignatureValue } from "./signature.ts";

/** CV: the content is at hand and matches the message-digest, and the signature value verifies. */
export function cryptographicChecks(
  content: Uint8Array | undefined,
  sd: ParsedSignedData,
  si: ParsedSignerInfo,
  signer: CertInfo,
  hash: HashAlgorithm,
  checks: Check[],
): void {
  if (sd.eContent && content && !sameBytes(sd.eContent, content)) {
    checks.push(
      failed(
        "CV.content",
        "TOTAL_FAILED",
        "HASH_FAILURE",
        "the supplied content differs from the encapsulated content",
      ),
    );
  } else if (!sd.eContent && !content) {
    checks.push(
      failed("CV.content", "INDETERMINATE", "SIGNED_DATA_NOT_FOUND", "detached seal and no content supplied"),
    );
  } else checks.push(messageDigestCheck(si, (sd.eContent ?? content)!, hash));
  checks.push(signatureCheck(si, signer, hash));
}

function messageDigestCheck(si: ParsedSignerInfo, data: Uint8Array, hash: HashAlgorithm): Check {
  const id = "CV.message-digest";
  const values = si.attributes.get(OID.messageDigest);
  if (values?.length !== 1 || si.repeatedAttributes.includes(OID.messageDigest)) {
    return failed(id, "TOTAL_FAILED", "FORMAT_FAILURE", "message-digest attribute missing or repeated");
  }
  const v = values[0]!;
  const t = readTlv(v, 0);
  const claimed = t.tag === Tag.OCTET_STRING ? valueOf(v, t) : new Uint8Array();
  const actual = digestBytes(hash, data);
  if (!bytesEqual(claimed, actual)) {
    return failed(
      id,
      "TOTAL_FAILED",
      "HASH_FAILURE",
      `${hash} of the content does not match the signed message-digest`,
    );
  }
  return passed(id, `${hash} of the content matches`);
}

function signatureCheck(si: ParsedSignerInfo, signer: CertInfo, hash: HashAlgorithm): Check {
  const r = verifySignatureValue(si, signer, hash);
  return r.ok
    ? passed("CV.signature", r.detail)
    : failed("CV.signature", "TOTAL_FAILED", "SIG_CRYPTO_FAILURE", r.detail);
}
