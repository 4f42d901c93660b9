import { Hono } from "hono";
import { receiveDocument } from "../../usecases/index.ts";
import type { HonoEnv } from "../env.ts";
import { bodyLimit, readBodyWithin } from "../body.ts";
import { describeRoute, schemaRef } from "../openapi.ts";

/**
 * The receiving endpoint every gateway exposes (issue 4 item 4). No bearer token: the seal over the
 * document authenticates the sending agency. The body is read once, as bytes, under the size limit;
 * everything after that (JSON, schema, seal, idempotency, decider, commit, receipt) is the use case.
 */
export const exchange = new Hono<HonoEnv>();

exchange.post(
  "/v1/exchange",
  describeRoute({
    summary: "接收已签章文书 · Receive a sealed document",
    tags: ["exchange"],
    auth: "seal",
    description:
      "网关间调用。返回接收方网关签章的传输回执：新文书 201，重放 200（原回执）。Gateway-to-gateway: answers a receipt sealed by the receiving gateway, 201 when new, 200 (the original receipt) on replay.",
    body: { schema: schemaRef("sealed-document") },
    responses: {
      201: { description: "已接收 Received: the sealed transport receipt", schema: schemaRef("sealed-document") },
      200: { description: "重放 Replay: the original receipt", schema: schemaRef("sealed-document") },
    },
    errors: [
      "BODY_TOO_LARGE",
      "JSON_INVALID",
      "DOCUMENT_INVALID",
      "TYPE_NOT_SUBMITTABLE",
      "SEAL_INVALID",
      "SEAL_UNTRUSTED",
      "SEAL_AGENCY_MISMATCH",
      "SEAL_TRY_LATER",
      "SEAL_NOT_LISTED",
      "SEAL_FORMAT_NOT_LISTED",
      "RECIPIENT_NOT_HOSTED",
      "DOCUMENT_NOT_FOUND",
      "DOCUMENT_CONFLICT",
      "CASE_CONFLICT",
      "ILLEGAL_TRANSITION",
      "WRONG_PARTY",
      "NOT_ACKNOWLEDGEABLE",
      "ALREADY_ACKNOWLEDGED",
      "DIGEST_MISMATCH",
      "CASE_CLOSED",
      "CASE_NOT_OPENED",
      "CASE_ALREADY_OPENED",
      "STORE_DOCUMENT_TOO_LARGE",
    ],
  }),
  async (c) => {
    // The limit belongs to the deps of the app serving this request, not to this module.
    // c.get rather than c.var: Hono builds a fresh object of all variables on every c.var.
    const bytes = await readBodyWithin(c, bodyLimit(c, "document"));
    const result = await receiveDocument(c.get("gateway"), bytes, c.get("requestId"));
    return c.body(result.receipt, result.status, { "content-type": "application/json; charset=utf-8" });
  },
);
