import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certInfo } from "../../src/pki/certificate.ts";
import { isCrlSignedBy, parseCrl } from "../../src/pki/crl.ts";
import { loadCertificates } from "../../src/pki/keys.ts";
import { bootstrapDevelopment } from "../../src/runtime/bootstrap.ts";
import { refreshDevelopmentCrls } from "../../src/runtime/dev-crls.ts";
import { createDevPki } from "../../src/dev/pki.ts";
import { writeDevPki } from "../fixtures/dev-pki.ts";

describe("development CRLs", () => {
  const dir = mkdtempSync(join(tmpdir(), "jiexu-devcrl-"));
  const created = new Date("2026-01-02T00:00:00Z");
  // One bootstrapped data directory (a dev PKI on disk): the fresh-CRL test refreshes nothing, and the
  // re-issue test reads its "before" from the files, so either may run first.
  beforeAll(async () => void (await bootstrapDevelopment(dir, created)));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const crl = (name: string) => parseCrl(new Uint8Array(readFileSync(join(dir, "pki", `${name}.crl.der`))));
  const ca = (name: string) => certInfo(loadCertificates(readFileSync(join(dir, "pki", `${name}.cert.pem`)))[0]!);

  describe("given a development gateway started again months after its first run", () => {
    it("leaves CRLs that are still fresh alone", async () => {
      expect(await refreshDevelopmentCrls(join(dir, "pki"), new Date("2026-01-10T00:00:00Z"))).toEqual([]);
    });

    it("re-issues the issuing CA's CRL near its nextUpdate, with the same entries, a higher number and a valid signature", async () => {
      const before = crl("issuing");
      const later = new Date("2026-04-20T00:00:00Z");
      expect(await refreshDevelopmentCrls(join(dir, "pki"), later)).toEqual(["issuing"]);
      const after = crl("issuing");
      expect(after.nextUpdate!.getTime()).toBeGreaterThan(later.getTime());
      expect([...after.revoked.keys()]).toEqual([...before.revoked.keys()]);
      expect([...after.revoked.values()].map((r) => r.reason)).toEqual(
        [...before.revoked.values()].map((r) => r.reason),
      );
      expect(Number.parseInt(after.crlNumber!, 16)).toBe(Number.parseInt(before.crlNumber!, 16) + 1);
      expect(isCrlSignedBy(after, ca("issuing"))).toBe(true);
    });
  });
});

describe("development CRLs of an SM2 PKI (issue 16)", () => {
  it("re-issues the issuing CA's CRL signed SM3withSM2 by the CA's SM2 key, with the same entries", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jiexu-devcrl-sm2-"));
    try {
      const pki = await createDevPki({ algorithm: "sm2", now: new Date("2026-01-02T00:00:00Z") });
      await writeDevPki(pki, dir);
      const before = parseCrl(pki.issuing.crl.der);
      expect(await refreshDevelopmentCrls(dir, new Date("2026-04-20T00:00:00Z"))).toEqual(["issuing"]);
      const after = parseCrl(new Uint8Array(readFileSync(join(dir, "issuing.crl.der"))));
      expect(after.signatureAlgorithm).toBe("1.2.156.10197.1.501");
      expect([...after.revoked.keys()]).toEqual([...before.revoked.keys()]);
      expect(Number.parseInt(after.crlNumber!, 16)).toBe(2);
      expect(isCrlSignedBy(after, certInfo(pki.issuing.certificateDer))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
