import { Hono } from "hono";
import { z } from "zod";
import { acknowledgeInbound, readInbox } from "../../usecases/index.ts";
import type { HonoEnv } from "../env.ts";
import { describeRoute } from "../openapi.ts";
import { DocumentSummary, InboxPage, agencyId, limitParam } from "../schemas.ts";
import { json, query } from "../validate.ts";

const InboxQuery = z.strictObject({
  after: z
    .string()
    .regex(/^\d{1,15}$/, "游标应为上一页的 next Cursor must be a previous page's `next`")
    .optional()
    .describe("游标 Cursor"),
  limit: limitParam,
});

const AckQuery = z.strictObject({
  from: agencyId.optional().describe("发文机构（编号重复时）Sender, when two senders used the id"),
});

const AckBody = z
  .strictObject({
    outcome: z.enum(["accepted", "rejected"]).optional().describe("处理结果 Outcome (default accepted)"),
    note: z.string().max(500).optional(),
  })
  .optional();

/** The inbox (issue 4 item 3): documents received for the calling agency, and business receipts back. */
export const inbox = new Hono<HonoEnv>();

inbox.get(
  "/v1/inbox",
  describeRoute({
    summary: "收件箱 · Read the inbox",
    tags: ["inbox"],
    auth: ["agency"],
    description:
      "本机构收到的文书（含验证报告与传输回执），按到达顺序。Documents received for this agency, oldest first, with reports and receipts.",
    responses: { 200: { description: "一页收件 A page of inbound documents", schema: InboxPage } },
  }),
  query(InboxQuery),
  async (c) => {
    const { after, limit } = c.req.valid("query");
    return c.json(await readInbox(c.var.gateway, c.var.principal, after, limit));
  },
);

inbox.post(
  "/v1/inbox/:documentId/ack",
  describeRoute({
    summary: "确认处理 · Acknowledge (business receipt)",
    tags: ["inbox"],
    auth: ["agency"],
    params: { documentId: "收到的文书编号 Inbound document id" },
    description:
      "本机构系统已处理该文书：向发文方签发业务回执。重复确认返回首次的回执。Seals a business-receipt back to the sender; acknowledging again with the same outcome answers the first one, another outcome is 409 ALREADY_ACKNOWLEDGED; receipts are not acknowledged (409 NOT_ACKNOWLEDGEABLE).",
    responses: { 201: { description: "业务回执已排队 Business receipt queued", schema: DocumentSummary } },
    errors: ["DOCUMENT_NOT_FOUND", "NOT_ACKNOWLEDGEABLE", "ALREADY_ACKNOWLEDGED", "REQUEST_INVALID"],
  }),
  query(AckQuery),
  json(AckBody),
  async (c) => {
    const { from } = c.req.valid("query");
    const body = c.req.valid("json") ?? {};
    return c.json(
      await acknowledgeInbound(c.var.gateway, c.var.principal, {
        documentId: c.req.param("documentId"),
        ...(from ? { from } : {}),
        ...body,
      }),
      201,
    );
  },
);
