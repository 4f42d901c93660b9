import type { CaseEvent, DiscrepancyResolved } from "../../../src/domain/transfer-case/index.ts";
import { CASE, deadline, histories, IN, on } from "./fixtures.ts";

/** Shared by the discrepancy (核对不符) tests: disputes, corrections and resolutions of the funds FT-1. */

export const iso = (date: string) => on(date).toISOString();
export const awaitingIn = histories["in: awaiting-completion"]!;
export const awaitingOut = histories["out: awaiting-completion"]!;
export const disputeFunds = { documentId: "DC-1", reasonCode: "AMOUNT_MISMATCH", disputedDocumentIds: ["FT-1"] };

export const fundsCorrected: CaseEvent = {
  type: "FundTransferReceived",
  caseId: CASE,
  at: iso("2025-03-18"),
  data: { documentId: "FT-2", supersedes: "FT-1" },
};
// Completion clock afresh from 03-18, owed by 杭州: 19–21 (3), 24–28 (8), 31–04-03 (12), 清明 04-04 off, 07–09 (15).
export const resolvedToCompletion: DiscrepancyResolved = {
  type: "DiscrepancyResolved",
  caseId: CASE,
  at: iso("2025-03-18"),
  data: { documentId: "DC-1", deadline: deadline("completion", IN, "2025-03-18", "2025-04-09") },
};
