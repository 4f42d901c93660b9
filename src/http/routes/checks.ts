import { Hono } from "hono";
import { z } from "zod";
import { assessTransfer, checkDocuments } from "../../usecases/index.ts";
import type { HonoEnv } from "../env.ts";
import { describeRoute, schemaRef } from "../openapi.ts";
import { ValidationResult } from "../schemas.ts";
import { json } from "../validate.ts";

const anyDocument = z
  .record(z.string(), z.unknown())
  .meta({ anyOf: [schemaRef("document"), schemaRef("sealed-document")] });

// One document, or up to 100 of one case together (so cross-document rules such as
// fund-transfer ↔ insurance-record can run).
const ValidateBody = z.union([anyDocument, z.array(anyDocument).min(1).max(100)]);

const AssessmentBody = z
  .record(z.string(), z.unknown())
  .describe("参保历史等（同 `jiexu assess` 输入）Insured person's history, as `jiexu assess` reads it");

const CALLERS = ["agency", "compliance", "admin"] as const;

/** The domain's checks over HTTP (issue 4 item 3): `jiexu check` and `jiexu assess` as a service. */
export const checks = new Hono<HonoEnv>();

checks.post(
  "/v1/documents/validate",
  describeRoute({
    summary: "校验文书 · Validate documents",
    tags: ["checks"],
    auth: CALLERS,
    description:
      "结构（JSON Schema）与业务规则校验，不签章、不保存。Schema and business rules; nothing is sealed or stored.",
    responses: {
      200: {
        description: "每份文书一个结果 One result per document",
        schema: z.object({ results: z.array(ValidationResult) }),
      },
    },
    errors: ["BODY_TOO_LARGE", "JSON_INVALID"],
  }),
  json(ValidateBody, "upload"),
  (c) => {
    const body = c.req.valid("json");
    return c.json({ results: checkDocuments(c.var.gateway, Array.isArray(body) ? body : [body]) });
  },
);

checks.post(
  "/v1/assessments",
  describeRoute({
    summary: "待遇领取地与临时账户测算 · Assess a transfer",
    tags: ["checks"],
    auth: CALLERS,
    description:
      "国办发〔2009〕66号 第五、六条。66号 arts 5–6: where benefits are received, whether a temporary account is opened.",
    responses: {
      200: {
        description: "测算结果 Assessment",
        schema: z.object({ benefitPlace: z.object({}).loose(), temporaryAccount: z.object({}).loose() }),
      },
    },
    errors: ["BODY_TOO_LARGE", "JSON_INVALID", "ASSESSMENT_INPUT_INVALID"],
  }),
  json(AssessmentBody, "upload"),
  (c) => c.json(assessTransfer(c.req.valid("json"))),
);
