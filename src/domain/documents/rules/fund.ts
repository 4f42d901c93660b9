import {
  POOLED_FUND_FROM_YEAR,
  formatFen,
  formatRange,
  inRange,
  pooledFundRateBp,
  monthlyAmountRange,
  rowAmountRange,
  sumFen,
  sumRanges,
  type Fen,
  type FenRange,
} from "../../money.ts";
import { pointer, problem, type Problem } from "../problems.ts";
import type { Document, DocumentOf, FundBlock } from "../types.ts";
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
  const range = pooledFundRange(doc);
  const stated = doc.body.fund.pooledFundFen;
  if (inRange(stated, range)) return [];
  const rate = doc.body.accountType === "temporary" ? "12%（本省各行按单位实际缴费比例，不低于 12%）" : "12%";
  const message = `⑤统筹基金转移额应为 1998 年起各行缴费基数×月数×${rate}之和 ${formatRange(range)}，实为 ${formatFen(stated)}`;
  return [problem("POOLED_FUND_MISMATCH", pointer("body", "fund", "pooledFundFen"), message)];
}

/**
 * The pooled fund a record's rows from 1998-01 on call for: Σ round-down … Σ round-up, in fen, each row
 * rounded as the record's `creditRounding` says (by row, or month by month). The temporary account is held by
 * the sending province (人社部发〔2009〕187号), so only its rows move at the employer's higher rate; rows of
 * other places listed on the record move at 12 %.
 */
export function pooledFundRange(record: DocumentOf<"insurance-record">): FenRange {
  const province = record.from.slice(0, 2);
  const amount = record.body.creditRounding === "month" ? monthlyAmountRange : rowAmountRange;
  const rows = record.body.contributions.filter((row) => row.year >= POOLED_FUND_FROM_YEAR);
  return sumRanges(
    rows.map((row) => {
      const type = row.divisionCode.startsWith(province) ? record.body.accountType : "general";
      return amount(row.monthlyBaseFen, row.months, pooledFundRateBp(type, row.employerRateBp));
    }),
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
 * completes only after record and money match). The money may go before its record: then the record, when
 * it comes, is held to the fund transfer (checkRecordAgainstFunds). The person is compared by
 * checkPersonAcrossCase.
 */
export function checkFundTransfer(doc: Document, ctx: RuleContext): Problem[] {
  if (doc.type === "insurance-record") return checkRecordAgainstFunds(doc, ctx);
  if (doc.type !== "fund-transfer") return [];
  const records = caseDocumentsOf(doc, ctx.related, "insurance-record");
  const record = records.find((d) => d.id === doc.body.insuranceRecordId);
  if (!record) return [];
  return mismatches(doc.body, record.body.fund, (key) => pointer("body", key), `信息表 ${record.id}`);
}

/**
 * A record arriving after the case's current fund transfer, which named a record not yet sent, must be that
 * record and state the amounts it moved. A fund transfer naming an earlier record of the case is that
 * record's, and a corrected record waits for its own corrected fund transfer.
 */
function checkRecordAgainstFunds(doc: DocumentOf<"insurance-record">, ctx: RuleContext): Problem[] {
  const transfer = currentOf(caseDocumentsOf(doc, ctx.related, "fund-transfer"));
  if (!transfer) return [];
  const named = transfer.body.insuranceRecordId;
  if (caseDocumentsOf(doc, ctx.related, "insurance-record").some((d) => d.id === named)) return [];
  if (named !== doc.id) {
    const message = `本案基金划转 ${transfer.id} 已先行划转，所附信息表编号为 ${named}，与本信息表编号 ${doc.id} 不一致`;
    return [problem("FUND_TRANSFER_MISMATCH", pointer("id"), message)];
  }
  return mismatches(transfer.body, doc.body.fund, (key) => pointer("body", "fund", key), `基金划转 ${transfer.id}`);
}

function mismatches(
  transfer: Record<(typeof RECONCILED)[number], Fen>,
  fund: FundBlock,
  at: (key: (typeof RECONCILED)[number]) => string,
  other: string,
): Problem[] {
  return RECONCILED.filter((key) => transfer[key] !== fund[key]).map((key) =>
    problem(
      "FUND_TRANSFER_MISMATCH",
      at(key),
      `${LABELS[key]}：基金划转 ${formatFen(transfer[key])}，信息表 ${formatFen(fund[key])}，与${other}不一致`,
    ),
  );
}
