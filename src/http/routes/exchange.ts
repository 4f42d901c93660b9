import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { receiveDocument } from "../../usecases/index.ts";
import type { HonoEnv } from "../env.ts";
import { EdgeError } from "../errors.ts";
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
    summary: "接收已签章文书 · Receive a sealed document", tags: ["exchange"], auth: "seal",
    description: "网关间调用。返回接收方网关签章的传输回执：新文书 201，重放 200（原回执）。Gateway-to-gateway: answers a receipt sealed by the receiving gateway, 201 when new, 200 (the original receipt) on replay.",
    body: { schema: schemaRef("sealed-document") },
    responses: {
      201: { description: "已接收 Received: the sealed transport receipt", schema: schemaRef("sealed-document") },
      200: { description: "重放 Replay: the original receipt", schema: schemaRef("sealed-document") },
    },
    errors: ["BODY_TOO_LARGE", "JSON_INVALID", "DOCUMENT_INVALID", "TYPE_NOT_SUBMITTABLE", "SEAL_INVALID", "SEAL_UNTRUSTED", "SEAL_AGENCY_MISMATCH", "SEAL_TRY_LATER", "RECIPIENT_NOT_HOSTED", "DOCUMENT_NOT_FOUND", "DOCUMENT_CONFLICT", "CASE_CONFLICT", "ILLEGAL_TRANSITION", "WRONG_PARTY", "CASE_CLOSED", "CASE_NOT_OPENED", "CASE_ALREADY_OPENED"],
  }),
  // Built per request: the limit belongs to the deps of the app serving it, not to this module.
  (c, next) => bodyLimit({ maxSize: c.var.gateway.limits.maxDocumentBytes, onError: tooLarge })(c, next),
  async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const result = await receiveDocument(c.var.gateway, bytes, c.var.requestId);
    return c.body(result.receipt, result.status, { "content-type": "application/json; charset=utf-8" });
  },
);

function tooLarge(): never {
  throw new EdgeError("BODY_TOO_LARGE", "the sealed document exceeds this gateway's size limit");
}
