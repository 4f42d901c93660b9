import { createPrivateKey } from "node:crypto";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devPkiFixture } from "../fixtures/dev-pki.ts";
import { createSm2Pki, type Sm2Pki } from "../fixtures/sm2-pki.ts";
import { sesSealFor } from "../support/ses-sealer.ts";
import { materialsFromDevPki } from "../../src/runtime/materials.ts";
import { base64ToBytes, bytesToBase64, detectSealFormat } from "../../src/pki/index.ts";
import { canonicalBytes } from "../../src/usecases/canonical.ts";
import { verifyEvidencePack, type PackManifest } from "../../src/usecases/index.ts";
import type { DevPki } from "../../src/dev/pki.ts";
import { pdfAttachmentNames } from "../support/pdf-tools.ts";
import { createTestApp, type TestApp } from "./app-harness.ts";
import { GD, walker, ZJ } from "./pages/walk.ts";

/**
 * An agency that seals GB/T 38540 SES (issue 16 item 4) in one in-process gateway beside one that seals CAdES:
 * 浙江 330000 holds an SM2 seal certificate and an SESeal made by an SM2 seal maker, 广东 440000 its ECDSA
 * one. Their transfer runs through the same pipeline as any other; the stored seals are the bytes each side
 * made; both evidence packs verify offline (seal.ses / seal.p7s items); /v1/verify and /verify accept SES.
 */

describe("an SES-sealing agency and a CAdES-sealing agency on one gateway", () => {
  let t: TestApp;
  let pki: DevPki;
  let sm2: Sm2Pki;
  let w: ReturnType<typeof walker>;

  beforeAll(async () => {
    [pki, sm2] = await Promise.all([devPkiFixture(), createSm2Pki()]);
    const zjSeal = await sm2.issueSeal({ agencyId: ZJ, subject: "CN=浙江 SES seal, O=Jiexu Test, C=CN" });
    const maker = await sm2.issueMaker("CN=Dev Seal Maker, O=Jiexu Test, C=CN");
    const sesSeal = sesSealFor(maker, zjSeal, "浙江省社会保险和就业服务中心");
    const base = materialsFromDevPki(pki);
    const agencies = base.agencies.map((a) =>
      a.id === ZJ
        ? {
            ...a,
            seal: {
              privateKey: createPrivateKey(zjSeal.keyPem),
              certificate: zjSeal.der,
              chain: [sm2.ca.der],
              sm2: zjSeal.key,
              sesSeal,
            },
          }
        : a,
    );
    t = await createTestApp({
      maxUploadBytes: 1024 * 1024,
      materials: {
        agencies,
        trustAnchors: [pki.root.certificateDer, sm2.root.der],
        intermediates: [pki.issuing.certificateDer, sm2.ca.der],
        crls: [pki.root.crl.der, pki.issuing.crl.der, sm2.crls.root, sm2.crls.ca],
      },
    });
    w = walker(t, 1);
    await w.register();
    await w.letter();
    await w.record();
    await w.funds();
    await w.completion();
  });
  afterAll(async () => t?.gw.close());

  /** What the receiving agency stored for a document: the exact seal bytes, and the sealed JSON form. */
  const sealedOf = async (agency: string, documentId: string, from: string) => {
    const record = await t.gw.deps.store.getDocument({ ownerAgency: agency, direction: "in", from, documentId });
    expect(record, `${documentId} at ${agency}`).toBeDefined();
    const document = JSON.parse(new TextDecoder().decode(record!.canonical)) as Record<string, unknown>;
    return { document, seal: bytesToBase64(record!.seal) };
  };

  it("completes the case, each side's documents sealed in its own format and received as sealed", async () => {
    for (const agency of [ZJ, GD]) {
      const view = await (await t.call("GET", `/v1/cases/${w.caseId}`, { token: t.gw.tokens[agency]! })).json();
      expect(view.status, agency).toBe("completed");
    }
    const letter = await sealedOf(GD, w.ids.letter, ZJ);
    const record = await sealedOf(ZJ, w.ids.record, GD);
    expect(detectSealFormat(base64ToBytes(letter.seal))).toBe("ses");
    expect(detectSealFormat(base64ToBytes(record.seal))).toBe("cades");
  });

  it("exports evidence packs that verify offline with both roots, SES items named seal.ses", async () => {
    for (const agency of [ZJ, GD]) {
      const res = await t.call("GET", `/v1/cases/${w.caseId}/evidence?agency=${agency}`, {
        token: t.gw.complianceToken,
      });
      expect(res.status).toBe(200);
      const zip = new Uint8Array(await res.arrayBuffer());
      const report = verifyEvidencePack(zip, { trustAnchors: [pki.root.certificateDer, sm2.root.der] });
      expect(report.ok, JSON.stringify(report.checks.filter((c) => c.status === "fail"))).toBe(true);
      // `archive verify --maker-trust`: the SES makers are checked against the given maker anchors instead.
      const trustAnchors = [pki.root.certificateDer, sm2.root.der];
      expect(verifyEvidencePack(zip, { trustAnchors, makerTrust: [sm2.root.der] }).ok).toBe(true);
      expect(verifyEvidencePack(zip, { trustAnchors, makerTrust: [pki.root.certificateDer] }).ok).toBe(false);
      const manifest = JSON.parse(strFromU8(unzipSync(zip)["manifest.json"]!)) as PackManifest;
      const seals = manifest.items
        .filter((i) => i.kind === "document")
        .map((i) => [i.type, i.paths.seal.split("/").pop()]);
      expect(seals).toEqual(
        expect.arrayContaining([
          ["contact-letter", "seal.ses"],
          ["completion", "seal.ses"],
          ["insurance-record", "seal.p7s"],
          ["fund-transfer", "seal.p7s"],
        ]),
      );
    }
  });

  it("prints an SES-sealed document with its seal attached as <id>.ses, a CAdES one as <id>.p7s", async () => {
    for (const [agency, id] of [
      [ZJ, w.ids.letter],
      [GD, w.ids.record],
    ] as const) {
      const res = await t.call("GET", `/v1/cases/${w.caseId}/documents/${id}/pdf`, { token: t.gw.tokens[agency]! });
      expect(res.status, await res.clone().text()).toBe(200);
      const ext = agency === ZJ ? "ses" : "p7s";
      expect(pdfAttachmentNames(new Uint8Array(await res.arrayBuffer())).sort()).toEqual(
        ["json", ext, "sealed.json"].map((e) => `${id}.${e}`).sort(),
      );
    }
  });

  it("verifies an SES-sealed document at POST /v1/verify and on the /verify page, and fails it altered", async () => {
    const letter = await sealedOf(GD, w.ids.letter, ZJ);
    const res = await t.call("POST", "/v1/verify", { token: t.gw.complianceToken, body: letter });
    expect(res.status).toBe(200);
    const result = await res.json();
    expect([result.report.indication, result.report.format]).toEqual(["TOTAL_PASSED", "ses"]);
    const altered = { ...letter, document: { ...letter.document, id: "ZJ-LXH-OTHER" } };
    const bad = await (await t.call("POST", "/v1/verify", { token: t.gw.complianceToken, body: altered })).json();
    expect([bad.report.indication, bad.report.subIndication]).toEqual(["TOTAL_FAILED", "HASH_FAILURE"]);

    const form = new FormData();
    form.append("file", new Blob([base64ToBytes(letter.seal) as BlobPart]), `${w.ids.letter}.ses`);
    form.append("content", new Blob([canonicalBytes(letter.document) as BlobPart]), `${w.ids.letter}.json`);
    const html = await (await t.app.request("/verify", { method: "POST", body: form })).text();
    expect(/id="indication"[^>]*>([^<]*)</.exec(html)?.[1]).toBe("TOTAL_PASSED");
  });
});
