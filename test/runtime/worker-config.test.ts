import { beforeAll, describe, expect, it } from "vitest";
import { createDevPki, type DevPki } from "../../src/dev/pki.ts";
import { devWorkerVars } from "../../src/dev/worker-vars.ts";
import { ConfigError } from "../../src/runtime/config.ts";
import { readWorkerSettings } from "../../src/runtime/worker-config.ts";

const NOW = new Date("2026-03-02T08:00:00Z");
const TOKEN = { token: "jx_worker-config-test-0001", tokenId: "tok-zj", role: "agency" as const, agencyId: "330000" };

/** The Worker's configuration (issue 14 item 1): the Node config JSON naming bindings instead of files. */
describe("readWorkerSettings", () => {
  let pki: DevPki;
  let vars: Record<string, string>;
  beforeAll(async () => {
    pki = await createDevPki({ algorithm: "ecdsa-p256", now: NOW });
    vars = devWorkerVars(pki, [TOKEN]);
  });

  it("reads every agency's keys, the trust anchors, intermediates and CRLs from PEM bindings", async () => {
    const { materials, tokens } = await readWorkerSettings(vars);
    expect(materials.agencies.map((a) => a.id)).toEqual(pki.agencies.map((a) => a.spec.id));
    expect(materials.agencies[0]!.seal.certificate).toEqual(pki.agencies[0]!.seal.certificateDer);
    expect(materials.trustAnchors).toEqual([pki.root.certificateDer]);
    expect(materials.crls).toHaveLength(2);
    expect(materials.archiveKey?.origin).toMatch(/^jiexu\/gateway-110000-/);
    expect(tokens).toEqual([
      { token: TOKEN.token, principal: { tokenId: "tok-zj", role: "agency", agencyId: "330000" } },
    ]);
  });

  it("takes base64 of DER where PEM would do", async () => {
    const der = Buffer.from(pki.root.certificateDer).toString("base64");
    const { materials } = await readWorkerSettings({ ...vars, TRUST_ANCHORS: der });
    expect(materials.trustAnchors).toEqual([pki.root.certificateDer]);
  });

  it("refuses a missing secret, a config without a checkpoint key, and a malformed token list, naming them", async () => {
    const { SEAL_KEY_330000: _, ...withoutKey } = vars;
    await expect(readWorkerSettings(withoutKey)).rejects.toThrow(/SEAL_KEY_330000/);
    const config = { ...JSON.parse(vars.JIEXU_CONFIG!), archive: {} };
    await expect(readWorkerSettings({ ...vars, JIEXU_CONFIG: JSON.stringify(config) })).rejects.toThrow(/archive\.key/);
    await expect(readWorkerSettings({ ...vars, JIEXU_TOKENS: '[{"token":"short"}]' })).rejects.toThrow(ConfigError);
    await expect(readWorkerSettings({})).rejects.toThrow(/JIEXU_CONFIG/);
  });
});
