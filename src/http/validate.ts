import type { MiddlewareHandler } from "hono";
import type { z } from "zod";
import { readStrictJson } from "../domain/strict-json.ts";
import { bodyLimit, readBodyWithin, type BodyClass } from "./body.ts";
import { EdgeError, type EdgeProblem } from "./errors.ts";
import type { HonoEnv } from "./env.ts";

/**
 * Validation at the edge (aesthetics rule 5): zod schemas for query strings and JSON bodies. The
 * schema rides on the middleware (`VALIDATES`) so the OpenAPI generator documents exactly what runs.
 */
export const VALIDATES = Symbol("jiexu.validates");

// `any` path: the middleware is placed on routes with any parameters, like Hono's own `validator`.
export type Validated<K extends "query" | "json", T extends z.ZodType> = MiddlewareHandler<
  HonoEnv,
  any,
  { out: { [P in K]: z.output<T> } }
>;
export type Tagged = { [VALIDATES]?: { target: "query" | "json"; schema: z.ZodType } };

/** RFC 6901 pointer of a zod issue path. */
export function toPointer(path: readonly PropertyKey[]): string {
  return path.map((p) => "/" + String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("");
}

/** Parse with a schema or refuse with REQUEST_INVALID and one problem per zod issue. */
export function parseOrRefuse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems: EdgeProblem[] = closestIssues(result.error.issues).map((i) => ({
    code: "REQUEST_INVALID",
    path: toPointer(i.path),
    message: i.message,
  }));
  throw new EdgeError("REQUEST_INVALID", `the ${where} is invalid`, problems);
}

/**
 * A union none of whose options matched (a document to seal, or one sealed already) reports its options'
 * issues only at the root ("Invalid input"); the caller is better served by the option it came closest
 * to — fewest issues, the first on a tie — with its issues' paths, e.g. `/jiexu` of an envelope.
 */
function closestIssues(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== "invalid_union" || issue.errors.length === 0) return [issue];
    const closest = issue.errors.reduce((best, option) => (option.length < best.length ? option : best));
    return closestIssues(closest.map((i) => ({ ...i, path: [...issue.path, ...i.path] })));
  });
}

/** Query string → `c.req.valid("query")`. Repeated keys keep their first value. */
export function query<T extends z.ZodType>(schema: T): Validated<"query", T> & Tagged {
  const mw: Validated<"query", T> & Tagged = async (c, next) => {
    c.req.addValidatedData("query", parseOrRefuse(schema, c.req.query(), "query string") as object);
    await next();
  };
  mw[VALIDATES] = { target: "query", schema };
  return mw;
}

/**
 * JSON body → `c.req.valid("json")`. Whatever the Content-Type says, the body is read as bytes under
 * its route class's limit (413 BODY_TOO_LARGE) and must be strict UTF-8 JSON (400 JSON_INVALID with
 * the reason: src/domain/strict-json.ts); JSON of the wrong shape is REQUEST_INVALID (400). An empty
 * body is `undefined`, so optional bodies are `schema.optional()`.
 */
export function json<T extends z.ZodType>(schema: T, kind: BodyClass = "request"): Validated<"json", T> & Tagged {
  const mw: Validated<"json", T> & Tagged = async (c, next) => {
    const bytes = await readBodyWithin(c, bodyLimit(c, kind));
    const value = isBlank(bytes) ? undefined : readStrictJson(bytes);
    c.req.addValidatedData("json", (parseOrRefuse(schema, value, "request body") ?? {}) as object);
    await next();
  };
  mw[VALIDATES] = { target: "json", schema };
  return mw;
}

/** Only JSON whitespace (or nothing): the body was left out. */
function isBlank(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  return true;
}
