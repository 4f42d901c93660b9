import { COMMON_SCHEMA, SCHEMAS, type JsonSchema } from "../domain/documents/index.ts";

/** Every fixed text a printed page may show (the common font is cut to cover these: src/runtime/fonts.ts). */
export const TEXT = {
  voucherTitle: "基本养老保险参保缴费凭证",
  voucherNumber: "凭证编号",
  issuer: "出具机构",
  address: "地址",
  phone: "联系电话",
  person: "参保人员",
  name: "姓名",
  idNumber: "公民身份号码",
  ssn: "社会保障号码",
  period: "参保起止时间",
  paidMonths: "累计缴费月数",
  deemedMonths: "视同缴费月数",
  accountType: "账户类别",
  general: "一般账户",
  temporary: "临时基本养老保险缴费账户",
  account: "个人账户储存额",
  yuan: "元",
  months: "个月",
  to: "至",
  contributions: "历年缴费基数及记账明细",
  cols: "年度|起止年月|月数|缴费基数（元）|记账额（元）|利息（元）|年末储存额（元）|缴费地",
  issuedOn: "出具日期",
  handler: "经办人",
  documentId: "文书编号",
  caseId: "案件编号",
  from: "发文机构",
  recipient: "收文机构",
  issuedAt: "签发时间",
  replyTo: "答复文书",
  type: "文书类型",
  body: "文书内容",
  digest: "文书摘要（SHA-256）",
  verdict: "打印时核验结果",
  passed: "核验通过",
  failed: "核验未通过",
  indeterminate: "无法确定",
  archive: "归档收录",
  leaf: "归档序号",
  treeSize: "检查点规模",
  scan: "核验方法：扫描二维码或打开下方网址，核验网关存档的签章原件。",
  carries: "本 PDF 以附件形式携带签章原件（JSON、CMS 签章及已签章文书），可导入系统直接验签。",
  sealedBy: "签章机构",
  page: "第 {n} 页 / 共 {m} 页",
  qr: "扫码核验",
  sealLine: "社会保险业务专用章",
  yes: "是",
  no: "否",
  none: "无",
  more: "…",
} as const;

/** Chinese names of document types, from each wire schema's title. */
export function typeTitle(type: string): string {
  const schema = (SCHEMAS as Record<string, JsonSchema | undefined>)[type];
  return typeof schema?.title === "string" ? schema.title : type;
}

type Schema = Record<string, unknown>;

/** The schema a `$ref` of the wire schemas names (common.schema.json `$defs`). */
function resolve(schema: Schema | undefined): Schema | undefined {
  const ref = schema?.$ref;
  if (typeof ref !== "string") return schema;
  const name = ref.split("/").pop()!;
  const def = (COMMON_SCHEMA.$defs as Record<string, Schema> | undefined)?.[name];
  return def ? { ...def, ...schema, $ref: undefined, refName: name, title: schema?.title ?? def.title } : schema;
}

/** The sub-schema for `key` under `schema` (object property or array item). */
export function childSchema(schema: Schema | undefined, key: string | number): Schema | undefined {
  const s = resolve(schema);
  if (!s) return undefined;
  if (typeof key === "number") return resolve(s.items as Schema | undefined);
  return resolve((s.properties as Record<string, Schema> | undefined)?.[key]);
}

export function bodySchema(type: string): Schema | undefined {
  return (SCHEMAS as Record<string, Schema | undefined>)[type];
}

/** The schema's Chinese title for a field, else its key. */
export function labelOf(schema: Schema | undefined, key: string): string {
  const title = resolve(schema)?.title;
  return typeof title === "string" ? title : key;
}

/** Amounts are kept in fen (分); shown in yuan with two decimals and thousands separators. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(fen));
  const whole = Math.floor(abs / 100).toLocaleString("en-US");
  return `${sign}${whole}.${String(abs % 100).padStart(2, "0")}`;
}

/** A field that holds fen: by its schema (`$defs/fen`) or by name. */
export function isFen(schema: Schema | undefined, key: string): boolean {
  return /Fen$/.test(key) || schema?.refName === "fen";
}

/** Every schema title (type names and field labels) a page may print. */
export function schemaTitles(): string[] {
  const titles: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        if (k === "title" && typeof x === "string") titles.push(x);
        else walk(x);
      }
  };
  walk(SCHEMAS);
  walk(COMMON_SCHEMA);
  return titles;
}
