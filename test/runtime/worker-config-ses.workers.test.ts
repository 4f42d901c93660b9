import { describe, expect, it } from "vitest";
import { createSealer, detectSealFormat } from "../../src/pki/index.ts";
import { sesWorkerSettings } from "./worker-config-ses-fixture.ts";

/**
 * Inside workerd an SM2 key is held only as `sm2`: reading its `privateKey` throws KEY_UNSUPPORTED. The Worker's
 * config reader must carry the key over without reading it, so an agency sealing SES starts (issue 16).
 */
describe("readWorkerSettings with an SM2 key and sesSeal, inside workerd", () => {
  it("loads the SM2 seal key without building a KeyObject, and its sealer makes SES signatures", async () => {
    const { settings } = await sesWorkerSettings(new Date(Date.now() - 3_600_000));
    const key = settings.materials.agencies[0]!.seal;
    expect(() => key.privateKey).toThrow(expect.objectContaining({ code: "KEY_UNSUPPORTED" }));
    const signature = createSealer(key).seal(new TextEncoder().encode("{}"), new Date());
    expect(detectSealFormat(signature)).toBe("ses");
  });
});
