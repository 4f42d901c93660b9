import {
  SesError,
  createSealVerifier,
  detectSealFormat,
  readSeal,
  verifySeal,
  type VerificationReport,
} from "../../pki/index.ts";
import { createCalendar } from "../../domain/calendar/index.ts";
import { verifySealedUpload } from "../../usecases/index.ts";
import { EXIT, UsageError, type CliIo } from "../io.ts";
import { parseCommand, usageText, type CommandSpec } from "../spec.ts";
import { verifyInputs } from "./verify-options.ts";
import { readSealInput, type SealInput } from "./verify-input.ts";

export const SPEC = {
  name: "verify",
  usage: [
    "verify [--content FILE] --seal FILE.p7s|SIG.der --trust ROOT.pem [--trust …] [--maker-trust ROOT.pem]… [--chain PEM]… [--crl FILE]… [--at ISO] [--revocation required|optional] [--json]",
    "verify --seal SEALED.json|VOUCHER.pdf --trust ROOT.pem [options as above]",
  ],
  about: [
    "Verify a seal and print a DSS-style report (indication, signer, checks). --seal takes:",
    "  a detached .p7s (DER or PEM) with --content FILE, the exact bytes it seals, or an attached one alone;",
    "  a GB/T 38540 SES signature (SES_Signature, `jiexu seal --format ses`) with --content FILE: told apart",
    "    by its shape; the seal inside it is checked too (maker signature, maker chain, seal validity);",
    "  the gateway's sealed-document JSON { document, seal } (as the API answers and evidence packs hold it):",
    "    the seal covers the document's canonical (JCS) bytes, so no --content;",
    "  a printed PDF (a voucher or any printed document): the sealed original attached to it is verified.",
  ],
  options: {
    content: { type: "string" },
    seal: { type: "string" },
    trust: { type: "string", multiple: true },
    "maker-trust": { type: "string", multiple: true },
    chain: { type: "string", multiple: true },
    crl: { type: "string", multiple: true },
    at: { type: "string" },
    json: { type: "boolean" },
    revocation: { type: "string" },
  },
  optionHelp: [
    ["--seal FILE", "the seal: .p7s, SES signature, sealed-document JSON or printed PDF"],
    ["--content FILE", "the bytes a detached .p7s or an SES signature covers"],
    ["--trust ROOT.pem", "trust anchor(s) (repeatable; a PEM may hold several)"],
    [
      "--maker-trust ROOT.pem",
      "SES seal-maker (制章者) anchor(s) (repeatable; without it a maker needs SAN urn:jiexu:seal-maker)",
    ],
    ["--chain PEM", "intermediate CA certificates the seal does not carry (SES carries the signer's alone)"],
    ["--crl FILE", "CRLs, DER or PEM (repeatable)"],
    ["--at ISO", "validation time (default now)"],
    ["--revocation R", "required (default: no CRL = INDETERMINATE) or optional"],
    ["--json", "print the report as JSON"],
  ],
  exits: [
    [EXIT.OK, "TOTAL_PASSED"],
    [EXIT.FAILED, "TOTAL_FAILED"],
    [EXIT.INDETERMINATE, "INDETERMINATE (e.g. no CRL, unknown signer)"],
    [
      EXIT.DATAERR,
      "--seal is a JSON or PDF without a usable sealed document, or an SES seal rather than a signature (SES_NOT_SIGNATURE)",
    ],
    [EXIT.NOINPUT, "a file cannot be read"],
  ],
} satisfies CommandSpec;

/** Exit codes of the three indications. */
export const INDICATION_EXIT = {
  TOTAL_PASSED: EXIT.OK,
  TOTAL_FAILED: EXIT.FAILED,
  INDETERMINATE: EXIT.INDETERMINATE,
} as const;

export async function run(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values } = parsed;
  if (!values.seal || !values.trust?.length)
    throw new UsageError(`--seal and --trust are required\n${usageText(SPEC)}`);
  const { trust, makerTrust, crls, at, policy } = verifyInputs(values);

  const input = await readSealInput(values.seal, values.content);
  if (input.kind === "p7s") refuseBareSeal(input.cms, values.seal);
  const report =
    input.kind === "p7s"
      ? // verifySeal tells a CAdES SignedData from a GB/T 38540 SES_Signature by its shape.
        verifySeal(input.content, input.cms, { trust, makerTrust, crls, at, policy })
      : verifySealedUpload(
          // The gateway's own verifier: a receipt is checked under the receipt policy, as the gateway does.
          {
            calendar: createCalendar(),
            clock: { now: () => at },
            verifier: createSealVerifier({ trust, crls: () => crls, policy, ...(makerTrust ? { makerTrust } : {}) }),
          },
          input.sealed,
          at,
        ).report;
  io.out(values.json ? JSON.stringify(report, null, 2) : [...describeInput(input), renderReport(report)].join("\n"));
  return INDICATION_EXIT[report.indication];
}

/** A bare SESeal is no signature over anything (FC.ses-structure would say only "malformed"): point to verify-seal. */
function refuseBareSeal(der: Uint8Array, path: string): void {
  if (detectSealFormat(der) !== "ses") return;
  try {
    readSeal(der);
  } catch {
    return; // not a seal: the SES_Signature verifier reports what it is
  }
  throw new SesError(
    "SES_NOT_SIGNATURE",
    `${path} is a GB/T 38540 electronic seal (SESeal), not a signature: \`jiexu ses verify-seal ${path}\` checks it`,
  );
}

function describeInput(input: SealInput): string[] {
  if (input.kind === "p7s") return [];
  const d = input.sealed.document;
  const text = (k: string) => (typeof d[k] === "string" ? (d[k] as string) : "?");
  const from = input.kind === "pdf" ? "the original attached to the PDF" : "a sealed-document JSON";
  return [`${from}: ${text("type")} ${text("id")} (${text("from")} → ${text("to")})`];
}

const MARK = { PASSED: "✓", FAILED: "✗", WARNING: "!", SKIPPED: "-" } as const;

export function renderReport(r: VerificationReport): string {
  const lines = [`${r.indication}${r.subIndication ? ` / ${r.subIndication}` : ""}`];
  if (r.format === "ses") lines.push("format:          GB/T 38540-2020 electronic seal (SES, SM3withSM2)");
  if (r.seal)
    lines.push(
      `seal:            ${r.seal.name} (esID ${r.seal.esId}, vendor ${r.seal.vid}, type ${r.seal.type}, v${r.seal.version})`,
      `  valid:         ${r.seal.validStart} – ${r.seal.validEnd}`,
      `  maker:         certificate sha256 ${r.seal.makerSha256}`,
      ...r.seal.holderSha256.map((h) => `  holder:        certificate sha256 ${h}`),
    );
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
