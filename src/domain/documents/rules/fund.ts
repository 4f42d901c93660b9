import { POOLED_FUND_FROM_YEAR, formatFen, pooledFundOfRow, sumFen, type Fen } from "../../money.ts";
import { pointer, problem, type Problem } from "../problems.ts";
import type { Document, DocumentOf, FundBlock, InsuranceRecordBody } from "../types.ts";
import type { RuleContext } from "./context.ts";

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
 * ⑤ = Σ over rows from 1998 of round-half-up(base × months × 12 / 100) (66号 art 4: 12 % of the actual
 * base of every paid month from 1998-01-01; no interest). Rows lie within one year (PERIOD_INVALID
 * otherwise), so the 1997/1998 boundary is a row's year. Each row's rounding may differ by 1 fen.
 */
export function checkPooledFund(doc: Document): Problem[] {
  if (doc.type !== "insurance-record") return [];
  const rows = doc.body.contributions.filter((row) => row.year >= POOLED_FUND_FROM_YEAR);
  const expected = expectedPooledFund(doc.body);
  const stated = doc.body.fund.pooledFundFen;
  if (Math.abs(stated - expected) <= rows.length) return [];
  const message =
    `⑤统筹基金转移额应为 1998 年起 ${rows.length} 行缴费基数×月数×12% 之和 ${formatFen(expected)}` +
    `（每行允许 1 分舍入差），实为 ${formatFen(stated)}`;
  return [problem("POOLED_FUND_MISMATCH", pointer("body", "fund", "pooledFundFen"), message)];
}

/** The pooled fund a record's rows from 1998-01 on call for, in fen. */
export function expectedPooledFund(record: InsuranceRecordBody): Fen {
  const rows = record.contributions.filter((row) => row.year >= POOLED_FUND_FROM_YEAR);
  return sumFen(rows.map((row) => pooledFundOfRow(row.monthlyBaseFen, row.months)));
}

const RECONCILED = ["personalAccountFen", "pooledFundFen", "totalFen"] as const;

const LABELS: Record<(typeof RECONCILED)[number], string> = {
  personalAccountFen: "④个人账户基金转移额",
  pooledFundFen: "⑤统筹基金转移额",
  totalFen: "⑥转移基金总额",
};

/**
 * A fund-transfer moves exactly the ④ ⑤ ⑥ of the insurance-record it names, for the same person
 * (66号 art 8(四): the receiver completes only after record and money match).
 */
export function checkFundTransfer(doc: Document, ctx: RuleContext): Problem[] {
  if (doc.type !== "fund-transfer") return [];
  const record = recordFor(doc, ctx.related);
  if (!record) return [];
  const fund = record.body.fund;
  const found = RECONCILED.filter((key) => doc.body[key] !== fund[key]).map((key) =>
    problem(
      "FUND_TRANSFER_MISMATCH",
      pointer("body", key),
      `${LABELS[key]} ${formatFen(doc.body[key])} 与信息表 ${record.id} 所列 ${formatFen(fund[key])} 不一致`,
    ),
  );
  if (doc.body.person.idNumber !== record.body.person.idNumber) {
    const message = `参保人员公民身份号码与信息表 ${record.id} 不一致`;
    found.push(problem("FUND_TRANSFER_MISMATCH", pointer("body", "person", "idNumber"), message));
  }
  return found;
}

/** The named record of the same case; failing that, the case's only (latest issued) record. */
function recordFor(doc: DocumentOf<"fund-transfer">, related: Document[]): DocumentOf<"insurance-record"> | undefined {
  const records = related.filter(
    (d): d is DocumentOf<"insurance-record"> => d.type === "insurance-record" && d.caseId === doc.caseId,
  );
  const named = records.find((d) => d.id === doc.body.insuranceRecordId);
  return named ?? records.sort((a, b) => a.issuedAt.localeCompare(b.issuedAt)).at(-1);
}
