/**
 * The offline verifier's report (issue 6 item 5): one check per subject and aspect, each with a
 * stable code (tests and tools match codes, never prose) and a message that says what is wrong.
 * Subjects: `pack`, `checkpoint`, `trust`, `document:<id>`, `receipt:<acknowledged document id>`,
 * `leaf:<index>`, `chain`, `index` (the case index and the export statement: completeness).
 */
export type PackCheckStatus = "pass" | "fail" | "warn";

export type PackCheckCode =
  // pack and manifest
  | "PACK_UNREADABLE"
  | "MANIFEST_INVALID"
  | "FILE_MISSING"
  | "CERTIFICATE_MISMATCH"
  | "CERTIFICATE_UNPARSABLE"
  | "CRL_MISMATCH"
  // checkpoint and key
  | "CHECKPOINT_OK"
  | "CHECKPOINT_MALFORMED"
  | "CHECKPOINT_UNKNOWN_KEY"
  | "CHECKPOINT_SIGNATURE_INVALID"
  | "CHECKPOINT_MISMATCH"
  | "KEY_MALFORMED"
  | "KEY_FROM_PACK"
  | "TRUST_FROM_PACK"
  | "REVOCATION_OPTIONAL"
  // entries and seals
  | "ENTRY_OK"
  | "ENTRY_UNREADABLE"
  | "ENTRY_NOT_CANONICAL"
  | "ENTRY_MISMATCH"
  | "META_MISMATCH"
  | "DIGEST_MISMATCH"
  | "SEAL_OK"
  | `SEAL_${string}`
  | "SEAL_AGENCY_MISMATCH"
  // proofs
  | "INCLUSION_OK"
  | "LEAF_HASH_MISMATCH"
  | "PROOF_MALFORMED"
  | "INCLUSION_FAILED"
  // the case's document chain
  | "CHAIN_OK"
  | "CHAIN_ORDER"
  | "REPLY_UNRESOLVED"
  | "RECEIPT_SWAPPED"
  | "RECEIPT_ORPHAN"
  | "RECEIPT_MISSING"
  | "CASE_MISMATCH"
  | "DOCUMENT_NOT_CONFORMING"
  // completeness (issue 9 item 10): the case index and the gateway's export statement
  | "INDEX_OK"
  | "INDEX_MISSING"
  | "INDEX_UNREADABLE"
  | "INDEX_MISMATCH"
  | "ITEM_MISSING"
  | "ITEM_UNLISTED"
  | "ITEM_MISMATCH"
  | "STATEMENT_OK"
  | "STATEMENT_MISSING"
  | "STATEMENT_INVALID"
  | "STATEMENT_MISMATCH"
  | "COMPLETENESS_UNPROVEN";

export interface PackCheck {
  subject: string;
  code: PackCheckCode;
  status: PackCheckStatus;
  message: string;
}

export interface PackReport {
  /** True only when no check failed (warnings do not fail a pack). */
  ok: boolean;
  caseId?: string;
  agencyId?: string;
  generatedAt?: string;
  /** Where the trust anchors and the checkpoint key came from: the verifier's own (`supplied`) or the pack's. */
  trust: "supplied" | "pack";
  key: "supplied" | "pack";
  checkpoint?: { size: number; rootHex: string; origin: string };
  items: number;
  checks: PackCheck[];
}

/** Collects checks for one run; `failed()` tells whether any of them failed. */
export class CheckList {
  readonly checks: PackCheck[] = [];

  pass(subject: string, code: PackCheckCode, message: string): void {
    this.checks.push({ subject, code, status: "pass", message });
  }

  fail(subject: string, code: PackCheckCode, message: string): void {
    this.checks.push({ subject, code, status: "fail", message });
  }

  warn(subject: string, code: PackCheckCode, message: string): void {
    this.checks.push({ subject, code, status: "warn", message });
  }

  /** Number of failures recorded for a subject (to add one pass check when an aspect held). */
  failures(subject: string, since = 0): number {
    return this.checks.slice(since).filter((c) => c.subject === subject && c.status === "fail").length;
  }

  failed(): boolean {
    return this.checks.some((c) => c.status === "fail");
  }
}
