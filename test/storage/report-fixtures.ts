import type { VerificationReport } from "../../src/pki/report.ts";

/**
 * Verification reports shaped like the verifier's (src/pki/verify-seal.ts): the validation time appears in
 * `validationTime` and in every "valid at …" detail, the signing time in `signingTime` and in its check.
 */
export function signerReport(
  signer: string,
  validationTime: string,
  signingTime: string | undefined,
  indication: "TOTAL_PASSED" | "TOTAL_FAILED" | "INDETERMINATE" = "TOTAL_PASSED",
): VerificationReport {
  const subject = `C=CN, ST=浙江省, O=${signer} (JIEXU DEVELOPMENT ONLY), CN=${signer}`;
  const failed = indication !== "TOTAL_PASSED";
  return {
    indication,
    ...(failed ? { subIndication: "REVOKED_NO_POE" } : {}),
    validationTime,
    checks: [
      {
        id: "FC.structure",
        status: "PASSED",
        detail: "CMS SignedData, detached content, one signer, 2 certificate(s)",
      },
      { id: "ISC.signer-certificate", status: "PASSED", detail: `${subject} (serial 75fc5ac62635daee)` },
      {
        id: `RFC.revocation[${subject}]`,
        status: failed ? "FAILED" : "PASSED",
        detail: failed
          ? `revoked at 2026-01-01T00:00:00.000Z, before ${validationTime}`
          : "not revoked per CRL of 2026-12-01T12:19:20.000Z (next update 2027-03-01T13:19:20.000Z)",
      },
      {
        id: `XCV.validity[${subject}]`,
        status: "PASSED",
        detail: `valid at ${validationTime} (2026-12-01T12:19:20.000Z – 2028-12-01T13:19:20.000Z)`,
      },
      { id: "CV.signature", status: "PASSED", detail: "ECDSA prime256v1 with sha256: signature value verifies" },
      ...(signingTime === undefined
        ? []
        : [
            {
              id: "SAV.signing-time",
              status: "PASSED" as const,
              detail: `${signingTime}, inside the signer certificate's validity`,
            },
          ]),
    ],
    policy: { name: "jiexu-seal-2026", digest: "5ae9a47b", revocation: "required" },
    signer: {
      subject,
      issuer: "C=CN, O=JIEXU DEVELOPMENT ONLY, CN=Jiexu Issuing CA 1 (JIEXU DEVELOPMENT ONLY)",
      serialNumber: "75fc5ac62635daee",
      certificateSha256: `${signer.length}`.padStart(64, "9"),
      agencyIds: ["330000"],
      notBefore: "2026-12-01T12:19:20.000Z",
      notAfter: "2028-12-01T13:19:20.000Z",
    },
    ...(signingTime === undefined ? {} : { signingTime }),
    chain: ["96bda5de", "2b7fb878", "b5afb778"],
  } as VerificationReport;
}

/** The i-th instant after a base: distinct validation and signing times for many documents. */
export function instant(i: number, base = Date.UTC(2026, 11, 1, 13, 19, 32, 699)): string {
  return new Date(base + i * 1_013).toISOString();
}
