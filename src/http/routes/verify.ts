import { Hono } from "hono";
import { z } from "zod";
import { verifySealedUpload } from "../../usecases/index.ts";
import type { HonoEnv } from "../env.ts";
import { describeRoute } from "../openapi.ts";
import { VerifyResult, sealedDocument } from "../schemas.ts";
import { json, query } from "../validate.ts";

const VerifyQuery = z.strictObject({
  at: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("验证时间（ISO 8601，默认现在）Validation time, default now"),
});

/** Compliance verification (issue 4 item 3): upload a sealed document, get the full report. */
export const verify = new Hono<HonoEnv>();

verify.post(
  "/v1/verify",
  describeRoute({
    summary: "验证签章 · Verify a sealed document",
    tags: ["verify"],
    auth: ["compliance", "admin", "agency"],
    description:
      "完整验证报告（ETSI TS 119 102-1），可指定过去的验证时间。The full verification report, at now or a past validation time. A failed seal is a 200 with indication TOTAL_FAILED: the report is the answer.",
    responses: { 200: { description: "验证报告与文书校验 Report and document validation", schema: VerifyResult } },
    errors: ["BODY_TOO_LARGE", "JSON_INVALID"],
  }),
  query(VerifyQuery),
  json(sealedDocument, "upload"),
  (c) => {
    const { at } = c.req.valid("query");
    return c.json(verifySealedUpload(c.var.gateway, c.req.valid("json"), at ? new Date(at) : undefined));
  },
);
