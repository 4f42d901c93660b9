import type { CaseStatus } from "../../domain/transfer-case/index.ts";
import type { Milestone, TrackedCase, TrackStepKind } from "../../usecases/index.ts";
import { type Lang, tr } from "./layout.tsx";

/**
 * The tracking page's words (issue 13 item 1): every status, step and reason code of a case in plain zh-CN
 * and English, for a person who has never seen the forms. Codes the lists below do not know (a newer gateway's)
 * fall back to a neutral phrase rather than the raw code.
 */
type Words = readonly [zh: string, en: string];
const say = (lang: Lang, w: Words | undefined, fallback: Words): string => tr(lang, ...(w ?? fallback));

const STEP: Record<TrackStepKind, Words> = {
  accepted: ["申请已受理", "Application accepted"],
  "letter-sent": ["联系函已发出", "Contact letter sent to the former place"],
  "record-sent": ["信息表已由转出地发出", "Insurance record sent by the former place"],
  "record-received": ["信息表已收到", "Insurance record received"],
  "funds-sent": ["基金已由转出地划出", "Funds sent by the former place"],
  "funds-received": ["基金已到账", "Funds received"],
  discrepancy: ["核对不符，等待转出地更正", "Mismatch found; waiting for the former place to correct it"],
  corrected: ["转出地已更正，继续办理", "Corrected by the former place; processing resumes"],
  completed: ["办结", "Completed"],
  returned: ["已退回", "Returned"],
  refused: ["不予受理", "Not accepted"],
  cancelled: ["已撤销", "Cancelled"],
  "deadline-extended": ["因突发事件，办理期限顺延", "Deadline extended because of an emergency"],
};

export function stepText(lang: Lang, kind: TrackStepKind, correction?: boolean): string {
  const base = say(lang, STEP[kind], ["进展", "Progress"]);
  return correction ? `${base}${tr(lang, "（更正）", " (corrected)")}` : base;
}

const MILESTONE: Record<Milestone, Words> = {
  accepted: ["申请已受理", "Application accepted"],
  letter: ["联系函已发出", "Contact letter sent"],
  record: ["信息表已收到", "Insurance record received"],
  funds: ["基金已到账", "Funds received"],
  correction: ["转出地更正信息表或基金", "The former agency corrects the record or funds"],
  completed: ["办结", "Completed"],
};

export const milestoneText = (lang: Lang, m: Milestone): string => say(lang, MILESTONE[m], ["下一步", "Next step"]);

const STATUS: Record<CaseStatus, Words> = {
  empty: ["尚未受理", "Not yet accepted"],
  "application-registered": ["已受理，等待发出联系函", "Accepted; the contact letter is being prepared"],
  "contact-letter-sent": ["联系函已发出，等待信息表和基金", "Contact letter sent; waiting for record and funds"],
  "contact-letter-received": ["转出地正在办理信息表和基金", "The former place is preparing record and funds"],
  "awaiting-completion": ["信息表和基金均已到达，正在核对办结", "Record and funds arrived; being checked"],
  "discrepancy-raised": ["核对不符，等待更正", "Mismatch found; waiting for a correction"],
  completed: ["已办结", "Completed"],
  returned: ["已退回", "Returned"],
  refused: ["不予受理", "Not accepted"],
  cancelled: ["已撤销", "Cancelled"],
};

export const statusText = (lang: Lang, s: CaseStatus): string => say(lang, STATUS[s], ["办理中", "In progress"]);

const REASON: Record<string, Words> = {
  // Returns (return.schema.json)
  NOT_INSURED_AT_NEW_PLACE: ["您尚未在新参保地参保缴费", "You are not yet insured at the new place"],
  ALREADY_RETIRED: ["您已办理退休或已领取养老待遇", "You have already retired or receive a pension"],
  ARREARS: ["存在欠缴的养老保险费", "There are unpaid contributions"],
  IDENTITY_MISMATCH: ["姓名或公民身份号码不一致", "Name or ID number do not match"],
  TEMPORARY_ACCOUNT_RULE: ["应在新参保地建立临时缴费账户", "A temporary account must be opened at the new place"],
  DUPLICATE_PERIODS: ["存在重复缴费时段，需先处理", "Some periods were paid twice and must be settled first"],
  UNKNOWN_AGENCY: ["无法确定对方经办机构", "The other agency could not be identified"],
  TRANSFER_IN_PROGRESS: ["已有一项转移正在办理", "Another transfer is already in progress"],
  NOT_ELIGIBLE: ["不符合转移接续条件", "The transfer conditions are not met"],
  // Discrepancies (discrepancy.schema.json)
  AMOUNT_MISMATCH: ["转移金额与明细或到账金额不一致", "The amount differs from the details or what arrived"],
  RECORD_INCONSISTENT: ["信息表内容前后不一致", "The insurance record contradicts itself"],
  PERSON_MISMATCH: ["人员信息不一致", "The personal details do not match"],
  PAYEE_MISMATCH: ["收款账户与联系函不一致", "The receiving account differs from the contact letter"],
  FUNDS_NOT_RECEIVED: ["基金尚未到账", "The funds have not arrived"],
  OTHER: ["其他原因（见说明）", "Another reason (see the explanation)"],
};

export const reasonText = (lang: Lang, code: string): string => say(lang, REASON[code], ["其他原因", "Another reason"]);

const PRIORITY: Record<string, Words> = {
  SERIOUS_ILLNESS: ["重病", "serious illness"],
  NEAR_RETIREMENT: ["即将退休", "near retirement"],
  FRONTLINE_MEDICAL: ["一线医护人员", "front-line medical staff"],
  HARDSHIP: ["生活困难", "hardship"],
  OTHER: ["其他", "other"],
};

export const priorityText = (lang: Lang, code: string): string => say(lang, PRIORITY[code], ["其他", "other"]);

const STEP_OF_DEADLINE: Record<string, Words> = {
  "contact-letter": ["发出联系函", "sending the contact letter"],
  "record-and-funds": ["转出信息表和基金", "sending the record and the funds"],
  completion: ["核对并办结", "checking and completing"],
  correction: ["更正不符之处", "correcting the mismatch"],
};

export const deadlineStepText = (lang: Lang, step: string): string =>
  say(lang, STEP_OF_DEADLINE[step], ["当前环节", "the current step"]);

/** The next thing the person can do, in one or two sentences. */
export function nextAction(lang: Lang, t: TrackedCase): string {
  const call = t.transferIn.phone ? tr(lang, `（电话 ${t.transferIn.phone}）`, ` (phone ${t.transferIn.phone})`) : "";
  if (t.deadline?.overdue) {
    const holder = t.holder?.name ?? t.transferIn.name;
    return tr(
      lang,
      `已超过法定办理期限。您可以联系${holder}，或向受理您申请的${t.transferIn.name}${call}反映。`,
      `The legal deadline has passed. You may contact ${holder}, or the agency that took your application, ${t.transferIn.name}${call}.`,
    );
  }
  switch (t.status) {
    case "completed":
      return tr(lang, "转移已办结，您无需再做任何事。", "The transfer is complete; there is nothing more to do.");
    case "returned":
      return tr(
        lang,
        `请按退回原因补齐材料后，到${t.transferIn.name}${call}重新申请。`,
        `Please resolve the reason above, then apply again at ${t.transferIn.name}${call}.`,
      );
    case "refused":
      return tr(
        lang,
        `如有异议，请联系${t.transferIn.name}${call}。`,
        `If you disagree, contact ${t.transferIn.name}${call}.`,
      );
    case "cancelled":
      return tr(lang, "申请已撤销。如需转移，请重新申请。", "The application was cancelled. Apply again if needed.");
    case "discrepancy-raised":
      return tr(
        lang,
        "两地经办机构正在核对更正，您无需操作，请耐心等待。",
        "The two agencies are correcting the records; there is nothing you need to do.",
      );
    default:
      return tr(
        lang,
        "经办机构正在办理，您无需操作，请在期限内耐心等待。",
        "The agencies are handling your transfer; there is nothing you need to do before the deadline.",
      );
  }
}
