import { Hono } from "hono";
import { z } from "zod";
import { issueVoucher, printVoucher, readVoucher } from "../../usecases/index.ts";
import type { HonoEnv } from "../env.ts";
import { describeRoute, schemaRef } from "../openapi.ts";
import { PdfResponse, baseUrlOf, pdfResponse } from "../pdf.ts";
import { agencyId, documentIdParam, sealedDocument } from "../schemas.ts";
import { json } from "../validate.ts";
import { mismatch, refuseMismatches } from "./submit-body.ts";

/**
 * `id` and `body`, or the whole envelope as schemas/examples/contribution-voucher.json carries it (issue 15
 * item 2): a voucher is its own case, from and to its issuer — fields sent must say so; issuedAt is ignored
 * (the gateway stamps the time it seals, as for case documents: submit-body.ts).
 */
const IssueBody = z.strictObject({
  jiexu: z.literal(1, "jiexu 是格式版本，应为 1 (jiexu is the format version: 1)").optional(),
  type: z.literal("contribution-voucher").optional(),
  id: documentIdParam.optional().describe("凭证文书编号（可选）Client-chosen document id"),
  caseId: z.string().max(64).optional().describe("须与 id 相同 A voucher is its own case: its id"),
  from: agencyId.optional().describe("须为调用机构 The calling agency"),
  to: agencyId.optional().describe("须为调用机构 The calling agency (a voucher is addressed to its issuer)"),
  issuedAt: z.string().max(40).optional().describe("忽略 Ignored: the gateway stamps the time it seals"),
  body: z.unknown().meta(schemaRef("contribution-voucher")).describe("凭证内容 The voucher body"),
});

/** The use case's input, once the envelope fields sent agree with what the gateway sets. */
function issueInputOf(parsed: z.output<typeof IssueBody>, issuer: string | undefined) {
  const { id, body, caseId, from, to } = parsed;
  const problems = [
    ...(caseId !== undefined && caseId !== id
      ? [mismatch("caseId", `caseId "${caseId}" is not the voucher's id`)]
      : []),
    ...(from !== undefined && from !== issuer ? [mismatch("from", `from ${from} is not the calling agency`)] : []),
    ...(to !== undefined && to !== issuer ? [mismatch("to", `to ${to} is not the calling agency, its issuer`)] : []),
  ];
  refuseMismatches(problems);
  return { body, ...(id ? { id } : {}) };
}

const IssuedVoucher = z.object({
  documentId: z.string(),
  documentSha256: z.string().describe("规范化文书的 SHA-256（联系函 voucher.sha256）SHA-256 of the canonical document"),
  sealed: sealedDocument.describe("参保人员持有的已签章凭证 The sealed voucher the person carries"),
});

/**
 * Contribution vouchers (参保缴费凭证, issue 11 item 1): the agency the person leaves issues the sealed
 * voucher the person carries to the new place, and reads back its own.
 */
export const vouchers = new Hono<HonoEnv>();

vouchers.post(
  "/v1/vouchers",
  describeRoute({
    summary: "出具参保缴费凭证 · Issue a contribution voucher",
    tags: ["vouchers"],
    auth: ["agency"],
    description:
      "转出地经办机构出具电子参保缴费凭证：校验、以本机构印章签章、归档；凭证由参保人员持有，不投递。The transfer-out agency issues the voucher: validated, sealed with its seal key and archived; the person carries it, it is never delivered.",
    responses: { 201: { description: "已出具 Issued", schema: IssuedVoucher } },
    errors: ["DOCUMENT_INVALID", "DOCUMENT_CONFLICT"],
  }),
  json(IssueBody, "document"),
  async (c) => {
    const input = issueInputOf(c.req.valid("json"), c.var.principal.agencyId);
    return c.json(await issueVoucher(c.var.gateway, c.var.principal, input), 201);
  },
);

vouchers.get(
  "/v1/vouchers/:id",
  describeRoute({
    summary: "读取已出具的凭证 · Read an issued voucher",
    tags: ["vouchers"],
    auth: ["agency"],
    params: { id: "凭证文书编号 Voucher document id" },
    description: "仅出具机构可读。Only the issuing agency reads it; anyone else gets 404.",
    responses: { 200: { description: "凭证 The voucher", schema: IssuedVoucher } },
    errors: ["VOUCHER_NOT_FOUND"],
  }),
  async (c) => c.json(await readVoucher(c.var.gateway, c.var.principal, c.req.param("id"))),
);

vouchers.get(
  "/v1/vouchers/:id/pdf",
  describeRoute({
    summary: "打印凭证（PDF）· Print a voucher (PDF)",
    tags: ["vouchers"],
    auth: ["agency"],
    params: { id: "凭证文书编号 Voucher document id" },
    description:
      "A4 中文参保缴费凭证：出具机构印章（绘制）、缴费明细、文书摘要、核验二维码（指向 /v/<sha256>），并以附件携带签章原件（<id>.json、<id>.p7s、<id>.sealed.json）。仅出具机构可取。The printed voucher: drawn seal, contribution table, digest and a QR code to the public verification page; the sealed original rides along as attached files. Only the issuing agency gets it.",
    responses: { 200: PdfResponse },
    errors: ["VOUCHER_NOT_FOUND", "PRINT_GLYPH_MISSING", "PRINT_UNAVAILABLE"],
  }),
  async (c) =>
    pdfResponse(c, await printVoucher(c.var.gateway, c.var.principal, c.req.param("id"), { baseUrl: baseUrlOf(c) })),
);
