import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cutCheckpoint, describeArchivedDocument, type IssuedVoucher } from "../../../src/usecases/index.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";
import { issue } from "../vouchers/support.ts";

describe("describeArchivedDocument: what /v/<sha256> shows (issue 13 item 2)", () => {
  let gw: TestGateway;
  let voucher: IssuedVoucher;
  beforeAll(async () => {
    gw = await createTestGateway();
    voucher = await issue(gw);
  });
  afterAll(async () => gw.close());

  it("re-verifies the stored copy and names its issuer, with the person masked", async () => {
    const view = await describeArchivedDocument(gw.deps, voucher.documentSha256);
    expect(view).toMatchObject({
      documentId: voucher.documentId,
      type: "contribution-voucher",
      typeTitle: "基本养老保险参保缴费凭证",
      issuer: { agencyId: "440000", name: "广东省社会保险基金管理局" },
      person: { name: "陈*强", idNumber: "330106********123X" },
      verification: { indication: "TOTAL_PASSED" },
      digestMatches: true,
    });
    // Archived, but no signed checkpoint covers it yet: no inclusion claimed.
    expect(view?.archive).toEqual({ leafIndex: expect.any(Number) });
  });

  it("proves inclusion once a signed checkpoint covers the leaf", async () => {
    const checkpoint = await cutCheckpoint(gw.deps);
    const view = await describeArchivedDocument(gw.deps, voucher.documentSha256);
    expect(view?.archive).toMatchObject({
      checkpoint: { treeSize: checkpoint.size, rootHex: checkpoint.rootHex },
      included: true,
    });
  });

  it("knows nothing of an unknown or malformed digest", async () => {
    expect(await describeArchivedDocument(gw.deps, "0".repeat(64))).toBeUndefined();
    expect(await describeArchivedDocument(gw.deps, "XYZ")).toBeUndefined();
  });
});
