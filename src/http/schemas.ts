import { z } from "zod";
import { DOCUMENT_TYPES, PRIORITY_REASON_CODES } from "../domain/documents/index.ts";
import { AGENCY_ID_PATTERN, containsIdNumber } from "../domain/identifiers/index.ts";
import { CASE_STATUSES } from "../domain/transfer-case/index.ts";
import { schemaRef } from "./openapi.ts";

/**
 * Zod shapes shared by several routers: query fragments and the response shapes /openapi.json
 * documents. Responses are shaped by the use cases; these schemas describe them, they do not run.
 */
export const agencyId = z
  .string()
  .regex(AGENCY_ID_PATTERN, "机构标识应为 6 位区划代码，可带 -后缀 (agency id: GB/T 2260 code, optional -SUFFIX)");

/**
 * A client-chosen case or document id: the envelope's documentId pattern (common.schema.json), at most 64
 * characters, and never a 公民身份号码 (ids travel in logs, audit events and URLs; ID numbers must not).
 */
export const documentIdParam = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, "编号只能含字母、数字及 . _ : - (letters, digits, . _ : -; ≤ 64)")
  .refine((id) => !containsIdNumber(id), "编号不得包含公民身份号码 (an id must not contain an ID number)");

/** Page size as a query string: digits only, 1–200. */
export const limitParam = z.coerce.number().int().min(1).max(200).optional().describe("每页条数 Page size (1–200)");

/** "true"/"false" as a query string. */
export const booleanParam = z.enum(["true", "false"]).transform((v) => v === "true");

/** Body of one document type (documented with its schemas/ JSON Schema, checked by the use case). */
export const documentBody = z.unknown().meta({
  oneOf: (["contact-letter", "insurance-record", "fund-transfer", "completion", "return", "discrepancy"] as const).map(
    schemaRef,
  ),
});

export const sealedDocument = z.unknown().meta(schemaRef("sealed-document"));

export const documentType = z.enum(DOCUMENT_TYPES);

const report = z
  .object({
    indication: z.enum(["TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"]),
    subIndication: z.string().optional(),
    format: z
      .literal("ses")
      .optional()
      .describe(
        "ses：GB/T 38540-2020 电子签章（SES_Signature）；缺省为 CAdES-B-B。ses for a GB/T 38540 seal; absent for CAdES",
      ),
    seal: z
      .object({
        esId: z.string(),
        name: z.string(),
        vid: z.string(),
        type: z.number(),
        version: z.number(),
        makerSha256: z.string(),
        holderSha256: z.array(z.string()),
        validStart: z.string(),
        validEnd: z.string(),
        createdAt: z.string(),
        picture: z.object({ type: z.string(), widthMm: z.number(), heightMm: z.number(), sha256: z.string() }),
      })
      .optional()
      .describe(
        "SES 的电子印章（SESeal）摘要：印章编码、名称、制章者与签章者证书指纹、有效期、印章图像。The SESeal of an SES seal",
      ),
  })
  .loose()
  .describe("签章验证报告 Verification report (ETSI TS 119 102-1; CAdES-B-B or GB/T 38540 SES, docs/national-seal.md)");

export const DocumentSummary = z.object({
  documentId: z.string(),
  type: documentType,
  direction: z.enum(["in", "out"]),
  from: agencyId,
  to: agencyId,
  recordedAt: z.string(),
  state: z
    .string()
    .describe(
      "out: queued → sending → delivered | retrying | failed | uncertain | cancelled; in: received → acknowledged",
    ),
  documentSha256: z.string(),
  sealSha256: z.string(),
  receipted: z.boolean(),
  businessReceiptId: z.string().optional(),
  verification: z.object({ indication: z.string(), subIndication: z.string().optional() }).optional(),
});

const deadline = z
  .object({
    step: z.enum(["contact-letter", "record-and-funds", "completion", "correction"]),
    owedBy: agencyId,
    startedOn: z.string(),
    workingDays: z.number().int(),
    due: z.string().describe("法定时限 Legal due date (15 working days, priority cases too)"),
    calendarCoverage: z.enum(["official", "extrapolated"]),
    emergencyDeferred: z.boolean().describe("时限因应急期间暂停计算 The clock was paused by an emergency window"),
    target: z
      .object({ workingDays: z.number().int(), due: z.string() })
      .optional()
      .describe("绿色通道内部目标时限 Priority cases: internal target, not a legal deadline"),
    overdue: z.boolean(),
    targetMissed: z.boolean().describe("已过内部目标 Past the internal target (false without one)"),
  })
  .describe("未到期时限 Open deadline");

/** `{ reasonCode }` of a green-channel case, or null (common.schema.json#/$defs/priority). */
export const priorityRef = z
  .object({ reasonCode: z.enum(PRIORITY_REASON_CODES) })
  .nullable()
  .describe("优先办理原因 Green-channel reason, or null");

export const CaseView = z.object({
  caseId: z.string(),
  agencyId,
  version: z.number().int(),
  status: z
    .enum(["empty", ...CASE_STATUSES])
    .describe(
      "案件所处阶段（docs/business-flow.md「Case states」）The case's phase; `progress` says which documents moved",
    ),
  view: z.string().optional(),
  counterpartId: z.string().optional(),
  flags: z.object({}).loose().optional(),
  priority: priorityRef,
  person: z
    .object({ name: z.string(), idNumber: z.string().describe("已脱敏 Masked") })
    .optional()
    .describe("参保人员 The person"),
  voucher: z
    .object({
      id: z.string(),
      sha256: z.string(),
      check: z
        .enum(["issued-here", "not-issued-here", "digest-mismatch", "person-mismatch"])
        .optional()
        .describe("转出地核对结果 Transfer-out side: found in its archive, not issued here, or another digest"),
    })
    .nullable()
    .describe("参保缴费凭证 The case's contribution voucher, or null"),
  discrepancy: z
    .object({
      documentId: z.string(),
      reasonCode: z.string(),
      disputed: z.array(z.object({ kind: z.enum(["insurance-record", "fund-transfer"]), documentId: z.string() })),
      corrected: z.array(z.enum(["insurance-record", "fund-transfer"])),
    })
    .optional()
    .describe("未结核对不符 The open discrepancy holding the case"),
  superseded: z
    .array(
      z.object({
        kind: z.enum(["insurance-record", "fund-transfer"]),
        documentId: z.string(),
        supersededBy: z.string(),
        discrepancyId: z.string(),
        at: z.string(),
      }),
    )
    .describe("已被更正取代的文书 Documents replaced by corrections"),
  progress: z
    .partialRecord(
      z.enum(["contact-letter", "insurance-record", "fund-transfer", "return", "discrepancy", "completion"]),
      z.enum(["sent", "received", "awaited"]),
    )
    .describe(
      "各文书进度（本方视角）：已发送/已收到/待办 Each document of the transfer, from this view: sent, received or awaited",
    ),
  openedAt: z.string().optional(),
  closedAt: z.string().optional(),
  openDeadlines: z.array(deadline),
  overdue: z.boolean(),
  timeline: z.array(
    z.object({
      version: z.number().int(),
      at: z.string(),
      type: z.string(),
      notes: z
        .array(
          z.enum([
            "OPENED_WITH_VOUCHER",
            "OPENED_WITHOUT_VOUCHER",
            "VOUCHER_ISSUED_HERE",
            "VOUCHER_NOT_ISSUED_HERE",
            "VOUCHER_DIGEST_MISMATCH",
            "VOUCHER_PERSON_MISMATCH",
            "VOUCHER_ATTACHED",
            "CORRECTION",
          ]),
        )
        .optional(),
    }),
  ),
  documents: z.array(DocumentSummary),
  updatedAt: z.string(),
});

export const CasePage = z.object({
  cases: z.array(CaseView).describe("优先办理案件在前，其后按立案时间倒序 Priority cases first, then newest first"),
  next: z.string().optional().describe("下一页游标 Cursor of the next page"),
});

export const InboxPage = z.object({
  entries: z.array(
    z.object({
      cursor: z.string(),
      documentId: z.string(),
      type: documentType,
      caseId: z.string(),
      from: agencyId,
      receivedAt: z.string(),
      state: z.string(),
      sealed: sealedDocument,
      report: report.optional(),
      receipt: z.string().optional().describe("传输回执（已签章文书 JSON）Sealed transport receipt JSON"),
      priority: priorityRef,
    }),
  ),
  next: z.string(),
});

export const Delivery = z.object({
  id: z.string(),
  kind: z.enum(["document", "webhook"]),
  ownerAgency: agencyId,
  documentId: z.string().optional(),
  target: z.string(),
  state: z.enum(["queued", "sending", "delivered", "retrying", "failed", "uncertain", "cancelled"]),
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  lastError: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ValidationResult = z
  .object({
    valid: z.boolean(),
    problems: z.array(
      z.object({ code: z.string(), path: z.string(), message: z.string(), severity: z.enum(["error", "warning"]) }),
    ),
  })
  .loose();

export const VerifyResult = z.object({ report, validation: ValidationResult });

export const AuditEvent = z.object({
  at: z.string(),
  kind: z.string(),
  agencyId: z.string().optional(),
  caseId: z.string().optional(),
  documentId: z.string().optional(),
  requestId: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});

/*
 * Named components of /openapi.json: a schema registered with an `id` is emitted once, under that name, and
 * referenced from every operation that answers with it (openapi-schemas.ts hoistDefs) — client generators
 * name their types after it. Registered in one list here, so the shapes above read as they did.
 */
for (const [id, schema] of Object.entries({
  VerificationReport: report,
  DocumentSummary,
  Deadline: deadline,
  CaseView,
  CasePage,
  InboxPage,
  Delivery,
  ValidationResult,
  VerifyResult,
  AuditEvent,
}))
  z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), id });
