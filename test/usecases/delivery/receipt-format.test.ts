import { describe, expect, it } from "vitest";
import { bytesToBase64, detectSealFormat } from "../../../src/pki/index.ts";
import { checkReceipt } from "../../../src/usecases/delivery/receipts.ts";
import type { DocumentRecord } from "../../../src/usecases/ports.ts";
import { createSm2Pki } from "../../fixtures/sm2-pki.ts";
import { sesSealerOf } from "../../support/ses-sealer.ts";

/**
 * Receipts are sealed CAdES only (docs/national-seal.md): a receipt whose seal is an SES signature does not count
 * as delivered, even where the verifier would pass it and its certificate is listed.
 */
describe("checkReceipt with an SES-sealed receipt", () => {
  it("refuses it", async () => {
    const record = { to: "440000", documentId: "ZJ-LXH-1", documentSha256: "aa", sealSha256: "bb" } as DocumentRecord;
    const body = { documentId: "ZJ-LXH-1", documentDigest: "aa", sealDigest: "bb", receivedAt: "2026-06-01T00:00:00Z" };
    const document = { type: "receipt", from: "440000", body };
    const sm2 = await createSm2Pki();
    const seal = (await sesSealerOf(sm2, sm2.seal)).seal(
      new TextEncoder().encode("{}"),
      new Date("2026-06-01T00:00:00Z"),
    );
    expect(detectSealFormat(seal)).toBe("ses");
    const deps = {
      agencies: { receiptCertificates: () => ["listed"] },
      clock: { now: () => new Date("2026-06-01T00:00:00Z") },
      verifier: { verify: () => ({ indication: "TOTAL_PASSED", signer: { certificateSha256: "listed" } }) },
    } as never;
    const check = checkReceipt(deps, record, JSON.stringify({ document, seal: bytesToBase64(seal) }));
    expect(check.ok).toBe(false);
  });
});
