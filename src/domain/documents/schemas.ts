import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { COMMON_SCHEMA, SCHEMAS, type JsonSchema, type SchemaName } from "./schema-files.ts";
import { validators } from "./validators.generated.ts";

/**
 * Validation against the JSON Schemas of schemas/ (schema-files.ts) with the validators Ajv precompiled
 * from them (scripts/build-validators.ts): workerd allows no run-time code generation, so no schema is
 * compiled while the gateway runs, on Node or on Workers.
 */
export { COMMON_SCHEMA, SCHEMAS, type JsonSchema, type SchemaName };

const VALIDATORS = validators as unknown as Record<SchemaName, ValidateFunction>;

/** Raw ajv errors of `value` against a schema; empty when it conforms. */
export function schemaErrors(name: SchemaName, value: unknown): ErrorObject[] {
  const validate = VALIDATORS[name];
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

/** Whether `value` conforms to a schema (used to trust related documents before reading them). */
export function conformsTo(name: SchemaName, value: unknown): boolean {
  return VALIDATORS[name](value) === true;
}

/** The schema node an absolute `$ref` (schema `$id`, then an optional `#/json/pointer`) names. */
export function schemaAt(href: string): Record<string, unknown> | undefined {
  const [id, pointer = ""] = href.split("#", 2) as [string, string?];
  let node: unknown = [COMMON_SCHEMA, ...Object.values(SCHEMAS)].find((s) => s.$id === id);
  for (const segment of pointer.split("/").slice(1)) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[decodeURIComponent(segment).replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return typeof node === "object" && node !== null ? (node as Record<string, unknown>) : undefined;
}
