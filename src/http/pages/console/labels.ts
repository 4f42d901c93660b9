import type { Lang } from "../layout.tsx";

/** Plain names of what the console shows (issue 13 item 4): the API's codes stay next to them in the page. */
type Names = Readonly<Record<string, readonly [zh: string, en: string]>>;

export const DOCUMENT_TYPES: Names = {
  "contact-letter": ["联系函", "Contact letter"],
  "insurance-record": ["信息表", "Insurance record"],
  "fund-transfer": ["基金划转通知", "Fund transfer"],
  return: ["退回通知", "Return"],
  discrepancy: ["核对不符通知", "Discrepancy"],
  completion: ["办结通知", "Completion"],
  "business-receipt": ["业务回执", "Business receipt"],
  receipt: ["传输回执", "Transport receipt"],
  "contribution-voucher": ["参保缴费凭证", "Contribution voucher"],
};

export const CASE_STATUSES: Names = {
  empty: ["未登记", "Not opened"],
  "application-registered": ["已受理申请", "Application registered"],
  "contact-letter-sent": ["联系函已发出", "Contact letter sent"],
  "contact-letter-received": ["联系函已收到", "Contact letter received"],
  "awaiting-completion": ["待办结", "Awaiting completion"],
  "discrepancy-raised": ["核对不符", "Discrepancy raised"],
  completed: ["已办结", "Completed"],
  returned: ["已退回", "Returned"],
  refused: ["已拒绝", "Refused"],
  cancelled: ["已撤销", "Cancelled"],
};

export const DOCUMENT_STATES: Names = {
  queued: ["待投递", "Queued"],
  sending: ["投递中", "Sending"],
  delivered: ["已送达", "Delivered"],
  retrying: ["重试中", "Retrying"],
  failed: ["投递失败", "Failed"],
  uncertain: ["结果不明", "Uncertain"],
  cancelled: ["已取消", "Cancelled"],
  received: ["待确认", "Awaiting acknowledgement"],
  acknowledged: ["已确认", "Acknowledged"],
  issued: ["已出具", "Issued"],
};

export const INDICATIONS: Names = {
  TOTAL_PASSED: ["验证通过", "Passed"],
  TOTAL_FAILED: ["验证失败", "Failed"],
  INDETERMINATE: ["无法确定", "Indeterminate"],
};

export const PRIORITY_REASONS: Names = {
  SERIOUS_ILLNESS: ["重病", "Serious illness"],
  NEAR_RETIREMENT: ["临近退休", "Near retirement"],
  FRONTLINE_MEDICAL: ["一线医务人员", "Front-line medical staff"],
  HARDSHIP: ["生活困难", "Hardship"],
  OTHER: ["其他", "Other"],
};

export const STEPS: Names = {
  "contact-letter": ["出具联系函", "Contact letter"],
  "record-and-funds": ["转出信息表与基金", "Record and funds"],
  completion: ["办结", "Completion"],
  correction: ["更正", "Correction"],
};

/** Plain words for the refusals a console form can meet; anything else shows the API's own message. */
export const ERROR_WORDS: Names = {
  DOCUMENT_INVALID: [
    "文书内容未通过校验，请按下列问题修改。",
    "The document did not pass validation: see the problems.",
  ],
  REQUEST_INVALID: ["填写的内容不完整或格式不对。", "Something is missing or malformed."],
  JSON_INVALID: ["文本不是有效的 JSON。", "The text is not valid JSON."],
  ILLEGAL_TRANSITION: ["案件当前状态不接受这份文书。", "The case does not take this document in its state."],
  WRONG_PARTY: ["本机构不是这份文书的发文方。", "This agency is not the party that sends it."],
  CASE_CLOSED: ["案件已结束。", "The case is closed."],
  CASE_NOT_FOUND: ["没有这个案件。", "No such case."],
  CASE_ALREADY_OPENED: ["该案件编号已被使用。", "That case id is taken."],
  RECIPIENT_UNKNOWN: ["目录中没有该经办机构。", "That agency is not in the directory."],
  DOCUMENT_CONFLICT: ["同一编号已有另一份文书。", "Another document already has that id."],
  VOUCHER_INVALID: ["凭证的签章未通过验证。", "The voucher's seal does not verify."],
  VOUCHER_WRONG_ISSUER: ["凭证不是转出地经办机构出具的。", "The voucher was not issued by the transfer-out agency."],
  VOUCHER_PERSON_MISMATCH: ["凭证上的人员与申请人不一致。", "The voucher names another person."],
  VOUCHER_MISMATCH: ["文书引用的凭证与案件不符。", "The document names another voucher than the case's."],
  PDF_NO_SEALED_ORIGINAL: ["PDF 中没有已签章的原件。", "The PDF carries no sealed original."],
  VOUCHER_NOT_FOUND: ["本机构没有出具这份凭证。", "This agency issued no such voucher."],
  PRINT_GLYPH_MISSING: ["文书中有字库没有的字，无法打印。", "The document has a character the font lacks."],
  BODY_TOO_LARGE: ["上传的文件太大。", "The upload is too large."],
  DELIVERY_NOT_FOUND: ["没有这条投递。", "No such delivery."],
  DOCUMENT_NOT_FOUND: ["没有这份文书。", "No such document."],
  NOT_ACKNOWLEDGEABLE: ["回执本身无需确认。", "Receipts are not acknowledged."],
  ALREADY_ACKNOWLEDGED: ["这份文书已以另一结果确认。", "Already acknowledged with another outcome."],
  SEAL_TRY_LATER: ["暂时无法验证签章，请稍后再试。", "Seals cannot be checked right now; try again later."],
  DIRECTORY_EXPIRED: ["机构目录已过期，暂停发送。", "The directory has expired: sending is suspended."],
};

/** The name in the reader's language, or the code itself when there is none. */
export function nameOf(names: Names, code: string | undefined, lang: Lang): string {
  if (code === undefined) return "";
  const pair = names[code];
  return pair ? pair[lang === "en" ? 1 : 0] : code;
}
