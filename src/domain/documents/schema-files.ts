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
 * Validation runs the code scripts/build-validators.ts generates from them (validators.generated.ts).
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
