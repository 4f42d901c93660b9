import { readFileSync } from "node:fs";
import { DEFAULT_AGENCIES } from "../../dev/pki.ts";

/**
 * Document bodies for the demo's two transfers, from schemas/examples: the 广东 → 浙江 transfer of
 * the examples as it is, and a 四川 → 广东 transfer whose contact letter is the example's with the
 * agencies swapped, answered by a `return` (退回) with a reason code and an explanation.
 */

export interface DocumentInput {
  type: string;
  id: string;
  body: Record<string, unknown>;
  replyTo?: string;
}

const EXAMPLES = new URL("../../../schemas/examples/", import.meta.url);

export function example(type: string): DocumentInput {
  const doc = JSON.parse(readFileSync(new URL(`${type}.json`, EXAMPLES), "utf8")) as DocumentInput;
  return { type, id: doc.id, body: doc.body, ...(doc.replyTo ? { replyTo: doc.replyTo } : {}) };
}

export interface TransferPlan {
  caseId: string;
  /** 转入地: registers the application and sends the contact letter. */
  transferIn: string;
  /** 转出地: answers with record and funds, or returns the case. */
  transferOut: string;
}

/** (a) 广东 → 浙江, completed: the examples' own case. */
export const COMPLETED: TransferPlan = {
  caseId: "CASE-330000-2024-000815",
  transferIn: "330000",
  transferOut: "440000",
};
/** (b) 四川 → 广东, returned by 四川 with a reason. */
export const RETURNED: TransferPlan = {
  caseId: "CASE-440000-2024-000977",
  transferIn: "440000",
  transferOut: "510000",
};

const ACCOUNTS: Record<
  string,
  { address: string; postcode: string; phone: string; contactPerson: string; account: Record<string, string> }
> = {
  "440000": {
    address: "广东省广州市天河区示例大道 2 号",
    postcode: "510620",
    phone: "020-83000000",
    contactPerson: "赵雪",
    account: {
      accountName: "广东省社会保险基金管理局",
      bankName: "中国工商银行广州分行营业部",
      accountNumber: "3602000109001234567",
      clearingCode: "102581000013",
    },
  },
  "510000": {
    address: "四川省成都市青羊区示例街 5 号",
    postcode: "610015",
    phone: "028-86000000",
    contactPerson: "刘洋",
    account: {
      accountName: "四川省社会保险管理局",
      bankName: "中国建设银行成都分行营业部",
      accountNumber: "51001408736050000510",
      clearingCode: "105651000016",
    },
  },
};

function nameOf(agencyId: string): string {
  return DEFAULT_AGENCIES.find((a) => a.id === agencyId)?.name ?? agencyId;
}

/**
 * The example contact letter re-addressed: from `transferIn` (whose receiving account it names) to
 * `transferOut`. Only 330000 (the example's own), 440000 and 510000 have receiving accounts here.
 */
export function contactLetter(
  plan: Pick<TransferPlan, "transferIn" | "transferOut">,
  id: string,
  letterNumber?: string,
): DocumentInput {
  const base = example("contact-letter");
  const body = structuredClone(base.body) as Record<string, any>;
  body.transferOut = { divisionCode: plan.transferOut, agencyName: nameOf(plan.transferOut) };
  const local = ACCOUNTS[plan.transferIn];
  if (local) {
    body.transferIn = {
      divisionCode: plan.transferIn,
      agencyName: nameOf(plan.transferIn),
      address: local.address,
      postcode: local.postcode,
      phone: local.phone,
      contactPerson: local.contactPerson,
    };
    body.receivingAccount = local.account;
    body.handler = local.contactPerson;
  } else if (plan.transferIn !== "330000") {
    throw new RangeError(`no receiving account for transfer-in agency ${plan.transferIn}`);
  }
  if (letterNumber) body.letterNumber = letterNumber;
  // This case is opened without a voucher: the letter names none.
  delete body.voucher;
  return { type: "contact-letter", id, body };
}

/** Today in Asia/Shanghai (YYYY-MM-DD), the date agencies write on documents. */
export function shanghaiToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** 四川's return of 广东's contact letter: reason code and written explanation (66号 art 8). */
export function returnOf(letter: DocumentInput, id: string, now = new Date()): DocumentInput {
  const person = letter.body.person as { name: string; idNumber: string };
  return {
    type: "return",
    id,
    replyTo: letter.id,
    body: {
      reasonCode: "ARREARS",
      explanation: "参保人员在四川省 2023 年 10–12 月存在欠缴，请告知参保人员补缴后重新申请转移。",
      person: { name: person.name, idNumber: person.idNumber },
      returnedDocumentId: letter.id,
      returnedOn: shanghaiToday(now),
      handler: "刘洋",
    },
  };
}

/** The documents the demo walks, by plan. */
export function completedTransferDocuments() {
  const letter = example("contact-letter");
  // The gateway fills in the voucher presented at registration (the example names the example's digest).
  delete letter.body.voucher;
  return {
    voucher: example("contribution-voucher"),
    letter,
    record: example("insurance-record"),
    funds: example("fund-transfer"),
    completion: example("completion"),
  };
}

export function returnedTransferDocuments(now = new Date()) {
  const letter = contactLetter(RETURNED, "GD-LXH-2024-000977", "粤社保联〔2024〕0977号");
  return { letter, ret: returnOf(letter, "SC-TH-2024-000977", now) };
}
