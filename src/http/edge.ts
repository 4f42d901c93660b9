import { containsIdNumber, maskIdNumbersIn } from "../domain/identifiers/index.ts";
import type { Principal } from "../usecases/index.ts";
import { RateLimitedError } from "../usecases/index.ts";
import type { AppDeps } from "./env.ts";
import { RETRY_AFTER_SECONDS, type describeError, type ErrorBody } from "./errors.ts";

/**
 * What every request passes through at the edge, whichever path serves it — the Hono app (src/http/app.ts)
 * or the lean /v1/exchange path (src/http/exchange-path.ts): its request id, its access log line and
 * metrics, and the coded answer to anything thrown.
 */

/** A client's X-Request-Id is kept only when it is short and printable (it is echoed and logged). */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The client's X-Request-Id, or a fresh one. One holding a 公民身份号码 is replaced, not masked: a
 * masked id would no longer match what the client sent, and the response and log must agree.
 */
export function chooseRequestId(offered: string | undefined, fresh: () => string): string {
  return offered && CLIENT_REQUEST_ID.test(offered) && !containsIdNumber(offered) ? offered : fresh();
}

/** One served request, as the access log and the metrics see it. */
export interface ServedRequest {
  requestId: string;
  method: string;
  path: string;
  /** The matched route pattern (`unmatched` when none): keeps label cardinality bounded. */
  route: string;
  status: number;
  seconds: number;
  principal?: Principal | undefined;
  /** The error code answered (issue 15 item 7): every 4xx/5xx line carries one. */
  code?: string | undefined;
}

/**
 * The code of an error answer that carries none of its own (a page answering 404 for an unknown case):
 * the generic code of its status, as the JSON API would name it.
 */
const CODE_OF_STATUS: Record<number, string> = {
  400: "REQUEST_INVALID",
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "BODY_TOO_LARGE",
  422: "UNPROCESSABLE",
  429: "RATE_LIMITED",
  503: "UNAVAILABLE",
};

/** Access log line and request metrics. */
export function recordRequest(deps: AppDeps, r: ServedRequest): void {
  deps.metrics.count("jiexu_http_requests_total", { method: r.method, route: r.route, status: String(r.status) });
  deps.metrics.observe("jiexu_http_request_seconds", { method: r.method, route: r.route }, r.seconds);
  // Object.assign, not spreads followed by members (a hidden class per literal in Node 20: docs/ingest-performance.md).
  const line = {
    requestId: r.requestId,
    method: r.method,
    path: maskIdNumbersIn(r.path),
    route: r.route,
    status: r.status,
    ms: Math.round(r.seconds * 10_000) / 10,
  };
  deps.logger.info(
    "http.request",
    Object.assign(
      line,
      r.principal ? { principal: r.principal.agencyId ?? r.principal.role } : undefined,
      r.status >= 400 ? { code: r.code ?? CODE_OF_STATUS[r.status] ?? `HTTP_${r.status}` } : undefined,
    ),
  );
}

/** A refusal ready to send: status, coded body and the headers its status calls for. */
export interface ErrorAnswer {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

/**
 * The coded answer to anything thrown (the status of each code is STATUS_OF's, src/http/errors.ts);
 * an unexpected error is logged with its stack, masked.
 */
export function answerError(
  deps: AppDeps,
  err: unknown,
  described: ReturnType<typeof describeError>,
  request: { requestId: string; method: string; path: string },
): ErrorAnswer {
  const { status, body, internal } = described;
  if (internal)
    deps.logger.error("http.error", {
      requestId: request.requestId,
      method: request.method,
      path: maskIdNumbersIn(request.path),
      message: maskOptional((err as Error)?.message),
      stack: maskOptional((err as Error)?.stack),
    });
  return { status, body, headers: errorHeaders(err, status) };
}

/** The headers an error answer carries, for the API and the pages alike. */
export function errorHeaders(err: unknown, status: number): Record<string, string> {
  const headers: Record<string, string> = {};
  // A rate limit says when to come back; any other 503 the default wait.
  if (err instanceof RateLimitedError) headers["Retry-After"] = String(err.retryAfterSeconds);
  else if (status === 503) headers["Retry-After"] = String(RETRY_AFTER_SECONDS);
  // The unread remainder of an oversize body makes the socket unusable: tell the client not to reuse it.
  if (status === 413) headers.Connection = "close";
  return headers;
}

/** Error text can quote a request's values: masked here too, whatever logger is plugged in. */
function maskOptional(text: string | undefined): string | undefined {
  return typeof text === "string" ? maskIdNumbersIn(text) : text;
}
