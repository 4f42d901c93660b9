import { isBase64 } from "../bytes.ts";
import { DOCUMENT_TYPES, type Document, type DocumentType } from "./types.ts";
import { toResult, type Problem, type ValidationResult } from "./problems.ts";
import { conformsTo } from "./schemas.ts";
import { schemaProblems } from "./schema-problems.ts";
import type { EmergencyWindow } from "../calendar/index.ts";
import { ruleContext, type Rule } from "./rules/context.ts";
import { checkAgencyIds, checkCrossProvince, checkDivisions, checkIdNumbers, checkUsccs } from "./rules/identity.ts";
import { checkFundSums, checkFundTransfer, checkPooledFund } from "./rules/fund.ts";
import { checkCurrentYearInterest, checkPersonalAccount, checkVoucherBalance } from "./rules/account.ts";
import { checkBalanceChain, checkCredits } from "./rules/credits.ts";
import { checkLocalPeriod, checkPaidMonths } from "./rules/local-period.ts";
import { checkEmergencyDeferrals } from "./rules/deferral.ts";
import { checkPayee, checkPersonAcrossCase, checkReceivedTotal, checkReferences } from "./rules/case-refs.ts";
import { checkSocialSecurityNumber, checkVoucherIssuer, checkVoucherStandalone } from "./rules/voucher.ts";
import {
  checkFuturePeriods,
  checkMinimumAge,
  checkOverlaps,
  checkRowPeriods,
  checkRowsBeforeTransfer,
} from "./rules/periods.ts";

export interface ValidationContext {
  /** The instant of checking; the domain has no clock of its own. */
  now: Date;
  /**
   * Other documents of the same case(s), for cross-document rules; non-conforming ones are ignored. Reference
   * rules run only when it holds another document of the document's case (rules/case.ts).
   */
  related?: readonly unknown[];
  /** Declared emergency windows (the gateway's calendar), for emergency-deferred contribution rows. */
  emergencyWindows?: readonly EmergencyWindow[];
}

/** Business rules beyond the schema (issue 3 item 3, issue 11 items 2–3), in the order their problems are listed. */
const RULES: readonly Rule[] = [
  checkAgencyIds,
  checkCrossProvince,
  checkVoucherStandalone,
  checkVoucherIssuer,
  checkIdNumbers,
  checkSocialSecurityNumber,
  checkUsccs,
  checkDivisions,
  checkFundSums,
  checkPooledFund,
  checkPersonalAccount,
  checkVoucherBalance,
  checkCurrentYearInterest,
  checkBalanceChain,
  checkCredits,
  checkPaidMonths,
  checkLocalPeriod,
  checkEmergencyDeferrals,
  checkFundTransfer,
  checkPayee,
  checkReceivedTotal,
  checkReferences,
  checkPersonAcrossCase,
  checkRowPeriods,
  checkOverlaps,
  checkMinimumAge,
  checkFuturePeriods,
  checkRowsBeforeTransfer,
];

/**
 * Validate a bare document: envelope schema, body schema for its `type`, then business rules.
 * Business rules run only on a document that conforms to its schemas, so they can trust its shape.
 * Never throws on bad input.
 */
export function validateDocument(doc: unknown, ctx: ValidationContext): ValidationResult {
  const structural = structuralProblems(doc);
  if (structural.length > 0) return toResult(structural);
  const related = (ctx.related ?? []).filter(isConformingDocument).filter((d) => d !== doc);
  const context = ruleContext(ctx.now, related, ctx.emergencyWindows);
  return toResult(RULES.flatMap((rule) => rule(doc as Document, context)));
}

/**
 * Validate a sealed document `{ document, seal }`: its shape, then the document inside with
 * pointers under `/document`. The seal itself is verified by the PKI, not here.
 */
export function validateSealedDocument(value: unknown, ctx: ValidationContext): ValidationResult {
  const outer = plainSealedShape(value)
    ? []
    : schemaProblems("sealed-document", value).filter((p) => !p.path.startsWith("/document"));
  if (!isObject(value) || !("document" in value)) return toResult(outer);
  const inner = validateDocument(value.document, ctx).problems.map((p) => ({ ...p, path: "/document" + p.path }));
  return toResult([...outer, ...inner]);
}

/**
 * Whether sealed-document.schema.json finds nothing outside `/document`: exactly `document` and `seal` (ajv's
 * `additionalProperties` loop is a for-in, so is this one), `seal` a base64 string of 4 characters or more. The
 * schema's validator would also check the envelope under `/document`, whose problems validateSealedDocument drops
 * (validateDocument reports them): on every received document that was a second envelope check, and most of the
 * sealed-document validator's time (issue 12). Anything else takes the validator, for its exact problems;
 * test/domain/documents/sealed-shape.test.ts holds the two to the same verdict.
 */
export function plainSealedShape(value: unknown): boolean {
  if (!isObject(value) || value.document === undefined) return false;
  for (const key in value) if (key !== "document" && key !== "seal") return false;
  const seal = value.seal;
  return typeof seal === "string" && seal.length >= 4 && isBase64(seal);
}

/** Whether a parsed JSON value looks like a sealed document rather than a bare one. */
export function isSealedDocument(value: unknown): value is { document: unknown; seal: unknown } {
  return isObject(value) && "document" in value && "seal" in value && !("jiexu" in value);
}

/** Whether a value conforms to the envelope and to the body schema of its type. */
export function isConformingDocument(value: unknown): value is Document {
  return structuralProblems(value).length === 0;
}

/** Envelope problems, plus body problems whenever the type is known and the body is an object. */
function structuralProblems(doc: unknown): Problem[] {
  const envelope = schemaProblems("document", doc);
  if (!isObject(doc) || !isDocumentType(doc.type) || !isObject(doc.body)) return envelope;
  if (envelope.length === 0 && conformsTo(doc.type, doc.body)) return [];
  return [...envelope, ...schemaProblems(doc.type, doc.body, "/body")];
}

export function isDocumentType(value: unknown): value is DocumentType {
  return typeof value === "string" && (DOCUMENT_TYPES as readonly string[]).includes(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
