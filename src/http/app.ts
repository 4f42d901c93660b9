import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { routePath } from "hono/route";
import { answerError, chooseRequestId, recordRequest } from "./edge.ts";
import type { AppDeps, AppInfo, HonoEnv } from "./env.ts";
import { EdgeError, describeError } from "./errors.ts";
import { openApiDocument } from "./openapi.ts";
import { pageRouters } from "./pages/index.ts";
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

/**
 * The gateway's HTTP app (docs/architecture.md "Composition roots"): the same one under @hono/node-server
 * and on Workers. Services reach handlers through `c.var`; each resource is its own router; every refusal
 * is a coded body.
 */
export function createApp(deps: AppDeps): Hono<HonoEnv> {
  const app = new Hono<HonoEnv>();
  const info: AppInfo = deps.info ?? { version: "0.0.0", hostedAgencies: deps.gateway.agencies.hostedIds() };
  const newRequestId = deps.requestId ?? (() => crypto.randomUUID());
  const sessionSecret = deps.sessionSecret ?? crypto.getRandomValues(new Uint8Array(32));
  let openapi: string | undefined;
  const openapiOnce = () => (openapi ??= JSON.stringify(openApiDocument(app.routes, info)));

  app.use("*", async (c, next) => {
    const started = performance.now();
    const requestId = chooseRequestId(c.req.header("x-request-id"), newRequestId);
    c.set("requestId", requestId);
    c.set("gateway", deps.gateway);
    c.set("metrics", deps.metrics);
    c.set("logger", deps.logger);
    c.set("info", info);
    c.set("openapi", openapiOnce);
    c.set("sessionSecret", sessionSecret);
    // Set before the handler, so the response is built with it: a header added to a finished response
    // makes Hono rebuild it (under @hono/node-server a full web Response with a body stream).
    c.header("X-Request-Id", requestId);
    await next();
    if (c.res.headers.get("x-request-id") !== requestId) c.header("X-Request-Id", requestId);
    const pattern = routePath(c);
    recordRequest(deps, {
      requestId,
      method: c.req.method,
      path: c.req.path,
      route: pattern === "/*" || pattern === "*" ? "unmatched" : pattern,
      status: c.res.status,
      seconds: (performance.now() - started) / 1000,
      principal: c.get("principal"),
      code: c.get("errorCode"),
    });
  });

  for (const router of [ops, cases, vouchers, inbox, exchange, checks, verify, deliveries, audit, witness, archive])
    app.route("/", router);
  for (const router of pageRouters) app.route("/", router);

  app.notFound((c) => {
    throw new EdgeError("NOT_FOUND", `no route ${c.req.method} ${c.req.path}`);
  });
  app.onError((err, c) => {
    const requestId = c.var.requestId ?? newRequestId();
    const described = err instanceof HTTPException ? fromHttpException(err, requestId) : describeError(err, requestId);
    const { status, body, headers } = answerError(deps, err, described, {
      requestId,
      method: c.req.method,
      path: c.req.path,
    });
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    c.set("errorCode", body.code);
    return c.json(body, status as 400);
  });
  return app;
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
