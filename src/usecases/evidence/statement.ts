import canonicalize from "canonicalize";

/**
 * The export statement of an evidence pack (issue 9 item 10), a C2SP signed note by the gateway's
 * checkpoint key: "in my log of size S with root R, leaf I (hash H) is the latest case index of case
 * C for agency A, as of T". The case index proves which items exist up to it; the statement proves
 * no later index existed, so an older index (its proof is public) cannot stand in for the latest one.
 *
 * The text is a header line then one line of RFC 8785 JSON. It can never pass for a tlog-checkpoint
 * signed by the same key: its first line is not the log's origin and its second is not a tree size.
 */
export const STATEMENT_HEADER = "jiexu-evidence-pack/v2";

export interface PackStatement {
  origin: string;
  caseId: string;
  agencyId: string;
  generatedAt: string;
  checkpoint: { size: number; rootHex: string };
  caseIndex: { leafIndex: number; leafHash: string };
}

export function formatStatement(s: PackStatement): string {
  const body: PackStatement = {
    origin: s.origin,
    caseId: s.caseId,
    agencyId: s.agencyId,
    generatedAt: s.generatedAt,
    checkpoint: { size: s.checkpoint.size, rootHex: s.checkpoint.rootHex },
    caseIndex: { leafIndex: s.caseIndex.leafIndex, leafHash: s.caseIndex.leafHash },
  };
  return `${STATEMENT_HEADER}\n${canonicalize(body)}\n`;
}

/** The statement in a (verified) note text, or why it is not one. */
export function parseStatement(text: string): PackStatement | string {
  const [header, json, rest] = text.split("\n");
  if (header !== STATEMENT_HEADER || rest !== "" || json === undefined) return `not a ${STATEMENT_HEADER} statement`;
  let s: PackStatement;
  try {
    s = JSON.parse(json) as PackStatement;
  } catch {
    return "the statement line is not JSON";
  }
  const shaped =
    typeof s === "object" &&
    s !== null &&
    typeof s.origin === "string" &&
    typeof s.caseId === "string" &&
    typeof s.agencyId === "string" &&
    typeof s.generatedAt === "string" &&
    Number.isSafeInteger(s.checkpoint?.size) &&
    typeof s.checkpoint?.rootHex === "string" &&
    Number.isSafeInteger(s.caseIndex?.leafIndex) &&
    typeof s.caseIndex?.leafHash === "string";
  return shaped ? s : "the statement lacks a field";
}
