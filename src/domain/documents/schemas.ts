import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import common from "../../../schemas/common.schema.json" with { type: "json" };
import envelope from "../../../schemas/document.schema.json" with { type: "json" };
import sealed from "../../../schemas/sealed-document.schema.json" with { type: "json" };
import contactLetter from "../../../schemas/contact-letter.schema.json" with { type: "json" };
import insuranceRecord from "../../../schemas/insurance-record.schema.json" with { type: "json" };
import fundTransfer from "../../../schemas/fund-transfer.schema.json" with { type: "json" };
import completion from "../../../schemas/completion.schema.json" with { type: "json" };
import returnBody from "../../../schemas/return.schema.json" with { type: "json" };
import discrepancy from "../../../schemas/discrepancy.schema.json" with { type: "json" };
import contributionVoucher from "../../../schemas/contribution-voucher.schema.json" with { type: "json" };
import receipt from "../../../schemas/receipt.schema.json" with { type: "json" };
import businessReceipt from "../../../schemas/business-receipt.schema.json" with { type: "json" };
import type { DocumentType } from "./types.ts";

/**
 * The JSON Schemas (2020-12) of schemas/, statically imported so a Workers bundle carries them (no fs).
 * One Ajv instance compiles each schema once, on first use, and is reused for every document.
 */
export type SchemaName = "document" | "sealed-document" | DocumentType;

export type JsonSchema = { $id: string; title?: string; [keyword: string]: unknown };

export const SCHEMAS: Readonly<Record<SchemaName, JsonSchema>> = {
  document: envelope,
  "sealed-document": sealed,
  "contact-letter": contactLetter,
  "insurance-record": insuranceRecord,
  "fund-transfer": fundTransfer,
  completion,
  return: returnBody,
  discrepancy,
  "contribution-voucher": contributionVoucher,
  receipt,
  "business-receipt": businessReceipt,
};

/** Shared definitions every schema refers to (money, dates, identifiers, bank accounts). */
export const COMMON_SCHEMA: JsonSchema = common;

let ajv: Ajv2020 | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

/** The shared Ajv instance, with every schema registered so cross-file $refs resolve. */
export function schemaRegistry(): Ajv2020 {
  if (ajv) return ajv;
  // allErrors: agency staff fix a whole file at once, not one error per round trip.
  // strictRequired off: a conditional `then: { required }` names properties declared one level up.
  const instance = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  addFormats(instance, ["date", "date-time"]);
  instance.addSchema(common);
  for (const schema of Object.values(SCHEMAS)) instance.addSchema(schema);
  ajv = instance;
  return instance;
}

function validatorFor(name: SchemaName): ValidateFunction {
  const cached = compiled.get(name);
  if (cached) return cached;
  const validate = schemaRegistry().getSchema(SCHEMAS[name].$id);
  if (!validate) throw new Error(`schema ${name} is not registered`);
  compiled.set(name, validate);
  return validate;
}

/** Raw ajv errors of `value` against a schema; empty when it conforms. */
export function schemaErrors(name: SchemaName, value: unknown): ErrorObject[] {
  const validate = validatorFor(name);
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

/** Whether `value` conforms to a schema (used to trust related documents before reading them). */
export function conformsTo(name: SchemaName, value: unknown): boolean {
  return validatorFor(name)(value) === true;
}
