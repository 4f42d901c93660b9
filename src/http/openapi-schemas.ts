import { COMMON_SCHEMA, SCHEMAS, type JsonSchema } from "../domain/documents/index.ts";
import { STATUS_OF } from "./errors.ts";

/**
 * The wire-contract JSON Schemas of schemas/ as OpenAPI `components/schemas` (issue 15 item 1). The files
 * refer to each other relatively (`common.schema.json#/$defs/text`), which resolves only through their
 * `$id`; OpenAPI tools and client generators do not follow `$id`, so the bundle gives each file a
 * component, hoists each `$defs` entry to a component of its own (`common.text`) and rewrites every
 * `$ref` to a local `#/components/schemas/…`. `$id` and `$schema` are dropped: a `$ref` under an `$id`
 * would resolve against that URI rather than against the OpenAPI document.
 */
export const COMPONENT_PREFIX = "#/components/schemas/";

/** Component name of a file's `$defs` entry. */
function defName(file: string, def: string): string {
  return `${file}.${def}`;
}

/** `x.schema.json` (a `$id` or a relative reference) → the component the file becomes. */
function fileComponent(ref: string, byFile: ReadonlyMap<string, string>): string {
  const file = ref.split("/").pop() ?? ref;
  const name = byFile.get(file);
  if (!name) throw new Error(`unbundled schema file in a $ref: ${ref}`);
  return name;
}

/** A `$ref` of a schemas/ file, seen from the component `within`, as a local component reference. */
function localRef(ref: string, within: string, byFile: ReadonlyMap<string, string>): string {
  const [file = "", fragment = ""] = ref.split("#");
  const component = file ? fileComponent(file, byFile) : within;
  if (fragment === "" || fragment === "/") return COMPONENT_PREFIX + component;
  const def = /^\/\$defs\/([^/]+)$/.exec(fragment);
  if (!def) throw new Error(`unsupported $ref fragment in ${within}: ${ref}`);
  return COMPONENT_PREFIX + defName(component, def[1]!);
}

function rewriteRefs(value: unknown, within: string, byFile: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, within, byFile));
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    out[key] = key === "$ref" && typeof v === "string" ? localRef(v, within, byFile) : rewriteRefs(v, within, byFile);
  return out;
}

/** `components/schemas` entries for a set of files (name → schema), all references local. */
function bundleSchemas(files: Readonly<Record<string, JsonSchema>>): Record<string, unknown> {
  const byFile = new Map(Object.entries(files).map(([name, s]) => [s.$id.split("/").pop()!, name]));
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(files)) {
    const { $id: _id, $schema: _dialect, $defs, ...rest } = schema as JsonSchema & { $defs?: Record<string, unknown> };
    for (const [def, s] of Object.entries($defs ?? {})) out[defName(name, def)] = rewriteRefs(s, name, byFile);
    // A file that is only a bag of $defs (common.schema.json) is not a schema of its own.
    if (Object.keys(rest).some((k) => !["title", "description"].includes(k)))
      out[name] = rewriteRefs(rest, name, byFile);
  }
  return out;
}

/** The gateway's wire contracts: the document envelope, the sealed document, every body type, their shared $defs. */
export function contractComponents(): Record<string, unknown> {
  return bundleSchemas({ common: COMMON_SCHEMA, ...SCHEMAS });
}

/** The body every refusal carries (src/http/errors.ts). */
export const ERROR_SCHEMA = {
  type: "object",
  required: ["code", "message", "requestId"],
  properties: {
    code: { type: "string", enum: Object.keys(STATUS_OF), description: "错误代码 Error code" },
    message: { type: "string" },
    requestId: { type: "string", description: "与 X-Request-Id 相同 Same as X-Request-Id" },
    problems: {
      type: "array",
      items: {
        type: "object",
        properties: {
          code: { type: "string" },
          path: { type: "string", description: "JSON Pointer (RFC 6901)" },
          message: { type: "string" },
        },
      },
    },
    report: { type: "object", description: "签章验证报告 Seal verification report (ETSI TS 119 102-1)" },
  },
};

/** The groups of operations, in the order /docs shows them. */
export const TAGS = [
  { name: "cases", description: "案件 Transfer cases" },
  { name: "vouchers", description: "参保缴费凭证 Contribution vouchers" },
  { name: "inbox", description: "收件箱 Inbound documents" },
  { name: "exchange", description: "网关间交换 Gateway-to-gateway exchange" },
  { name: "checks", description: "校验与测算 Document checks and assessments" },
  { name: "verify", description: "签章验证 Seal verification" },
  { name: "deliveries", description: "投递 Outbound deliveries" },
  { name: "audit", description: "审计 Audit log" },
  {
    name: "archive",
    description:
      "电子档案：检查点、证明、证据包、四性检测 E-archive: checkpoints, proofs, evidence packs, integrity audit",
  },
  { name: "ops", description: "运维 Operations" },
];

/**
 * Zod shapes with a `.meta({ id })` (CaseView, DocumentSummary, …) come out of each operation's schema as
 * `$defs` with `#/$defs/<id>` references; moved to `components/schemas`, they are defined once and client
 * generators name them. Mutates `paths`; returns the hoisted components.
 */
export function hoistDefs(paths: Record<string, unknown>): Record<string, unknown> {
  const hoisted: Record<string, unknown> = {};
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (!value || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === "$defs") for (const [id, s] of Object.entries(v as object)) hoisted[id] ??= visit(s);
      else if (key === "$ref" && typeof v === "string" && v.startsWith("#/$defs/"))
        out[key] = COMPONENT_PREFIX + v.slice("#/$defs/".length);
      else out[key] = visit(v);
    }
    return out;
  };
  for (const [path, ops] of Object.entries(paths)) paths[path] = visit(ops);
  return hoisted;
}
