import type { ErrorObject } from "ajv/dist/2020.js";
import { problem, type Problem } from "./problems.ts";
import { SCHEMAS, schemaAt, schemaErrors, type JsonSchema, type SchemaName } from "./schemas.ts";

/**
 * ajv errors → SCHEMA problems that read naturally for agency staff: the zh-CN title of the field
 * (taken from the schema itself), what is wrong, and the ajv keyword in brackets for integrators.
 */
export function schemaProblems(name: SchemaName, value: unknown, prefix = ""): Problem[] {
  const root = SCHEMAS[name];
  return schemaErrors(name, value)
    .filter((e) => e.keyword !== "if") // the failing `then` keyword is reported on its own
    .map((e) => problem("SCHEMA", prefix + e.instancePath, describe(root, e)));
}

function describe(root: JsonSchema, error: ErrorObject): string {
  const segments = error.instancePath.split("/").slice(1).map(unescape);
  const label = titleAt(root, segments) ?? (error.instancePath || "文书");
  if (error.keyword === "required") {
    const missing = String(error.params.missingProperty);
    const missingTitle = titleAt(root, [...segments, missing]) ?? missing;
    return `「${label}」缺少必填项「${missingTitle}」（${missing}） [required]`;
  }
  return `「${label}」${explain(error)} [${error.keyword}]`;
}

function explain(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return `含有不允许的字段「${String(p.additionalProperty)}」`;
    case "type":
      return `应为${TYPE_NAMES[String(p.type)] ?? String(p.type)}`;
    case "pattern":
      return `格式不正确（应符合 ${String(p.pattern)}）`;
    case "format":
      return `不是有效的${FORMAT_NAMES[String(p.format)] ?? String(p.format)}`;
    case "enum":
      return `应为以下取值之一：${(p.allowedValues as unknown[]).map(String).join("、")}`;
    case "const":
      return `应为 ${JSON.stringify(p.allowedValue)}`;
    case "minimum":
      return `不得小于 ${String(p.limit)}`;
    case "maximum":
      return `不得大于 ${String(p.limit)}`;
    case "minLength":
      return `不得少于 ${String(p.limit)} 个字符`;
    case "maxLength":
      return `不得多于 ${String(p.limit)} 个字符`;
    case "minItems":
      return `至少应有 ${String(p.limit)} 项`;
    case "maxItems":
      return `最多 ${String(p.limit)} 项`;
    default:
      return error.message ?? "不符合规范";
  }
}

const TYPE_NAMES: Record<string, string> = {
  integer: "整数（金额以“分”为单位，不得有小数）",
  number: "数字",
  string: "文本",
  boolean: "是/否（true 或 false）",
  object: "对象",
  array: "列表",
};

const FORMAT_NAMES: Record<string, string> = {
  date: "日期（YYYY-MM-DD）",
  "date-time": "时间（RFC 3339，须带时区）",
};

type Node = Record<string, unknown>;

/**
 * The zh-CN title of the schema node that describes an instance location, following properties,
 * items and $ref; a property's own title wins over the title of the definition it refers to.
 */
function titleAt(root: JsonSchema, segments: string[]): string | undefined {
  let node: Node | undefined = root;
  let base = root.$id;
  for (const segment of segments) {
    const step = childOf(node, segment, base);
    if (!step) return undefined;
    [node, base] = step;
  }
  return typeof node.title === "string" ? node.title : undefined;
}

function childOf(node: Node, segment: string, base: string): [Node, string] | undefined {
  const properties = node.properties as Record<string, Node> | undefined;
  if (properties?.[segment]) return [properties[segment], base];
  if (/^\d+$/.test(segment) && typeof node.items === "object") return [node.items as Node, base];
  if (typeof node.$ref !== "string") return undefined;
  const target = new URL(node.$ref, base);
  const resolved = schemaAt(target.href) as Node | undefined;
  target.hash = "";
  return resolved ? childOf(resolved, segment, target.href) : undefined;
}

function unescape(segment: string): string {
  return segment.replaceAll("~1", "/").replaceAll("~0", "~");
}
