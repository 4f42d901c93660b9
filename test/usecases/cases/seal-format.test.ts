import { beforeAll, describe, expect, it } from "vitest";
import {
  createRevocationStore,
  createSealVerifier,
  createTrustStore,
  detectSealFormat,
} from "../../../src/pki/index.ts";
import type { GatewayError } from "../../../src/usecases/errors.ts";
import type { SealProfile } from "../../../src/usecases/ports.ts";
import { verifySealFrom } from "../../../src/usecases/cases/seal-checks.ts";
import { createSm2Pki, type Sm2Pki, type Sm2TestCert } from "../../fixtures/sm2-pki.ts";
import { sesSealerFor } from "../../support/ses-sealer.ts";

/**
 * A document's seal as the receiving gateway checks it (issue 16 item 4): in a format the directory lists
 * for its sender (else SEAL_FORMAT_NOT_LISTED, before any cryptography), and for SES, a seal maker
 * trusted by the directory's `sealMakers` for that sender, or by the gateway's anchors when it lists none.
 */
const AT = new Date("2026-06-01T00:00:00Z");
const CONTENT = new TextEncoder().encode('{"jiexu":1,"id":"SC-LXH-1"}');

describe("verifySealFrom with the directory's seal profile", () => {
  let pki: Sm2Pki;
  let other: Sm2Pki;
  let ses: Uint8Array;
  let signer: Sm2TestCert;

  beforeAll(async () => {
    [pki, other] = await Promise.all([createSm2Pki(), createSm2Pki()]);
    signer = pki.seal;
    const maker = await pki.issueMaker("CN=Dev Seal Maker, O=Jiexu Test, C=CN");
    const sealer = sesSealerFor(maker, signer, "四川省社会保险管理局");
    ses = sealer.seal(CONTENT, new Date("2026-05-31T00:00:00Z"));
  });

  const check = (profile: SealProfile | undefined, seal = ses) => {
    const verifier = createSealVerifier({
      trust: createTrustStore([pki.root.der], [pki.ca.der]),
      crls: () => createRevocationStore([pki.crls.root, pki.crls.ca]),
    });
    const deps = {
      agencies: { sealProfile: () => profile, sealCertificateAccepted: () => true } as never,
      metrics: { observe: () => {} } as never,
      verifier,
    };
    return verifySealFrom(deps, "510000", CONTENT, seal, AT);
  };
  const refusal = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return err as GatewayError;
    }
    throw new Error("not refused");
  };

  it("accepts an SES seal from a sender listed with ses, its maker trusted by the gateway's anchors", () => {
    expect(detectSealFormat(ses)).toBe("ses");
    const report = check({ formats: ["ses"] });
    expect([report.indication, report.format, report.signer?.agencyIds]).toEqual(["TOTAL_PASSED", "ses", ["510000"]]);
  });

  it("accepts it from a hosted sender (no profile) and from one listing both formats", () => {
    expect(check(undefined).indication).toBe("TOTAL_PASSED");
    expect(check({ formats: ["cades", "ses"] }).indication).toBe("TOTAL_PASSED");
  });

  it("refuses an SES seal from a sender listed with cades only: SEAL_FORMAT_NOT_LISTED", () => {
    expect(refusal(() => check({ formats: ["cades"] })).code).toBe("SEAL_FORMAT_NOT_LISTED");
  });

  it("refuses bytes that are no seal at all from a listed sender as an invalid seal: SEAL_INVALID", () => {
    for (const formats of [["ses"], ["cades"]] as const)
      expect(refusal(() => check({ formats: [...formats] }, new Uint8Array([4, 2, 0, 0]))).code).toBe("SEAL_INVALID");
  });

  it("checks the maker against the sender's listed seal makers when there are some", () => {
    expect(check({ formats: ["ses"], makers: [pki.root.der] }).indication).toBe("TOTAL_PASSED");
    const err = refusal(() => check({ formats: ["ses"], makers: [other.root.der] }));
    expect(err.code).toMatch(/^SEAL_(INVALID|UNTRUSTED)$/);
    expect(err.report?.checks.some((c) => c.id.endsWith("[maker]") && c.status === "FAILED")).toBe(true);
  });
});
