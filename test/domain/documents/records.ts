import type { EmergencyWindow } from "../../../src/domain/calendar/index.ts";
import {
  validateDocument,
  type ContributionRow,
  type Document,
  type DocumentOf,
  type FundBlock,
} from "../../../src/domain/documents/index.ts";
import { NOW, example } from "./fixtures.ts";

/**
 * A small record whose every figure was worked out by hand in integer fen (not by the code under test):
 *
 * | row | months          | base    | acct / pers | credited (pers)  | interest (pers) | balance (pers)    |
 * |-----|-----------------|---------|-------------|------------------|-----------------|-------------------|
 * | 0   | 1997-07…12 (6)  | 80 000  | 11 % / 4 %  | 52 800 (19 200)  | 0 (0)           | 52 800 (19 200)   |
 * | 1   | 1998-01…12 (12) | 90 000  | 11 % / 5 %  | 118 800 (54 000) | 1 500 (550)     | 173 100 (73 750)  |
 * | 2   | 2023-01…12 (12) | 700 000 | 8 % / 8 %   | 672 000          | 4 000           | 849 100           |
 * | 3   | 2024-01…06 (6)  | 750 001 | 8 % / 8 %   | 360 000 (.48)    | 0               | 1 209 100         |
 *
 * Transfer 2024-08-05. 66号 art 4 moves only the personal part of the 1997-end balance: the employer-credited
 * part D = 52 800 − 19 200 = 33 600 stays. ① 19 200 (1997's personal balance), ② 849 100 − 52 800 = 796 300
 * (2023-end balance less the 1997-end balance), ③ 360 000, ④ 1 209 100 − 33 600 = 1 175 500 (= ①+②+③).
 * ⑤ at 12 % from 1998: 129 600 + 1 008 000 + 540 000.72 → 1 677 600 … 1 677 601; ⑥ 1 175 500 + 1 677 600
 * = 2 853 100.
 */
export function accountRows(): ContributionRow[] {
  return [
    row(
      1997,
      "07",
      "12",
      6,
      80_000,
      { accountRateBp: 1100, personalRateBp: 400 },
      [52_800, 19_200],
      [0, 0],
      [52_800, 19_200],
    ),
    row(
      1998,
      "01",
      "12",
      12,
      90_000,
      { accountRateBp: 1100, personalRateBp: 500 },
      [118_800, 54_000],
      [1_500, 550],
      [173_100, 73_750],
    ),
    row(2023, "01", "12", 12, 700_000, {}, [672_000, 672_000], [4_000], [849_100]),
    row(2024, "01", "06", 6, 750_001, {}, [360_000, 360_000], [0], [1_209_100]),
  ];
}

export const ACCOUNT_FUND: FundBlock = {
  pre1998PersonalFen: 19_200,
  from1998ToLastYearEndFen: 796_300,
  currentYearPrincipalFen: 360_000,
  personalAccountFen: 1_175_500,
  pooledFundFen: 1_677_600,
  totalFen: 2_853_100,
};

/** One row of 440106 (广州市天河区) at 14 % employer, 8 % account and personal unless `rates` says otherwise. */
export function row(
  year: number,
  start: string,
  end: string,
  months: number,
  base: number,
  rates: Partial<Pick<ContributionRow, "employerRateBp" | "accountRateBp" | "personalRateBp">>,
  [creditedFen, creditedPersonalFen]: [number, number?],
  [interestFen, interestPersonalFen]: [number, number?],
  [balanceFen, balancePersonalFen]: [number, number?],
): ContributionRow {
  return {
    divisionCode: "440106",
    year,
    startMonth: `${year}-${start}`,
    endMonth: `${year}-${end}`,
    months,
    monthlyBaseFen: base,
    employerRateBp: 1400,
    accountRateBp: 800,
    personalRateBp: 800,
    ...rates,
    creditedFen,
    ...(creditedPersonalFen === undefined ? {} : { creditedPersonalFen }),
    interestFen,
    ...(interestPersonalFen === undefined ? {} : { interestPersonalFen }),
    balanceFen,
    ...(balancePersonalFen === undefined ? {} : { balancePersonalFen }),
    kind: "normal",
  };
}

/** The example record carrying the hand-worked rows and figures above, edited by `edit`. */
export function accountRecord(edit: (doc: DocumentOf<"insurance-record">) => void = () => {}): Document {
  const doc = example("insurance-record");
  doc.body.contributions = accountRows();
  doc.body.fund = { ...ACCOUNT_FUND };
  doc.body.paidMonths = 36;
  doc.body.localPeriod = { startMonth: "1997-07", endMonth: "2024-06" };
  edit(doc);
  return doc;
}

/** "CODE /pointer" lines of the problems, optionally only those of the given codes. */
export function problemLines(
  doc: unknown,
  options: { codes?: readonly string[]; related?: unknown[]; emergencyWindows?: EmergencyWindow[]; now?: Date } = {},
): string[] {
  const { codes, related, emergencyWindows, now = NOW } = options;
  return validateDocument(doc, { now, related, emergencyWindows })
    .problems.filter((p) => !codes || codes.includes(p.code))
    .map((p) => `${p.code} ${p.path}`);
}
