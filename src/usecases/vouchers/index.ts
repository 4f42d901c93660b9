/** Contribution vouchers (参保缴费凭证, issue 11 item 1): issued and read back by the agency the person leaves. */
export { issueVoucher, type IssueVoucherInput } from "./issue.ts";
export { findIssuedVoucher, readVoucher, requireIssuedVoucher, type IssuedVoucher } from "./read.ts";
