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
    // A voucher of its own, issued after whatever checkpoint another test has cut.
    const fresh = await issue(gw, "440000", "GD-PZ-FRESH");
    const view = await describeArchivedDocument(gw.deps, fresh.documentSha256);
    expect(view).toMatchObject({
      documentId: fresh.documentId,
      type: "contribution-voucher",
      typeTitle: "基本养老保险参保缴费凭证",
      issuer: { agencyId: "440000", name: "广东省社会保险基金管理局" },
      person: { name: "陈*强", idNumber: "330106********123X" },
      verification: { indication: "TOTAL_PASSED" },
      digestMatches: true,
      outcome: "not-yet-included",
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
    expect(view?.outcome).toBe("passed");
  });

  it("fails when the stored copy is another sealed document than the digest names (review 13a #4)", async () => {
    const other = await issue(gw, "440000", "GD-PZ-SWAP");
    const row = (sha: string) =>
      gw.sqlite.prepare("SELECT seq, canonical, seal FROM documents WHERE document_sha256 = ?").get(sha) as {
        seq: number;
        canonical: Uint8Array;
        seal: Uint8Array;
      };
    const a = row(voucher.documentSha256);
    const b = row(other.documentSha256);
    gw.sqlite.prepare("UPDATE documents SET canonical = ?, seal = ? WHERE seq = ?").run(b.canonical, b.seal, a.seq);
    try {
      const view = await describeArchivedDocument(gw.deps, voucher.documentSha256);
      expect(view).toMatchObject({ verification: { indication: "TOTAL_PASSED" }, digestMatches: false });
      expect(view?.outcome).toBe("failed");
    } finally {
      gw.sqlite.prepare("UPDATE documents SET canonical = ?, seal = ? WHERE seq = ?").run(a.canonical, a.seal, a.seq);
    }
  });

  it("proves nothing against a checkpoint row whose signed note does not verify with the gateway's key", async () => {
    const { size } = await cutCheckpoint(gw.deps);
    const forged = gw.sqlite.prepare("SELECT note FROM checkpoints WHERE size = ?").get(size) as { note: string };
    gw.sqlite
      .prepare("UPDATE checkpoints SET note = ? WHERE size = ?")
      .run(forged.note.replace(/— .*/s, "— x AAAA\n"), size);
    try {
      const view = await describeArchivedDocument(gw.deps, voucher.documentSha256);
      expect(view?.archive?.included).toBe(false);
      expect(view?.outcome).toBe("failed");
    } finally {
      gw.sqlite.prepare("UPDATE checkpoints SET note = ? WHERE size = ?").run(forged.note, size);
    }
  });

  it("knows nothing of an unknown or malformed digest", async () => {
    expect(await describeArchivedDocument(gw.deps, "0".repeat(64))).toBeUndefined();
    expect(await describeArchivedDocument(gw.deps, "XYZ")).toBeUndefined();
  });
});
