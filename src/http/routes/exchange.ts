import { Hono, type Context } from "hono";
import { concat } from "../../pki/der-write.ts";
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
  async (c) => {
    // The limit belongs to the deps of the app serving this request, not to this module.
    // c.get rather than c.var: Hono builds a fresh object of all variables on every c.var.
    const gateway = c.get("gateway");
    const bytes = await readBodyWithin(c, gateway.limits.maxDocumentBytes);
    const result = await receiveDocument(gateway, bytes, c.get("requestId"));
    return c.body(result.receipt, result.status, { "content-type": "application/json; charset=utf-8" });
  },
);

/**
 * The body as bytes, refused with 413 beyond `maxSize` (what hono/body-limit does, without its cost):
 * a declared Content-Length is checked before anything is read, and then the body is read in one go
 * (@hono/node-server reads it straight from the socket: no web Request, stream or AbortController);
 * a chunked body is counted while it streams in and refused as soon as it passes the limit.
 */
async function readBodyWithin(c: Context<HonoEnv>, maxSize: number): Promise<Uint8Array> {
  const raw = c.req.raw;
  const length = raw.headers.get("content-length");
  if (length !== null && !raw.headers.has("transfer-encoding")) {
    if (parseInt(length || "0", 10) > maxSize) tooLarge();
    return new Uint8Array(await raw.arrayBuffer());
  }
  if (!raw.body) return new Uint8Array(0);
  const reader = raw.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxSize) tooLarge();
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : concat(chunks);
}

function tooLarge(): never {
  throw new EdgeError("BODY_TOO_LARGE", "the sealed document exceeds this gateway's size limit");
}
