import { Hono, type Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { routePath } from "hono/route";
import { containsIdNumber, maskIdNumbersIn } from "../domain/identifiers/index.ts";
import { RateLimitedError } from "../usecases/index.ts";
import type { AppDeps, AppInfo, HonoEnv } from "./env.ts";
import { EdgeError, RETRY_AFTER_SECONDS, describeError } from "./errors.ts";
import { openApiDocument } from "./openapi.ts";
import { archive } from "./routes/archive.ts";
import { audit } from "./routes/audit.ts";
import { cases } from "./routes/cases.ts";
import { checks } from "./routes/checks.ts";
import { deliveries } from "./routes/deliveries.ts";
import { exchange } from "./routes/exchange.ts";
import { inbox } from "./routes/inbox.ts";
import { ops } from "./routes/ops.ts";
import { verify } from "./routes/verify.ts";
import { vouchers } from "./routes/vouchers.ts";
import { witness } from "./routes/witness.ts";

export type { AppDeps, AppInfo, HonoEnv } from "./env.ts";

/** A client's X-Request-Id is kept only when it is short and printable (it is echoed and logged). */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The client's X-Request-Id, or a fresh one. One holding a 公民身份号码 is replaced, not masked: a
 * masked id would no longer match what the client sent, and the response and log must agree.
 */
function chooseRequestId(offered: string | undefined, fresh: () => string): string {
  return offered && CLIENT_REQUEST_ID.test(offered) && !containsIdNumber(offered) ? offered : fresh();
}

/**
 * The gateway's HTTP app (docs/architecture.md "Composition roots"): the same one under @hono/node-server
 * and on Workers. Services reach handlers through `c.var`; each resource is its own router; every refusal
 * is a coded body.
 */
export function createApp(deps: AppDeps): Hono<HonoEnv> {
  const app = new Hono<HonoEnv>();
  const info: AppInfo = deps.info ?? { version: "0.0.0", hostedAgencies: deps.gateway.agencies.hostedIds() };
  const newRequestId = deps.requestId ?? (() => crypto.randomUUID());
  let openapi: Record<string, unknown> | undefined;
  const openapiOnce = () => (openapi ??= openApiDocument(app.routes, info));

  app.use("*", async (c, next) => {
    const started = performance.now();
    const requestId = chooseRequestId(c.req.header("x-request-id"), newRequestId);
    c.set("requestId", requestId);
    c.set("gateway", deps.gateway);
    c.set("metrics", deps.metrics);
    c.set("logger", deps.logger);
    c.set("info", info);
    c.set("openapi", openapiOnce);
    // Set before the handler, so the response is built with it: a header added to a finished response
    // makes Hono rebuild it (under @hono/node-server a full web Response with a body stream).
    c.header("X-Request-Id", requestId);
    await next();
    if (c.res.headers.get("x-request-id") !== requestId) c.header("X-Request-Id", requestId);
    recordRequest(c, deps, requestId, (performance.now() - started) / 1000);
  });

  for (const router of [ops, cases, vouchers, inbox, exchange, checks, verify, deliveries, audit, witness, archive])
    app.route("/", router);

  app.notFound((c) => {
    throw new EdgeError("NOT_FOUND", `no route ${c.req.method} ${c.req.path}`);
  });
  app.onError((err, c) => {
    const requestId = c.var.requestId ?? newRequestId();
    const { status, body, internal } =
      err instanceof HTTPException ? fromHttpException(err, requestId) : describeError(err, requestId);
    if (internal)
      deps.logger.error("http.error", {
        requestId,
        method: c.req.method,
        path: maskIdNumbersIn(c.req.path),
        message: maskOptional((err as Error)?.message),
        stack: maskOptional((err as Error)?.stack),
      });
    // A rate limit says when to come back; any other 503 the default wait.
    if (err instanceof RateLimitedError) c.header("Retry-After", String(err.retryAfterSeconds));
    else if (status === 503) c.header("Retry-After", String(RETRY_AFTER_SECONDS));
    // The unread remainder of an oversize body makes the socket unusable: tell the client not to reuse it.
    if (status === 413) c.header("Connection", "close");
    return c.json(body, status as 400);
  });
  return app;
}

/** Access log line and request metrics; the matched route pattern keeps label cardinality bounded. */
function recordRequest(c: Context<HonoEnv>, deps: AppDeps, requestId: string, seconds: number): void {
  const pattern = routePath(c);
  const route = pattern === "/*" || pattern === "*" ? "unmatched" : pattern;
  const status = c.res.status;
  deps.metrics.count("jiexu_http_requests_total", { method: c.req.method, route, status: String(status) });
  deps.metrics.observe("jiexu_http_request_seconds", { method: c.req.method, route }, seconds);
  const principal = c.get("principal");
  deps.logger.info("http.request", {
    requestId,
    method: c.req.method,
    path: maskIdNumbersIn(c.req.path),
    route,
    status,
    ms: Math.round(seconds * 10_000) / 10,
    ...(principal ? { principal: principal.agencyId ?? principal.role } : {}),
  });
}

/** Error text can quote a request's values: masked here too, whatever logger is plugged in. */
function maskOptional(text: string | undefined): string | undefined {
  return typeof text === "string" ? maskIdNumbersIn(text) : text;
}

/** Hono's own exceptions (none expected: our middleware throws coded errors) keep their status. */
function fromHttpException(err: HTTPException, requestId: string) {
  const code =
    err.status === 413
      ? "BODY_TOO_LARGE"
      : err.status === 401
        ? "UNAUTHENTICATED"
        : err.status >= 500
          ? "INTERNAL"
          : "REQUEST_INVALID";
  return {
    status: err.status,
    body: { code, message: err.message || code, requestId },
    internal: err.status >= 500,
  } as const;
}
