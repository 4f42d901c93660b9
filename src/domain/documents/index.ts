/** Transfer documents: types, schemas and validation (docs/contracts.md "Document envelope", issue 3 items 1 and 3). */
export {
  CASE_STEP_TYPES,
  DISCREPANCY_REASON_CODES,
  DOCUMENT_TYPES,
  PRIORITY_REASON_CODES,
  RETURN_REASON_CODES,
} from "./types.ts";
export type * from "./types.ts";
export { DOCUMENT_PROBLEM_CODES, pointer } from "./problems.ts";
export type { DocumentProblemCode, Problem, Severity, ValidationResult } from "./problems.ts";
export { COMMON_SCHEMA, SCHEMAS, conformsTo } from "./schemas.ts";
export type { JsonSchema, SchemaName } from "./schemas.ts";
export { schemaProblems } from "./schema-problems.ts";
export { pooledFundRange } from "./rules/fund.ts";
export {
  isConformingDocument,
  isDocumentType,
  isSealedDocument,
  validateDocument,
  validateSealedDocument,
} from "./validate.ts";
export type { ValidationContext } from "./validate.ts";
