import {
  POOLED_FUND_FROM_YEAR,
  formatFen,
  formatRange,
  inRange,
  pooledFundRateBp,
  rowAmountRange,
  sumFen,
  sumRanges,
  type Fen,
  type FenRange,
} from "../../money.ts";
import { pointer, problem, type Problem } from "../problems.ts";
import type { Document, DocumentOf, FundBlock, InsuranceRecordBody } from "../types.ts";
import type { RuleContext } from "./context.ts";
import { caseDocumentsOf, currentOf } from "./case.ts";

/** ④ = ① + ② + ③ and ⑥ = ④ + ⑤ exactly (信息表（一）, docs/references.md "Transfer forms and amounts"). */
export function checkFundSums(doc: Document): Problem[] {
  if (doc.type === "insurance-record") return checkBlock(doc.body.fund);
  if (doc.type === "fund-transfer") return checkTotal(doc.body, pointer("body", "totalFen"));
  return [];
}

function checkBlock(fund: FundBlock): Problem[] {
  const personal = sumFen([fund.pre1998PersonalFen, fund.from1998ToLastYearEndFen, fund.currentYearPrincipalFen]);
  const found: Problem[] = [];
  if (fund.personalAccountFen !== personal) {
    const message = `④个人账户基金转移额应等于 ①+②+③ = ${formatFen(personal)}，实为 ${formatFen(fund.personalAccountFen)}`;
    found.push(problem("FUND_SUM_MISMATCH", pointer("body", "fund", "personalAccountFen"), message));
  }
  return [...found, ...checkTotal(fund, pointer("body", "fund", "totalFen"))];
}

function checkTotal(amounts: { personalAccountFen: Fen; pooledFundFen: Fen; totalFen: Fen }, path: string): Problem[] {
  const total = sumFen([amounts.personalAccountFen, amounts.pooledFundFen]);
  if (amounts.totalFen === total) return [];
  return [
    problem(
      "FUND_SUM_MISMATCH",
      path,
      `⑥转移基金总额应等于 ④+⑤ = ${formatFen(total)}，实为 ${formatFen(amounts.totalFen)}`,
    ),
  ];
}

/**
 * ⑤ against the rows (66号 art 4: 12 % of the actual base of every paid month from 1998-01-01, no interest; a
 * temporary account moves the employer's actual rate when above 12 %, 人社部发〔2009〕187号). The sending
 * province's rounding rule is not published, so any amount from Σ round-down to Σ round-up of the per-row
 * exact amounts is accepted, and nothing outside it (docs/money-rules.md "Pooled fund").
 */
export function checkPooledFund(doc: Document): Problem[] {
  if (doc.type !== "insurance-record") return [];
  const range = pooledFundRange(doc.body);
  const stated = doc.body.fund.pooledFundFen;
  if (inRange(stated, range)) return [];
  const rate = doc.body.accountType === "temporary" ? "单位实际缴费比例（不低于 12%）" : "12%";
  const message = `⑤统筹基金转移额应为 1998 年起各行缴费基数×月数×${rate}之和 ${formatRange(range)}，实为 ${formatFen(stated)}`;
  return [problem("POOLED_FUND_MISMATCH", pointer("body", "fund", "pooledFundFen"), message)];
}

/** The pooled fund a record's rows from 1998-01 on call for: Σ round-down … Σ round-up, in fen. */
export function pooledFundRange(record: Pick<InsuranceRecordBody, "accountType" | "contributions">): FenRange {
  const rows = record.contributions.filter((row) => row.year >= POOLED_FUND_FROM_YEAR);
  return sumRanges(
    rows.map((row) =>
      rowAmountRange(row.monthlyBaseFen, row.months, pooledFundRateBp(record.accountType, row.employerRateBp)),
    ),
  );
}

const RECONCILED = ["personalAccountFen", "pooledFundFen", "totalFen"] as const;

const LABELS: Record<(typeof RECONCILED)[number], string> = {
  personalAccountFen: "④个人账户基金转移额",
  pooledFundFen: "⑤统筹基金转移额",
  totalFen: "⑥转移基金总额",
};

/**
 * A fund-transfer moves exactly the ④ ⑤ ⑥ of the insurance-record it names (66号 art 8(四): the receiver
 * completes only after record and money match). The person is compared by checkPersonAcrossCase.
 */
export function checkFundTransfer(doc: Document, ctx: RuleContext): Problem[] {
  if (doc.type !== "fund-transfer") return [];
  const record = recordFor(doc, ctx.related);
  if (!record) return [];
  const fund = record.body.fund;
  return RECONCILED.filter((key) => doc.body[key] !== fund[key]).map((key) =>
    problem(
      "FUND_TRANSFER_MISMATCH",
      pointer("body", key),
      `${LABELS[key]} ${formatFen(doc.body[key])} 与信息表 ${record.id} 所列 ${formatFen(fund[key])} 不一致`,
    ),
  );
}

/** The named record of the same case; failing that, the case's current record (none supersedes it). */
function recordFor(doc: DocumentOf<"fund-transfer">, related: Document[]): DocumentOf<"insurance-record"> | undefined {
  const records = caseDocumentsOf(doc, related, "insurance-record");
  return records.find((d) => d.id === doc.body.insuranceRecordId) ?? currentOf(records);
}
