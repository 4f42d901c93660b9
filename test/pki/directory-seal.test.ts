import { createPrivateKey } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createDevPki, type DevPki } from "../../src/dev/pki.ts";
import {
  DIRECTORY_OPERATOR_URI,
  directoryBytes,
  openSealedDirectory,
  sealDirectory,
} from "../../src/pki/directory-seal.ts";
import { CrlReason, issueCrl, webCryptoParams, x509 } from "../../src/pki/issue.ts";
import { OFFLINE_DEV_POLICY } from "../../src/pki/policy.ts";
import { createSealer } from "../../src/pki/seal.ts";
import { bytesToBase64 } from "../../src/pki/seal-file.ts";
import { createRevocationStore, createTrustStore } from "../../src/pki/trust.ts";
import { certInfo } from "../../src/pki/certificate.ts";
import { directoryOf, directoryRefusal, operatorKey, sealWithOperator, trustOf } from "../fixtures/directory.ts";
import { FIXTURE_NOW, devPkiFixture } from "../fixtures/dev-pki.ts";

const AT = new Date(FIXTURE_NOW.getTime() + 86_400_000);

describe("sealDirectory / openSealedDirectory", () => {
  let pki: DevPki;
  let sealed: string;
  beforeAll(async () => {
    pki = await devPkiFixture();
    sealed = sealWithOperator(pki, directoryOf(pki, { sequence: 1, issuedAt: FIXTURE_NOW }), AT);
  });

  it("marks the operator certificate with the directory-operator URI", () => {
    expect(certInfo(pki.operator.certificateDer).uris).toEqual([DIRECTORY_OPERATOR_URI]);
    expect(certInfo(pki.agencies[0]!.seal.certificateDer).uris).toEqual(["urn:jiexu:agency:110000"]);
  });

  it("opens a directory sealed by the operator: TOTAL_PASSED, same content", () => {
    const { directory, report } = openSealedDirectory(new TextEncoder().encode(sealed), { ...trustOf(pki), at: AT });
    expect(report.indication).toBe("TOTAL_PASSED");
    expect(report.signer?.certificateSha256).toBe(pki.operator.fingerprint);
    expect(directory).toEqual(directoryOf(pki, { sequence: 1, issuedAt: FIXTURE_NOW }));
  });

  it("writes {directory, seal} with the directory in JCS form; re-indenting the file does not break the seal", () => {
    const parsed = JSON.parse(sealed) as { directory: never; seal: string };
    expect(
      sealed.startsWith(`{"directory":${new TextDecoder().decode(directoryBytes(parsed.directory))},"seal":"`),
    ).toBe(true);
    expect(openSealedDirectory(JSON.stringify(parsed, null, 2), { ...trustOf(pki), at: AT }).report.indication).toBe(
      "TOTAL_PASSED",
    );
  });

  it("refuses a tampered directory (DIRECTORY_SEAL_INVALID, HASH_FAILURE)", () => {
    const parsed = JSON.parse(sealed) as { directory: { agencies: { gatewayUrl: string }[] }; seal: string };
    parsed.directory.agencies[0]!.gatewayUrl = "https://attacker.example";
    const error = directoryRefusal(() => openSealedDirectory(JSON.stringify(parsed), { ...trustOf(pki), at: AT }));
    expect(error.code).toBe("DIRECTORY_SEAL_INVALID");
    expect(error.report).toMatchObject({ indication: "TOTAL_FAILED", subIndication: "HASH_FAILURE" });
  });

  it("refuses a directory sealed with an agency's seal key, even though that seal is TOTAL_PASSED", () => {
    const agency = pki.agencies[3]!;
    const key = {
      privateKey: createPrivateKey(agency.seal.privateKeyPem),
      certificate: agency.seal.certificateDer,
      chain: [pki.issuing.certificateDer],
    };
    expect(
      directoryRefusal(() => sealDirectory(directoryOf(pki, { sequence: 2, issuedAt: FIXTURE_NOW }), key, AT)).code,
    ).toBe("DIRECTORY_SEAL_INVALID");
    const directory = directoryOf(pki, { sequence: 2, issuedAt: FIXTURE_NOW });
    const forged = JSON.stringify({
      directory,
      seal: bytesToBase64(createSealer(key).seal(directoryBytes(directory), AT)),
    });
    const error = directoryRefusal(() => openSealedDirectory(forged, { ...trustOf(pki), at: AT }));
    expect(error.code).toBe("DIRECTORY_SEAL_INVALID");
    expect(error.report?.indication).toBe("TOTAL_PASSED");
    expect(error.message).toContain(DIRECTORY_OPERATOR_URI);
  });

  it("refuses an operator certificate the root has revoked (REVOKED)", async () => {
    const rootKey = await crypto.subtle.importKey(
      "pkcs8",
      createPrivateKey(pki.root.privateKeyPem).export({ type: "pkcs8", format: "der" }),
      webCryptoParams("ecdsa-p256"),
      false,
      ["sign"],
    );
    const issuer = {
      certificate: new x509.X509Certificate(pki.root.certificateDer.slice()),
      privateKey: rootKey,
      algorithm: "ecdsa-p256" as const,
    };
    const crl = await issueCrl(issuer, {
      thisUpdate: FIXTURE_NOW,
      nextUpdate: new Date(FIXTURE_NOW.getTime() + 30 * 86_400_000),
      crlNumber: 2,
      entries: [{ serialNumber: pki.operator.serialNumber, revokedAt: FIXTURE_NOW, reason: CrlReason.keyCompromise }],
    });
    const crls = createRevocationStore([new Uint8Array(crl.rawData), pki.issuing.crl.der]);
    const error = directoryRefusal(() => openSealedDirectory(sealed, { trust: trustOf(pki).trust, crls, at: AT }));
    expect(error.code).toBe("DIRECTORY_SEAL_INVALID");
    expect(error.report?.subIndication).toMatch(/REVOKED/);
  });

  it("refuses an operator of another root (untrusted) and a seal without revocation data", async () => {
    const other = await createDevPki({ algorithm: "ecdsa-p256", now: FIXTURE_NOW, agencies: [pki.agencies[0]!.spec] });
    const foreign = sealDirectory(directoryOf(pki, { sequence: 3, issuedAt: FIXTURE_NOW }), operatorKey(other), AT);
    const untrusted = directoryRefusal(() => openSealedDirectory(foreign, { ...trustOf(pki), at: AT }));
    expect(untrusted.code).toBe("DIRECTORY_SEAL_INVALID");
    expect(untrusted.report?.indication).not.toBe("TOTAL_PASSED");
    const noCrl = directoryRefusal(() =>
      openSealedDirectory(sealed, { trust: createTrustStore([pki.root.certificateDer]), at: AT }),
    );
    expect(noCrl.report).toMatchObject({ indication: "INDETERMINATE", subIndication: "TRY_LATER" });
    const offline = { trust: createTrustStore([pki.root.certificateDer]), at: AT, policy: OFFLINE_DEV_POLICY };
    expect(openSealedDirectory(sealed, offline).report.indication).toBe("TOTAL_PASSED");
  });

  it("refuses input that is not a sealed directory", () => {
    const opts = { ...trustOf(pki), at: AT };
    expect(directoryRefusal(() => openSealedDirectory("not json", opts)).code).toBe("DIRECTORY_SCHEMA");
    expect(directoryRefusal(() => openSealedDirectory(new Uint8Array([0xff, 0xfe]), opts)).code).toBe(
      "DIRECTORY_SCHEMA",
    );
    expect(directoryRefusal(() => openSealedDirectory('{"directory":{},"seal":"x","more":1}', opts)).code).toBe(
      "DIRECTORY_SCHEMA",
    );
    expect(directoryRefusal(() => openSealedDirectory('{"directory":{},"seal":"!!"}', opts)).code).toBe(
      "DIRECTORY_SEAL_INVALID",
    );
    expect(directoryRefusal(() => openSealedDirectory('{"directory":{},"seal":"MAA="}', opts)).code).toBe(
      "DIRECTORY_SEAL_INVALID",
    );
  });

  it("refuses to seal a directory that does not conform (DIRECTORY_SCHEMA)", () => {
    const bad = { ...directoryOf(pki, { sequence: 1, issuedAt: FIXTURE_NOW }), sequence: 0 };
    expect(directoryRefusal(() => sealWithOperator(pki, bad, AT)).code).toBe("DIRECTORY_SCHEMA");
  });
});
