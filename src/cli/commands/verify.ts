import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  DEFAULT_POLICY,
  OFFLINE_DEV_POLICY,
  createRevocationStore,
  createTrustStore,
  decodeCrlFile,
  decodeSealFile,
  loadCertificates,
  verifySeal,
  type VerificationReport,
} from "../../pki/index.ts";
import { UsageError, type CliIo } from "../io.ts";

const USAGE =
  "usage: jiexu verify [--content FILE] --seal FILE.p7s --trust ROOT.pem [--trust …] [--crl FILE]… [--at ISO] [--revocation required|optional] [--json]";

/** Exit codes: 0 TOTAL_PASSED, 1 TOTAL_FAILED, 2 INDETERMINATE, 64 usage error. */
const EXIT = { TOTAL_PASSED: 0, TOTAL_FAILED: 1, INDETERMINATE: 2 } as const;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      content: { type: "string" },
      seal: { type: "string" },
      trust: { type: "string", multiple: true },
      crl: { type: "string", multiple: true },
      at: { type: "string" },
      json: { type: "boolean" },
      revocation: { type: "string" },
    },
  });
  if (!values.seal || !values.trust?.length) throw new UsageError(USAGE);
  if (values.revocation && values.revocation !== "required" && values.revocation !== "optional")
    throw new UsageError("--revocation is required or optional");
  const at = values.at ? new Date(values.at) : new Date();
  if (Number.isNaN(at.getTime())) throw new UsageError(`--at is not an ISO date: ${values.at}`);

  const cms = decodeSealFile(readFileSync(values.seal));
  const content = values.content ? new Uint8Array(readFileSync(values.content)) : undefined;
  const trust = createTrustStore(values.trust.flatMap((f) => loadCertificates(readFileSync(f))));
  const crls = createRevocationStore((values.crl ?? []).flatMap((f) => decodeCrlFile(readFileSync(f))));
  const policy = values.revocation === "optional" ? OFFLINE_DEV_POLICY : DEFAULT_POLICY;
  const report = verifySeal(content, cms ?? new Uint8Array(), { trust, crls, at, policy });
  io.out(values.json ? JSON.stringify(report, null, 2) : renderReport(report));
  return EXIT[report.indication];
}

const MARK = { PASSED: "✓", FAILED: "✗", WARNING: "!", SKIPPED: "-" } as const;

export function renderReport(r: VerificationReport): string {
  const lines = [`${r.indication}${r.subIndication ? ` / ${r.subIndication}` : ""}`];
  if (r.signer) {
    const agency = r.signer.agencyIds.length ? ` (agency ${r.signer.agencyIds.join(", ")})` : "";
    lines.push(
      `signer:          ${r.signer.subject}${agency}`,
      `  issuer:        ${r.signer.issuer}`,
      `  serial:        ${r.signer.serialNumber}`,
      `  sha256:        ${r.signer.certificateSha256}`,
    );
  }
  if (r.signingTime) lines.push(`signing time:    ${r.signingTime} (claimed by the signer)`);
  lines.push(
    `validation time: ${r.validationTime}`,
    `policy:          ${r.policy.name} (revocation ${r.policy.revocation}, sha256 ${r.policy.digest.slice(0, 16)}…)`,
    "checks:",
  );
  for (const c of r.checks) {
    const verdict = c.status === "FAILED" ? `  [${c.indication}/${c.subIndication}]` : "";
    lines.push(`  ${MARK[c.status]} ${c.status.padEnd(7)} ${c.id}: ${c.detail}${verdict}`);
  }
  return lines.join("\n");
}
