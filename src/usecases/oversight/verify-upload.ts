import { validateDocument, type ValidationResult } from "../../domain/documents/index.ts";
import { maskIdNumber, maskPersonName } from "../../domain/identifiers/index.ts";
import { bytesToBase64, certInfo, decodeSealFile, type VerificationReport } from "../../pki/index.ts";
import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import { createKeyedLimiter, type RateLimit } from "../rate-limit.ts";
import { isObject } from "../archive/index.ts";
import { PACK_INFLATE_FACTOR, verifyEvidencePack, type PackReport } from "../evidence/index.ts";
import { sealedFromPdf } from "../print/index.ts";
import { verifySealedUpload } from "./compliance.ts";

/**
 * The compliance page's one upload (issue 13 item 3): whatever the visitor holds — a sealed document JSON, a
 * detached .p7s (or a GB/T 38540 SES_Signature, `.ses`: the same kind, the verifier tells the formats apart) with its content, a printed PDF (its attached sealed original), or an evidence pack — is told
 * apart by its bytes and verified with the same verifier as the API. Nothing is stored.
 */
export type UploadKind = "sealed-json" | "p7s" | "pdf" | "evidence-pack";
export type UploadVerdict = "passed" | "failed" | "indeterminate";

export type VerifiedUpload =
  | {
      kind: "sealed-json" | "p7s" | "pdf";
      verdict: UploadVerdict;
      report: VerificationReport;
      /** The document checks; absent when the content is not JSON (a .p7s over other bytes). */
      validation?: ValidationResult;
      document?: { id?: string; type?: string; from?: string; to?: string };
      /** What a reader compares with paper: the verified original's key facts, the person masked. */
      facts?: DocumentFacts;
    }
  | {
      kind: "evidence-pack";
      verdict: UploadVerdict;
      pack: PackReport;
      /** The anchors and checkpoint key the pack was verified with: this gateway's own, or the pack's. */
      anchors: { source: "gateway" | "pack"; subjects: string[] };
      key: { source: "gateway" | "pack"; vkey?: string };
    };

export interface DocumentFacts {
  issuedAt?: string;
  issuer?: string;
  person?: { name: string; idNumber: string };
  /** A voucher's 个人账户储存额 (fen) and paid months. */
  personalAccountFen?: number;
  paidMonths?: number;
}

export type VerifyUploadDeps = Pick<
  GatewayDeps,
  "calendar" | "clock" | "verifier" | "printer" | "trustMaterial" | "archiveSigner" | "limits"
>;

/** An uploaded pack holds one case: a few hundred entries at most, so this many is no honest pack. */
const MAX_PACK_ENTRIES = 10_000;

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP = [0x50, 0x4b, 0x03, 0x04]; // PK\3\4

export function detectUpload(bytes: Uint8Array): UploadKind | "content" {
  return classify(bytes).kind;
}

/** The upload's kind, with the JSON it parsed when it is a sealed document (parsed once per upload). */
function classify(bytes: Uint8Array): { kind: UploadKind | "content"; json?: unknown } {
  const starts = (magic: number[]) => magic.every((b, i) => bytes[i] === b);
  if (starts(PDF)) return { kind: "pdf" };
  if (starts(ZIP)) return { kind: "evidence-pack" };
  const json = parseJson(bytes);
  if (isObject(json) && "document" in json && "seal" in json) return { kind: "sealed-json", json };
  if (decodeSealFile(bytes)) return { kind: "p7s" };
  return { kind: "content" };
}

/** Verifying costs CPU (seals, a PDF, a pack) and the page is public: a generous bucket per client. */
export const VERIFY_LIMIT: RateLimit = { burst: 30, perSecond: 1 / 2 };
const admitUpload = createKeyedLimiter(VERIFY_LIMIT, "verifications");

/**
 * Verify one upload; `content` is the file a detached .p7s covers (either file may come first). `client` (the
 * caller's address at the edge) is charged a token first: past the bucket, RATE_LIMITED.
 */
export async function verifyUpload(
  deps: VerifyUploadDeps,
  upload: { file: Uint8Array; content?: Uint8Array | undefined; client: string },
): Promise<VerifiedUpload> {
  admitUpload(deps, upload.client);
  let { file, content } = upload;
  let classified = classify(file);
  if (content && classified.kind === "content" && detectUpload(content) === "p7s") {
    [file, content] = [content, file];
    classified = { kind: "p7s" };
  }
  switch (classified.kind) {
    case "pdf":
      return sealed("pdf", deps, await sealedFromPdf(deps, file));
    case "sealed-json":
      return sealed("sealed-json", deps, classified.json);
    case "evidence-pack":
      return verifyPack(deps, file);
    case "p7s":
      if (!content) throw new GatewayError("REQUEST_INVALID", "a detached .p7s needs the content file it seals");
      return detached(deps, decodeSealFile(file)!, content);
    default:
      throw new GatewayError("REQUEST_INVALID", "not a sealed document, .p7s, PDF or evidence pack");
  }
}

function sealed(kind: "sealed-json" | "pdf", deps: VerifyUploadDeps, value: unknown): VerifiedUpload {
  const { report, validation } = verifySealedUpload(deps, value);
  const document = (value as { document: Record<string, unknown> }).document;
  return {
    kind,
    verdict: verdictOf(report),
    report,
    validation,
    document: envelopeOf(document),
    facts: factsOf(document),
  };
}

/** The key facts of a document, read from what the seal covers (never from the printed page). */
function factsOf(document: Record<string, unknown>): DocumentFacts {
  const body = isObject(document.body) ? document.body : {};
  const person = isObject(body.person) ? body.person : undefined;
  const issuer = isObject(body.issuingAgency) ? body.issuingAgency.agencyName : undefined;
  return {
    ...(typeof document.issuedAt === "string" ? { issuedAt: document.issuedAt } : {}),
    ...(typeof issuer === "string" ? { issuer } : {}),
    ...(typeof person?.name === "string" && typeof person.idNumber === "string"
      ? { person: { name: maskPersonName(person.name), idNumber: maskIdNumber(person.idNumber) } }
      : {}),
    ...(typeof body.personalAccountFen === "number" ? { personalAccountFen: body.personalAccountFen } : {}),
    ...(typeof body.paidMonths === "number" ? { paidMonths: body.paidMonths } : {}),
  };
}

/** A .p7s over the exact bytes given (not re-canonicalised): what the seal covers is what was uploaded. */
function detached(deps: VerifyUploadDeps, seal: Uint8Array, content: Uint8Array): VerifiedUpload {
  const parsed = parseJson(content);
  const document = isObject(parsed) ? parsed : undefined;
  const purpose = document?.type === "receipt" ? "receipt" : "seal";
  const now = deps.clock.now();
  const report = deps.verifier.verify(content, seal, now, purpose);
  const validation = document
    ? validateDocument(document, { now, emergencyWindows: deps.calendar.emergencyWindows })
    : undefined;
  return {
    kind: "p7s",
    verdict: verdictOf(report),
    report,
    ...(validation ? { validation } : {}),
    ...(document ? { document: envelopeOf(document) } : {}),
  };
}

/** `jiexu archive verify` with this gateway's own trust anchors and checkpoint key when it has them. */
function verifyPack(deps: VerifyUploadDeps, zip: Uint8Array): VerifiedUpload {
  const anchors = deps.trustMaterial?.().anchors ?? [];
  const vkey = deps.archiveSigner?.verifierKey;
  const pack = verifyEvidencePack(zip, {
    limits: { maxInflatedBytes: PACK_INFLATE_FACTOR * deps.limits.maxUploadBytes, maxEntries: MAX_PACK_ENTRIES },
    ...(anchors.length > 0 ? { trustAnchors: anchors } : {}),
    ...(vkey ? { verifierKey: vkey } : {}),
  });
  return {
    kind: "evidence-pack",
    verdict: pack.ok ? "passed" : "failed",
    pack,
    anchors: { source: anchors.length > 0 ? "gateway" : "pack", subjects: anchors.map(subjectOf) },
    key: vkey ? { source: "gateway", vkey } : { source: "pack" },
  };
}

function subjectOf(der: Uint8Array): string {
  try {
    return certInfo(der).subject;
  } catch {
    return `certificate ${bytesToBase64(der).slice(0, 16)}…`;
  }
}

function verdictOf(report: VerificationReport): UploadVerdict {
  return report.indication === "TOTAL_PASSED"
    ? "passed"
    : report.indication === "TOTAL_FAILED"
      ? "failed"
      : "indeterminate";
}

function envelopeOf(document: Record<string, unknown>): { id?: string; type?: string; from?: string; to?: string } {
  const pick = (k: string) => (typeof document[k] === "string" ? { [k]: document[k] as string } : {});
  return { ...pick("id"), ...pick("type"), ...pick("from"), ...pick("to") };
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, ""));
  } catch {
    return undefined;
  }
}
