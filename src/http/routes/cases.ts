import { Hono } from "hono";
import { z } from "zod";
import { PRIORITY_REASON_CODES } from "../../domain/documents/index.ts";
import { CASE_STATUSES } from "../../domain/transfer-case/index.ts";
import {
  describeCase,
  listCases,
  printCaseDocument,
  registerApplication,
  submitDocument,
} from "../../usecases/index.ts";
import type { HonoEnv } from "../env.ts";
import { describeRoute } from "../openapi.ts";
import { PdfResponse, baseUrlOf, pdfResponse } from "../pdf.ts";
import {
  CasePage,
  CaseView,
  DocumentSummary,
  agencyId,
  booleanParam,
  documentIdParam,
  limitParam,
} from "../schemas.ts";
import { json, query } from "../validate.ts";
import { SubmitBody, submitInputOf } from "./submit-body.ts";

const RegisterBody = z.strictObject({
  caseId: documentIdParam.optional().describe("案件编号（可选，客户端指定）Client-chosen case id"),
  transferOutAgency: agencyId.describe("转出地经办机构 Transfer-out agency"),
  priority: z
    .strictObject({ reasonCode: z.enum(PRIORITY_REASON_CODES), note: z.string().min(1).max(200).optional() })
    .optional()
    .describe("绿色通道及其事由 Green channel with its reason (the legal deadlines stay)"),
  temporaryAccount: z.boolean().optional(),
  person: z
    .strictObject({
      name: z.string().min(1).max(50),
      idNumber: z.string().regex(/^\d{17}[\dXx]$/, "公民身份号码应为 18 位 (18-character ID number)"),
    })
    .optional()
    .describe("参保人员（出示凭证时必填）The applicant; required with a voucher"),
  voucher: z
    .strictObject({ document: z.record(z.string(), z.unknown()), seal: z.string() })
    .meta({ $ref: "#/components/schemas/sealed-document" })
    .optional()
    .describe("参保人员出示的已签章参保缴费凭证 The sealed contribution voucher the person presents"),
  voucherPdf: z
    .string()
    .min(1)
    .optional()
    .describe(
      "或：打印的凭证 PDF（base64），使用其附带的签章原件 Or the printed voucher PDF (base64): its attached sealed original is used",
    ),
});

const ListQuery = z.strictObject({
  state: z.enum(CASE_STATUSES).optional().describe("案件状态 Case status"),
  overdue: booleanParam.optional().describe("仅超期/未超期 Only overdue (true) or on-time (false) cases"),
  priority: booleanParam.optional().describe("仅优先办理/非优先案件 Only green-channel (true) or other (false) cases"),
  after: z.string().max(200).optional().describe("游标 Cursor from a previous page"),
  limit: limitParam,
  agency: agencyId.optional().describe("机构（合规/管理员）Agency whose cases to list (compliance, admin)"),
  idNumber: z
    .string()
    .regex(/^\d{17}[\dXx]$/, "公民身份号码应为 18 位 (18-character ID number)")
    .optional()
    .describe("按参保人员公民身份号码查找 Cases of the person with this ID number"),
});

const AgencyQuery = z.strictObject({
  agency: agencyId
    .optional()
    .describe("机构视角（合规/管理员必填）Whose view of the case (required for compliance, admin)"),
});

const READERS = ["agency", "compliance", "admin"] as const;

/** Cases (issue 4 item 3): an agency registers applications and submits documents; everyone reads within their reach. */
export const cases = new Hono<HonoEnv>();

cases.post(
  "/v1/cases",
  describeRoute({
    summary: "登记转移申请 · Register an application",
    tags: ["cases"],
    auth: ["agency"],
    description:
      "转入地登记申请，联系函时限开始计算。The transfer-in agency records an application; the contact-letter clock starts.",
    responses: { 201: { description: "已登记 Registered, with its first deadline", schema: CaseView } },
    errors: [
      "RECIPIENT_UNKNOWN",
      "CASE_ALREADY_OPENED",
      "DOCUMENT_INVALID",
      "DOCUMENT_CONFLICT",
      "SEAL_INVALID",
      "SEAL_UNTRUSTED",
      "SEAL_AGENCY_MISMATCH",
      "SEAL_NOT_LISTED",
      "SEAL_FORMAT_NOT_LISTED",
      "SEAL_TRY_LATER",
      "VOUCHER_INVALID",
      "VOUCHER_WRONG_ISSUER",
      "VOUCHER_PERSON_MISMATCH",
      "PDF_NO_SEALED_ORIGINAL",
      "PDF_TOO_LARGE",
    ],
  }),
  json(RegisterBody, "upload"),
  async (c) => {
    return c.json(await registerApplication(c.var.gateway, c.var.principal, c.req.valid("json")), 201);
  },
);

cases.get(
  "/v1/cases",
  describeRoute({
    summary: "案件列表 · List cases",
    tags: ["cases"],
    auth: READERS,
    responses: { 200: { description: "一页案件 A page of cases", schema: CasePage } },
    errors: ["INVALID_CURSOR"],
  }),
  query(ListQuery),
  async (c) => {
    const { state, agency, ...rest } = c.req.valid("query");
    return c.json(
      await listCases(c.var.gateway, c.var.principal, {
        ...rest,
        ...(state ? { status: state } : {}),
        ...(agency ? { agencyId: agency } : {}),
      }),
    );
  },
);

cases.get(
  "/v1/cases/:id",
  describeRoute({
    summary: "案件详情 · Describe a case",
    tags: ["cases"],
    auth: READERS,
    params: { id: "案件编号 Case id" },
    description:
      "状态、时间线、每份文书及其投递状态、未到期时限、超期标志。State, timeline, documents with delivery state, open deadlines, overdue flag.",
    responses: { 200: { description: "案件 The case", schema: CaseView } },
    errors: ["CASE_NOT_FOUND"],
  }),
  query(AgencyQuery),
  async (c) =>
    c.json(await describeCase(c.var.gateway, c.var.principal, c.req.param("id"), c.req.valid("query").agency)),
);

cases.post(
  "/v1/cases/:id/documents",
  describeRoute({
    summary: "提交文书 · Submit a document",
    tags: ["cases"],
    auth: ["agency"],
    params: { id: "案件编号 Case id" },
    description:
      "网关校验、以本机构印章签章（或接受已签章文书）、推进案件并排队投递。可提交 type 与 body，或 schemas/examples 那样的完整信封：jiexu、caseId、from、to 须与网关所填一致，issuedAt 忽略（以签章时间为准）。Validated, sealed with the agency's key (or pre-sealed), applied to the case and queued for the counterpart. Send `type` and `body`, or the whole envelope as schemas/examples carry it: `jiexu` (1), `caseId` (the path's), `from` (the calling agency) and `to` (the case's counterpart) must say what the gateway sets — a mismatch is 400 REQUEST_INVALID (`caseId`, `from`, problem ENVELOPE_MISMATCH) or 403 WRONG_PARTY (`to`); `issuedAt` is ignored, the gateway stamps the time it seals.",
    responses: { 201: { description: "已排队投递 Queued for delivery", schema: DocumentSummary } },
    errors: [
      "CASE_NOT_FOUND",
      "DOCUMENT_INVALID",
      "TYPE_NOT_SUBMITTABLE",
      "SEAL_INVALID",
      "SEAL_UNTRUSTED",
      "SEAL_AGENCY_MISMATCH",
      "ILLEGAL_TRANSITION",
      "WRONG_PARTY",
      "CASE_CLOSED",
      "DOCUMENT_CONFLICT",
      "CASE_CONFLICT",
      "SEAL_TRY_LATER",
      "VOUCHER_MISMATCH",
    ],
  }),
  json(SubmitBody, "document"),
  async (c) => {
    const caseId = c.req.param("id");
    const input = submitInputOf(c.req.valid("json"), caseId, c.var.principal);
    return c.json(await submitDocument(c.var.gateway, c.var.principal, caseId, input), 201);
  },
);

cases.get(
  "/v1/cases/:id/documents/:documentId/pdf",
  describeRoute({
    summary: "打印案件文书（PDF）· Print a case document (PDF)",
    tags: ["cases"],
    auth: READERS,
    params: { id: "案件编号 Case id", documentId: "文书编号 Document id" },
    description:
      "案件中任一签章文书的 A4 打印件：签章机构印章（绘制）、内容、文书摘要、核验二维码，并以附件携带签章原件。读者同案件详情。Any sealed document of the case, printed with the same frame as the voucher; same readers as the case.",
    responses: { 200: PdfResponse },
    errors: ["CASE_NOT_FOUND", "DOCUMENT_NOT_FOUND", "PRINT_GLYPH_MISSING", "PRINT_UNAVAILABLE"],
  }),
  query(AgencyQuery),
  async (c) => {
    const agency = c.req.valid("query").agency;
    const printed = await printCaseDocument(
      c.var.gateway,
      c.var.principal,
      c.req.param("id"),
      c.req.param("documentId"),
      {
        baseUrl: baseUrlOf(c),
        ...(agency ? { agencyId: agency } : {}),
      },
    );
    return pdfResponse(c, printed);
  },
);
