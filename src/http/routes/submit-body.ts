import { z } from "zod";
import type { Document } from "../../domain/documents/index.ts";
import type { Principal, SubmitInput } from "../../usecases/index.ts";
import { EdgeError, type EdgeProblem } from "../errors.ts";
import { agencyId, documentBody, documentIdParam, documentType } from "../schemas.ts";

/**
 * The body of `POST /v1/cases/:id/documents` (issue 15 item 2): a document to seal — `type` and `body`,
 * or the whole envelope as schemas/examples carry it — or a document the agency sealed itself.
 *
 * The gateway sets the envelope: `jiexu` is the format version, `caseId` comes from the path, `from`
 * is the calling agency, `to` the case's counterpart. A client may send them, and then they must say
 * the same (a copied envelope naming another case or party is a mistake to report, not to paper
 * over). `issuedAt` is accepted and ignored: the document is issued when the gateway seals it, the
 * legal deadlines run from the gateway's clock, and a client's clock — or an example's 2024 date —
 * must not put another time into a sealed document.
 */
const sealedShape = z
  .strictObject({ document: z.record(z.string(), z.unknown()), seal: z.string() })
  .meta({ $ref: "#/components/schemas/sealed-document" });

export const SubmitBody = z.union([
  z.strictObject({
    jiexu: z
      .literal(1, "jiexu 是格式版本，应为 1 (jiexu is the format version: 1)")
      .optional()
      .describe("格式版本（可选，须为 1）Format version: 1 when given"),
    id: documentIdParam.optional().describe("文书编号（可选）Client-chosen document id"),
    type: documentType,
    caseId: z.string().max(64).optional().describe("案件编号（可选，须与路径一致）Must be the path's case id"),
    from: agencyId.optional().describe("发文机构（可选，须为调用机构）Must be the calling agency"),
    to: agencyId.optional().describe("收文机构（可选，须为案件对方机构）Must be the case's counterpart"),
    issuedAt: z
      .string()
      .max(40)
      .optional()
      .describe("忽略：以网关签章时间为准 Ignored: the gateway stamps the time it seals"),
    replyTo: z.string().min(1).max(64).optional(),
    body: documentBody,
  }),
  z.strictObject({ sealed: sealedShape }),
]);

type Parsed = z.output<typeof SubmitBody>;

/** The use case's input: envelope claims checked against the path and the caller, `to` left to the case. */
export function submitInputOf(parsed: Parsed, caseId: string, principal: Principal): SubmitInput {
  // The envelope of a pre-sealed document is checked by the use case (schema, parties, case).
  if ("sealed" in parsed) return { sealed: parsed.sealed as unknown as { document: Document; seal: string } };
  const { jiexu: _version, issuedAt: _ignored, caseId: claimedCase, from, ...rest } = parsed;
  const problems: EdgeProblem[] = [];
  if (claimedCase !== undefined && claimedCase !== caseId)
    problems.push(mismatch("caseId", `caseId "${claimedCase}" is not the case of the path, "${caseId}"`));
  if (from !== undefined && from !== principal.agencyId)
    problems.push(mismatch("from", `from ${from} is not the calling agency ${principal.agencyId ?? "(none)"}`));
  refuseMismatches(problems);
  return rest;
}

/** 400 REQUEST_INVALID naming each envelope field that disagrees with what the gateway sets. */
export function refuseMismatches(problems: readonly EdgeProblem[]): void {
  if (problems.length)
    throw new EdgeError(
      "REQUEST_INVALID",
      `the envelope does not match this submission (${problems.map((p) => p.path.slice(1)).join(", ")}): leave the field out or correct it`,
      [...problems],
    );
}

export function mismatch(field: string, message: string): EdgeProblem {
  return { code: "ENVELOPE_MISMATCH", path: `/${field}`, message };
}
