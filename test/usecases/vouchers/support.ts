import { readFileSync } from "node:fs";
import type { DocumentOf } from "../../../src/domain/documents/index.ts";
import { issueVoucher, type IssuedVoucher } from "../../../src/usecases/index.ts";
import type { TestGateway } from "../../support/gateway-harness.ts";

/** A schemas/examples document, fresh for each use (so the money rules of the examples keep it valid). */
export const example = (type: string) =>
  JSON.parse(readFileSync(new URL(`../../../schemas/examples/${type}.json`, import.meta.url), "utf8"));

/** The example voucher's body (陈志强, 广东); with 四川 510000 as issuer, its rows moved to 成都 (paid there). */
export function voucherBody(issuer: "440000" | "510000" = "440000"): DocumentOf<"contribution-voucher">["body"] {
  const body = example("contribution-voucher").body as DocumentOf<"contribution-voucher">["body"];
  if (issuer === "510000") {
    body.issuingAgency = { divisionCode: "510000", agencyName: "四川省社会保险事业管理局" };
    for (const row of body.contributions) Object.assign(row, { divisionCode: "510104", divisionName: "成都市锦江区" });
  }
  return body;
}

export const PERSON = { name: "陈志强", idNumber: "33010619760815123X" };

/** A voucher issued by a hosted agency through the use case. */
export function issue(gw: TestGateway, issuer: "440000" | "510000" = "440000", id?: string): Promise<IssuedVoucher> {
  return issueVoucher(gw.deps, gw.principal(issuer), { body: voucherBody(issuer), ...(id ? { id } : {}) });
}

/** The sealed voucher with one byte of its body changed after sealing. */
export function tampered(voucher: IssuedVoucher): IssuedVoucher["sealed"] {
  const document = structuredClone(voucher.sealed.document) as DocumentOf<"contribution-voucher">;
  document.body.handler = `${document.body.handler}乙`;
  return { document, seal: voucher.sealed.seal };
}

/** The example contact letter's body without the example's voucher (the case's is filled in). */
export function letterBody(): Record<string, unknown> {
  const { voucher: _voucher, ...body } = example("contact-letter").body;
  return body;
}
