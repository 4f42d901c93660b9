import { Hono } from "hono";
import { z } from "zod";
import { DOCS_PAGE } from "../docs-page.ts";
import type { HonoEnv } from "../env.ts";
import { PROMETHEUS_CONTENT_TYPE } from "../metrics.ts";
import { describeRoute } from "../openapi.ts";

/** Operations (issue 4 item 6): liveness, metrics, and the API's own description. Public, no token. */
export const ops = new Hono<HonoEnv>();

ops.get(
  "/healthz",
  describeRoute({
    summary: "健康检查 · Liveness",
    tags: ["ops"],
    auth: "public",
    responses: {
      200: {
        description: "运行中 Up",
        schema: z.object({
          status: z.literal("ok"),
          version: z.string(),
          hostedAgencies: z.array(z.string()),
          time: z.string(),
        }),
      },
    },
  }),
  (c) =>
    c.json({
      status: "ok" as const,
      version: c.var.info.version,
      hostedAgencies: c.var.info.hostedAgencies,
      time: c.var.gateway.clock.now().toISOString(),
    }),
);

ops.get(
  "/metrics",
  describeRoute({
    summary: "监控指标 · Prometheus metrics",
    tags: ["ops"],
    auth: "public",
    responses: { 200: { description: "Prometheus text format 0.0.4", schema: z.string(), contentType: "text/plain" } },
  }),
  async (c) => c.body(await c.var.metrics.render(), 200, { "content-type": PROMETHEUS_CONTENT_TYPE }),
);

ops.get(
  "/openapi.json",
  describeRoute({
    summary: "接口描述 · This OpenAPI document",
    tags: ["ops"],
    auth: "public",
    responses: { 200: { description: "OpenAPI 3.1", schema: z.object({ openapi: z.string() }).loose() } },
  }),
  (c) => c.body(c.var.openapi(), 200, { "content-type": "application/json" }),
);

ops.get(
  "/docs",
  describeRoute({
    summary: "接口文档 · Interactive API reference",
    tags: ["ops"],
    auth: "public",
    responses: { 200: { description: "HTML", schema: z.string(), contentType: "text/html" } },
  }),
  (c) => c.html(DOCS_PAGE),
);
