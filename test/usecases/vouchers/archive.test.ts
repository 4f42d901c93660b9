import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportEvidence, registerApplication, runAudit, verifyEvidencePack } from "../../../src/usecases/index.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";
import { voucherCaseKey } from "../../../src/usecases/records.ts";
import { PERSON, issue } from "./support.ts";

const CASE = "CASE-330000-2026-000301";

/** A voucher is its own case at the issuer and a document of the transfer case at the agency it was presented to. */
describe("vouchers in the archive (issue 11 item 1)", () => {
  let gw: TestGateway;
  let voucherId: string;
  beforeAll(async () => {
    gw = await createTestGateway();
    const voucher = await issue(gw);
    voucherId = voucher.documentId;
    await registerApplication(gw.deps, gw.principal("330000"), {
      caseId: CASE,
      transferOutAgency: "440000",
      person: PERSON,
      voucher: voucher.sealed,
    });
  });
  afterAll(async () => gw.close());

  it("passes the integrity audit with the issued and the presented copy", async () => {
    const report = await runAudit(gw.deps);
    expect(report.ok).toBe(true);
  });

  it("gives an evidence pack of the transfer case that holds the voucher and verifies", async () => {
    const zip = await exportEvidence(gw.deps, gw.principal("330000"), CASE);
    const report = verifyEvidencePack(zip, {
      trustAnchors: [gw.pki.root.certificateDer],
      verifierKey: gw.deps.archiveSigner!.verifierKey,
    });
    expect(report.checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(report.checks.filter((c) => c.status === "warn" && c.code === "RECEIPT_MISSING")).toEqual([]);
  });

  it("gives the issuer an evidence pack of the voucher itself", async () => {
    const zip = await exportEvidence(gw.deps, gw.principal("440000"), voucherCaseKey(voucherId));
    const report = verifyEvidencePack(zip, {
      trustAnchors: [gw.pki.root.certificateDer],
      verifierKey: gw.deps.archiveSigner!.verifierKey,
    });
    expect(report.checks.filter((c) => c.status === "fail")).toEqual([]);
  });
});
