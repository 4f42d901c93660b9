import { PRIORITY_REASON_CODES } from "../documents/types.ts";
import type { VoucherRef } from "./commands.ts";
import { invalid } from "./guards.ts";
import type { CasePerson, CasePriority, CaseVoucher, VoucherCheck } from "./types.ts";

/** The facts a case keeps about its person, voucher and priority, checked as commands bring them. */

const VOUCHER_CHECKS: readonly VoucherCheck[] = [
  "issued-here",
  "not-issued-here",
  "digest-mismatch",
  "person-mismatch",
];
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A non-empty string. */
export const text = (v: unknown): v is string => typeof v === "string" && v !== "";
/** A JSON object's fields, or undefined for anything else (documents and commands arrive as JSON). */
export const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

const isReasonCode = (v: unknown): v is CasePriority["reasonCode"] =>
  (PRIORITY_REASON_CODES as readonly unknown[]).includes(v);

/**
 * A priority as stored: events and states written before issue 11 hold a boolean, read as the reason
 * OTHER (true) or none (false); a reason code not (or no longer) listed reads as OTHER too.
 */
export function toPriority(raw: unknown): CasePriority | null {
  if (raw === true) return { reasonCode: "OTHER" };
  const p = record(raw);
  if (!p) return null;
  return { reasonCode: isReasonCode(p.reasonCode) ? p.reasonCode : "OTHER", ...(text(p.note) ? { note: p.note } : {}) };
}

/** A command's priority: `{ reasonCode, note? }` with a listed reason (CASE_COMMAND_INVALID otherwise). */
export function checkPriority(raw: unknown): CasePriority | null {
  if (raw === undefined) return null;
  const p = record(raw);
  if (!p || !isReasonCode(p.reasonCode)) invalid(`priority needs a reasonCode of ${PRIORITY_REASON_CODES.join(", ")}`);
  if (p.note !== undefined && typeof p.note !== "string") invalid("priority note must be a string");
  return toPriority(p);
}

export function checkPerson(raw: unknown): CasePerson | undefined {
  if (raw === undefined) return undefined;
  const p = record(raw);
  if (!p || !text(p.name) || !text(p.idNumber)) invalid("person needs a name and an idNumber");
  return { name: p.name, idNumber: p.idNumber };
}

/** `{ id, sha256 }` of a voucher, and its check when the command carries one. */
export function checkVoucher(raw: unknown): (VoucherRef & { check?: VoucherCheck }) | undefined {
  if (raw === undefined) return undefined;
  const v = record(raw);
  if (!v || !text(v.id) || typeof v.sha256 !== "string" || !SHA256_HEX.test(v.sha256))
    invalid("voucher needs an id and a lowercase hex sha256");
  if (v.check !== undefined && !VOUCHER_CHECKS.includes(v.check as VoucherCheck))
    invalid(`voucher check must be one of ${VOUCHER_CHECKS.join(", ")}`);
  return { id: v.id, sha256: v.sha256, ...(v.check !== undefined ? { check: v.check as VoucherCheck } : {}) };
}

/** The voucher a case keeps, from an event's data and where it came from. */
export function caseVoucher(
  raw: (VoucherRef & { check?: VoucherCheck }) | undefined,
  source: CaseVoucher["source"],
): { voucher: CaseVoucher } | Record<string, never> {
  if (raw === undefined) return {};
  return { voucher: { id: raw.id, sha256: raw.sha256, ...(raw.check ? { check: raw.check } : {}), source } };
}
