import type { MiddlewareHandler } from "hono";
import type { RouterRoute } from "hono/types";
import { z } from "zod";
import type { SchemaName } from "../domain/documents/index.ts";
import type { Role } from "../usecases/index.ts";
import { authenticate } from "./auth.ts";
import type { AppInfo, HonoEnv } from "./env.ts";
import { STATUS_OF, type ErrorCode } from "./errors.ts";
import {
  type Examples,
  errorExamples,
  parameterExample,
  requestExamples,
  responseExamples,
} from "./openapi-examples.ts";
import { COMPONENT_PREFIX, ERROR_SCHEMA, TAGS, contractComponents, hoistDefs } from "./openapi-schemas.ts";
import { VALIDATES, type Tagged } from "./validate.ts";

/**
 * OpenAPI 3.1 generated from the routes themselves: each route carries a `describeRoute` middleware
 * (summary, tags, who may call, responses) and its `query`/`json` validators carry their zod schemas.
 * The generator walks Hono's own route table, so a path or method cannot drift from the document,
 * and `describeRoute` enforces the `auth` it documents, so the security section cannot lie either.
 */
export const DESCRIBES = Symbol("jiexu.describes");

export type SchemaRef = { $ref: string };

export interface RouteSpec {
  /** "中文 · English", shown by /docs. */
  summary: string;
  description?: string;
  tags: readonly string[];
  /** Roles that may call with a bearer token; "seal" when the document's seal authenticates; "public". */
  auth: readonly Role[] | "seal" | "public";
  params?: Record<string, string>;
  /** A body the handler reads itself (raw bytes), documented but not validated here. */
  body?: { schema: SchemaRef; description?: string };
  responses: Record<number, { description: string; schema?: z.ZodType | SchemaRef; contentType?: string }>;
  /** Coded refusals this operation answers with; statuses come from the one map in errors.ts. */
  errors?: readonly ErrorCode[];
}

/** `$ref` to a wire-contract JSON Schema of schemas/ (kept under components.schemas). */
export function schemaRef(name: SchemaName): SchemaRef {
  return { $ref: COMPONENT_PREFIX + name };
}

/** The middleware that describes a route and enforces its `auth`. */
export function describeRoute(spec: RouteSpec): MiddlewareHandler<HonoEnv> & { [DESCRIBES]: RouteSpec } {
  const roles = typeof spec.auth === "string" ? undefined : spec.auth;
  const mw: MiddlewareHandler<HonoEnv> = async (c, next) => {
    if (roles) await authenticate(c, roles);
    await next();
  };
  return Object.assign(mw, { [DESCRIBES]: spec });
}

function jsonSchemaOf(schema: z.ZodType | SchemaRef): Record<string, unknown> {
  if (!(schema instanceof z.ZodType)) return schema;
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return rest;
}

/** Hono `/v1/cases/:id` → OpenAPI `/v1/cases/{id}` (dropping any `{regex}` constraint). */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}");
}

function specOf(handlers: unknown[]): RouteSpec | undefined {
  return handlers.map((h) => (h as { [DESCRIBES]?: RouteSpec })[DESCRIBES]).find((s) => s !== undefined);
}

function withDefined(key: string, value: unknown): Record<string, unknown> {
  return value === undefined ? {} : { [key]: value };
}

function withExamples(media: Record<string, unknown>, examples: Examples | undefined): Record<string, unknown> {
  return examples ? { ...media, examples } : media;
}

function operationOf(method: string, path: string, handlers: unknown[], spec: RouteSpec) {
  const op = toOpenApiPath(path);
  const validators = handlers.map((h) => (h as Tagged)[VALIDATES]).filter((v) => v !== undefined);
  const parameters: Record<string, unknown>[] = [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: "string" },
    ...(spec.params?.[m[1]!] ? { description: spec.params[m[1]!] } : {}),
    ...withDefined("example", parameterExample(toOpenApiPath(path), m[1]!)),
  }));
  const querySchema = validators.find((v) => v.target === "query");
  if (querySchema) {
    const js = jsonSchemaOf(querySchema.schema) as {
      properties?: Record<string, { description?: string }>;
      required?: string[];
    };
    for (const [name, schema] of Object.entries(js.properties ?? {})) {
      parameters.push({
        name,
        in: "query",
        required: js.required?.includes(name) ?? false,
        schema,
        ...(schema.description ? { description: schema.description } : {}),
      });
    }
  }
  const validatedBody = validators.find((v) => v.target === "json")?.schema;
  const body = validatedBody ?? spec.body?.schema;
  // An optional body (the ack's) is not required: the validator takes an empty body as `undefined`.
  const bodyRequired = validatedBody ? !validatedBody.safeParse(undefined).success : true;
  const roles = typeof spec.auth === "string" ? undefined : spec.auth;
  return {
    operationId: operationIdOf(method, path),
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [...spec.tags],
    ...(parameters.length ? { parameters } : {}),
    ...(body
      ? {
          requestBody: {
            required: bodyRequired,
            content: { "application/json": withExamples({ schema: jsonSchemaOf(body) }, requestExamples(method, op)) },
          },
        }
      : {}),
    responses: responsesOf(spec, method, op, roles !== undefined, {
      validated: validators.length > 0 || spec.body !== undefined,
      readsBody: body !== undefined,
    }),
    security: roles ? [{ bearer: [] }] : [],
    "x-jiexu-auth": roles ?? spec.auth,
  };
}

function operationIdOf(method: string, path: string): string {
  const words = path
    .split("/")
    .filter(Boolean)
    .map((w) =>
      w.replace(/^:/, "by-").replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ?? "").toUpperCase()),
    );
  return method.toLowerCase() + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
}

function responsesOf(
  spec: RouteSpec,
  method: string,
  path: string,
  authed: boolean,
  { validated, readsBody }: { validated: boolean; readsBody: boolean },
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    out[status] = {
      description: r.description,
      ...(r.schema
        ? {
            content: {
              [r.contentType ?? "application/json"]: withExamples(
                { schema: jsonSchemaOf(r.schema) },
                responseExamples(method, path, status),
              ),
            },
          }
        : {}),
    };
  }
  const codes = new Set<ErrorCode>([
    ...(authed ? (["UNAUTHENTICATED", "FORBIDDEN"] as const) : []),
    ...(validated ? (["REQUEST_INVALID"] as const) : []),
    // Every body is read under its route's limit and must be strict UTF-8 JSON (validate.ts, body.ts).
    ...(readsBody ? (["JSON_INVALID", "BODY_TOO_LARGE"] as const) : []),
    ...(spec.errors ?? []),
    "INTERNAL",
  ]);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(STATUS_OF[code], [...(byStatus.get(STATUS_OF[code]) ?? []), code]);
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    out[String(status)] = {
      description: list.join(", "),
      content: {
        "application/json": {
          schema: { allOf: [{ $ref: "#/components/schemas/Error" }, { properties: { code: { enum: list } } }] },
          examples: errorExamples(list),
        },
      },
    };
  }
  return out;
}

/**
 * The OpenAPI 3.1 document of an app, from its route table (`app.routes`). Routes without a
 * `describeRoute` (web pages a runtime may add) are not API operations and are left out; the
 * HTTP tests assert that every route `createApp` registers is described.
 */
export function openApiDocument(routes: readonly RouterRoute[], info: AppInfo): Record<string, unknown> {
  const groups = new Map<string, { method: string; path: string; handlers: unknown[] }>();
  for (const r of routes) {
    if (r.method === "ALL") continue; // app-wide middleware, not operations
    const key = `${r.method} ${r.path}`;
    const group = groups.get(key) ?? { method: r.method, path: r.path, handlers: [] };
    group.handlers.push(r.handler);
    groups.set(key, group);
  }
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path, handlers } of groups.values()) {
    const spec = specOf(handlers);
    if (spec) (paths[toOpenApiPath(path)] ??= {})[method.toLowerCase()] = operationOf(method, path, handlers, spec);
  }
  const schemas: Record<string, unknown> = { Error: ERROR_SCHEMA, ...contractComponents(), ...hoistDefs(paths) };
  return {
    openapi: "3.1.0",
    info: {
      title: "接续 Jiexu gateway API",
      version: info.version,
      description: `养老保险关系转移接续文书网关。Hosted agencies: ${info.hostedAgencies.join(", ")}`,
    },
    servers: [{ url: "/" }],
    tags: TAGS,
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "机构令牌 Agency, compliance or admin token" },
      },
      schemas,
    },
  };
}
