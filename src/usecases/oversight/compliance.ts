import { assess, type AssessmentResult } from "../../domain/assessment/index.ts";
import { validateDocument, validateSealedDocument, type ValidationResult } from "../../domain/documents/index.ts";
import type { VerificationReport } from "../../pki/index.ts";
import { canonicalBytes, decodeSeal } from "../canonical.ts";
import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";

/**
 * Compliance: verify an uploaded sealed document (`{ document, seal }`) and return the full report,
 * at the current time or at a past validation time (with the CRLs configured here).
 */
export function verifySealedUpload(
  deps: Pick<GatewayDeps, "calendar" | "clock" | "verifier">,
  value: unknown,
  at?: Date,
): { report: VerificationReport; validation: ValidationResult } {
  const now = deps.clock.now();
  const validation = validateSealedDocument(value, { now, emergencyWindows: deps.calendar.emergencyWindows });
  const sealed = value as { document?: unknown; seal?: unknown };
  // The document must be an object: `{"document":null}` once reached `.type` below (issue 9 item 3).
  if (!isObject(sealed) || typeof sealed.seal !== "string" || !isObject(sealed.document)) {
    throw new GatewayError("REQUEST_INVALID", "expected { document, seal } with a document object", {
      problems: validation.problems,
    });
  }
  let seal: Uint8Array;
  try {
    seal = decodeSeal(sealed.seal);
  } catch {
    throw new GatewayError("REQUEST_INVALID", "seal is not base64");
  }
  const purpose = (sealed.document as { type?: string }).type === "receipt" ? "receipt" : "seal";
  return { report: deps.verifier.verify(canonicalBytes(sealed.document), seal, at ?? now, purpose), validation };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The domain's document checks over HTTP (`jiexu check` as a service). */
export function checkDocuments(
  deps: Pick<GatewayDeps, "calendar" | "clock">,
  documents: unknown[],
): ValidationResult[] {
  const now = deps.clock.now();
  const emergencyWindows = deps.calendar.emergencyWindows;
  const inner = documents.map((d) =>
    typeof d === "object" && d !== null && "document" in d && "seal" in d ? (d as { document: unknown }).document : d,
  );
  return inner.map((d) => validateDocument(d, { now, related: inner, emergencyWindows }));
}

/** 66号 arts 5–6 assessment (`jiexu assess` as a service). */
export function assessTransfer(input: unknown): AssessmentResult {
  return assess(input);
}
