import { receiveDocument } from "../usecases/index.ts";
import { declaredLength, refuseTooLarge } from "./body.ts";
import { answerError, chooseRequestId, recordRequest } from "./edge.ts";
import type { AppDeps } from "./env.ts";
import { describeError } from "./errors.ts";

/** The route this path serves; the Hono app serves the same route (src/http/routes/exchange.ts) everywhere else. */
export const EXCHANGE_ROUTE = "/v1/exchange";

/**
 * `POST /v1/exchange` as the server saw it, whatever the server (issue 12 item 4). The runtime reads the
 * body: `readBody` resolves the bytes, or undefined as soon as they pass `maxBytes` (the rest left unread).
 */
export interface RawExchangeRequest {
  method: string;
  path: string;
  /** A header by its lower-case name. */
  header(name: string): string | undefined;
  readBody(maxBytes: number): Promise<Uint8Array | undefined>;
  /** Send `100 Continue`, where the runtime holds it back until the declared length is known to fit. */
  writeContinue?(): void;
}

/** What to send back: the status, the headers (lower-case names) and the body. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The lean path for the one route gateways call at volume (issue 12 item 4): the receiving endpoint
 * without the router, the per-request context and the web Request/Response objects — a profile of the
 * ingest bench put those at about 3× the CPU of plain node:http per document. It keeps everything the
 * Hono route and its middleware do for this route: the request id (echoed in `X-Request-Id`), the size
 * limit of the `document` class (413 BODY_TOO_LARGE before reading a declared oversize body, `100
 * Continue` only for one that fits), the use case, the coded errors of src/http/errors.ts, the access log
 * line and the request metrics under the route `/v1/exchange`. test/runtime/exchange-path.test.ts holds
 * the two paths to the same answers.
 */
export function createExchangePath(deps: AppDeps): (req: RawExchangeRequest) => Promise<RawAnswer> {
  const newRequestId = deps.requestId ?? (() => crypto.randomUUID());
  return async (req) => {
    const started = performance.now();
    const requestId = chooseRequestId(req.header("x-request-id"), newRequestId);
    let answer: RawAnswer;
    let code: string | undefined;
    try {
      const bytes = await readDocument(req, deps.gateway.limits.maxDocumentBytes);
      const result = await receiveDocument(deps.gateway, bytes, requestId);
      answer = {
        status: result.status,
        headers: { "content-type": "application/json; charset=utf-8", "x-request-id": requestId },
        body: result.receipt,
      };
    } catch (err) {
      const where = { requestId, method: req.method, path: req.path };
      const refusal = answerError(deps, err, describeError(err, requestId), where);
      code = refusal.body.code;
      answer = {
        status: refusal.status,
        headers: { "content-type": "application/json", "x-request-id": requestId, ...lowerCase(refusal.headers) },
        body: JSON.stringify(refusal.body),
      };
    }
    recordRequest(deps, {
      requestId,
      method: req.method,
      path: req.path,
      route: EXCHANGE_ROUTE,
      status: answer.status,
      code,
      seconds: (performance.now() - started) / 1000,
    });
    return answer;
  };
}

/** The body under the `document` limit, as src/http/body.ts reads it for the Hono route. */
async function readDocument(req: RawExchangeRequest, maxBytes: number): Promise<Uint8Array> {
  const declared = declaredLength(req.header("content-length"), req.header("transfer-encoding") !== undefined);
  if (declared !== undefined && declared > maxBytes) refuseTooLarge(maxBytes);
  if (req.header("expect")?.toLowerCase() === "100-continue") req.writeContinue?.();
  return (await req.readBody(maxBytes)) ?? refuseTooLarge(maxBytes);
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
