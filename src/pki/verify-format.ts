import { certInfo, type CertInfo } from "./certificate.ts";
import { parseSignedData, type ParsedSignedData, type ParsedSignerInfo } from "./cms-parse.ts";
import { sameBytes } from "../domain/bytes.ts";
import { failed, passed, warning, type Check } from "./report.ts";

/** What FC hands on to the later building blocks: the SignedData, its one SignerInfo, its certificates parsed. */
export interface FormattedSeal {
  sd: ParsedSignedData;
  si: ParsedSignerInfo;
  embedded: CertInfo[];
}

/**
 * FC: one SignedData with one SignerInfo carrying signed attributes, and every embedded certificate a
 * strict-DER X.509 certificate (issue 9 item 6). The gateway archives a seal exactly as received, so a
 * certificate that does not parse here would be stored and later fail the case's evidence pack: it is
 * refused at the door with FORMAT_FAILURE even when the path does not need it.
 */
export function formatChecks(cms: Uint8Array, checks: Check[]): FormattedSeal | undefined {
  let sd: ParsedSignedData;
  try {
    sd = parseSignedData(cms);
  } catch (err) {
    checks.push(
      failed("FC.structure", "TOTAL_FAILED", "FORMAT_FAILURE", `not a CMS SignedData: ${(err as Error).message}`),
    );
    return undefined;
  }
  const si = sd.signers[0];
  if (sd.signers.length !== 1 || !si) {
    checks.push(
      failed(
        "FC.structure",
        "TOTAL_FAILED",
        "FORMAT_FAILURE",
        `a seal has exactly one SignerInfo, found ${sd.signers.length}`,
      ),
    );
    return undefined;
  }
  if (!si.signedAttrsDer) {
    checks.push(failed("FC.signed-attributes", "TOTAL_FAILED", "FORMAT_FAILURE", "CAdES requires signed attributes"));
    return undefined;
  }
  const embedded: CertInfo[] = [];
  for (const [i, der] of sd.certificates.entries()) {
    try {
      embedded.push(certInfo(der));
    } catch (err) {
      checks.push(
        failed(
          "FC.certificates",
          "TOTAL_FAILED",
          "FORMAT_FAILURE",
          `embedded certificate ${i + 1} of ${sd.certificates.length} is not a DER X.509 certificate: ${(err as Error).message}`,
        ),
      );
      return undefined;
    }
  }
  checks.push(
    passed(
      "FC.structure",
      `CMS SignedData, ${sd.eContent ? "attached" : "detached"} content, one signer, ${embedded.length} certificate(s)`,
    ),
  );
  return { sd, si, embedded };
}

/**
 * Embedded certificates that are not on the validation path (byte for byte) are reported, not refused:
 * DSS ignores them too, and a seal made during a CA rollover legitimately carries the old and the new
 * issuing certificate. They parse strictly (formatChecks), so the archive can always reproduce them.
 */
export function unusedCertificates(embedded: CertInfo[], signer: CertInfo, path: CertInfo[]): Check[] {
  const out: Check[] = [];
  for (const c of embedded) {
    if (c === signer || path.some((p) => p === c || sameBytes(p.der, c.der))) continue;
    out.push(
      warning(
        "FC.unused-certificate",
        `embedded certificate '${c.subject}' (sha256 ${c.sha256}) is not on the validation path; kept as received, not relied on`,
      ),
    );
  }
  return out;
}
