import type { CaseEvent } from "../../domain/transfer-case/index.ts";

/**
 * What a timeline entry says beside its event: whether the case opened with a voucher, how the transfer-out
 * side found it in its archive, a voucher attached to the record, a correction after a discrepancy.
 */
export type TimelineNote =
  | "OPENED_WITH_VOUCHER"
  | "OPENED_WITHOUT_VOUCHER"
  | "VOUCHER_ISSUED_HERE"
  | "VOUCHER_NOT_ISSUED_HERE"
  | "VOUCHER_DIGEST_MISMATCH"
  | "VOUCHER_PERSON_MISMATCH"
  | "VOUCHER_ATTACHED"
  | "CORRECTION";

export interface TimelineEntry {
  version: number;
  at: string;
  type: string;
  notes?: TimelineNote[];
}

const VOUCHER_CHECK_NOTE = {
  "issued-here": "VOUCHER_ISSUED_HERE",
  "not-issued-here": "VOUCHER_NOT_ISSUED_HERE",
  "digest-mismatch": "VOUCHER_DIGEST_MISMATCH",
  "person-mismatch": "VOUCHER_PERSON_MISMATCH",
} as const;

/** The notes an event earns on the timeline (issue 11: say whether the case opened with a voucher). */
function notesOf(event: CaseEvent): TimelineNote[] {
  switch (event.type) {
    case "ApplicationRegistered":
    case "ContactLetterReceived": {
      const { voucher } = event.data;
      if (!voucher) return ["OPENED_WITHOUT_VOUCHER"];
      return voucher.check ? ["OPENED_WITH_VOUCHER", VOUCHER_CHECK_NOTE[voucher.check]] : ["OPENED_WITH_VOUCHER"];
    }
    case "InsuranceRecordSent":
    case "InsuranceRecordReceived":
    case "FundTransferSent":
    case "FundTransferReceived": {
      const notes: TimelineNote[] = "voucher" in event.data && event.data.voucher ? ["VOUCHER_ATTACHED"] : [];
      return event.data.supersedes !== undefined ? [...notes, "CORRECTION"] : notes;
    }
    default:
      return [];
  }
}

export function timelineEntry(version: number, at: string, event: CaseEvent): TimelineEntry {
  const notes = notesOf(event);
  return { version, at, type: event.type, ...(notes.length > 0 ? { notes } : {}) };
}
