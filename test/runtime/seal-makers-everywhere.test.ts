import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytesToBase64 } from "../../src/pki/index.ts";
import type { RemoteAgencies } from "../../src/runtime/compose.ts";
import { canonicalBytes } from "../../src/usecases/canonical.ts";
import { verifySealFrom } from "../../src/usecases/cases/seal-checks.ts";
import type { GatewayError } from "../../src/usecases/errors.ts";
import { verifySealedUpload } from "../../src/usecases/oversight/compliance.ts";
import { devPkiFixture } from "../fixtures/dev-pki.ts";
import { createSm2Pki, type Sm2Pki, type Sm2TestCert } from "../fixtures/sm2-pki.ts";
import { createTestGateway, type TestGateway } from "../support/gateway-harness.ts";
import { sesSealerFor } from "../support/ses-sealer.ts";

/**
 * The directory's sealMakers for a remote agency apply on every path that verifies its seals (issue 16), not
 * only at /v1/exchange: the gateway's verifier finds them from the agencies the SES signer certificate binds.
 * /v1/verify (verifySealedUpload), printing, the audit and evidence export all call `verifier.verify` without
 * makers, so a seal passes or fails there as it does at the door.
 */
const SENDER = "620000"; // not one of the development agencies hosted here
const DOCUMENT = { jiexu: 1, id: "GS-LXH-1", type: "contact-letter" };
const CONTENT = canonicalBytes(DOCUMENT);

describe("a remote agency's listed seal makers, on every verification path", () => {
  let gw: TestGateway;
  let sm2: Sm2Pki;
  let makers: Sm2Pki;
  let signer: Sm2TestCert;
  /** An SES signature over CONTENT from SENDER, its seal made by `maker`. */
  const sesBy = (maker: Sm2TestCert) =>
    sesSealerFor(maker, signer, "甘肃省社会保险事业管理局").seal(CONTENT, new Date(gw.clock.now().getTime() - 60_000));
  let listed: Uint8Array;
  let unlisted: Uint8Array;

  beforeAll(async () => {
    const [pki, a, b] = await Promise.all([devPkiFixture(), createSm2Pki(), createSm2Pki()]);
    [sm2, makers] = [a, b];
    signer = await sm2.issueSeal({ agencyId: SENDER, subject: "CN=甘肃 SES seal, O=Jiexu Test, C=CN" });
    const remote = {
      routeProblem: () => undefined,
      receiptCertificates: () => [],
      sealCertificateAccepted: () => true,
      // The directory lists a seal-maker root the gateway does not otherwise trust.
      sealProfile: (id: string) => (id === SENDER ? { formats: ["ses"], makers: [makers.root.der] } : undefined),
    } as unknown as RemoteAgencies;
    gw = await createTestGateway({
      remote,
      materials: {
        trustAnchors: [pki.root.certificateDer, sm2.root.der],
        intermediates: [pki.issuing.certificateDer, sm2.ca.der],
        crls: [pki.root.crl.der, pki.issuing.crl.der, sm2.crls.root, sm2.crls.ca, makers.crls.root],
      },
    });
    listed = sesBy(await makers.issueMaker("CN=Listed Seal Maker, O=Jiexu Test, C=CN"));
    // A maker under the gateway's own anchors, with the seal-maker URI: recognised by default, not by the listing.
    unlisted = sesBy(await sm2.issueMaker("CN=Unlisted Seal Maker, O=Jiexu Test, C=CN"));
  });
  afterAll(async () => gw?.close());

  const atDoor = (seal: Uint8Array) => verifySealFrom(gw.deps, SENDER, CONTENT, seal, gw.clock.now());
  const upload = (seal: Uint8Array) =>
    verifySealedUpload(gw.deps, { document: DOCUMENT, seal: bytesToBase64(seal) }).report;
  const stored = (seal: Uint8Array) => gw.deps.verifier.verify(CONTENT, seal, gw.clock.now(), "seal");
  const refusal = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return (err as GatewayError).code;
    }
    return "accepted";
  };

  it("accepts a seal whose maker chains to the listed anchor at /v1/exchange, /v1/verify and for stored documents", () => {
    expect(atDoor(listed).indication).toBe("TOTAL_PASSED");
    expect(upload(listed).indication).toBe("TOTAL_PASSED");
    expect(stored(listed).indication).toBe("TOTAL_PASSED");
  });

  it("refuses a seal whose maker is outside the listed anchors on every path", () => {
    expect(refusal(() => atDoor(unlisted))).toMatch(/^SEAL_(INVALID|UNTRUSTED)$/);
    for (const report of [upload(unlisted), stored(unlisted)]) {
      expect(report.indication).not.toBe("TOTAL_PASSED");
      expect(report.checks.some((c) => c.id.endsWith("[maker]") && c.status === "FAILED")).toBe(true);
    }
  });
});
