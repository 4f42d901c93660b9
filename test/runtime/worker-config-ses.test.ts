import { describe, expect, it } from "vitest";
import { createSealer, detectSealFormat } from "../../src/pki/index.ts";
import { sesWorkerSettings } from "./worker-config-ses-fixture.ts";

const NOW = new Date("2026-03-02T08:00:00Z");

/** On Workers `seal.sesSeal` names a binding holding the SESeal as base64 of its DER (issue 16). */
describe("readWorkerSettings with an SES seal", () => {
  it("loads the agency's SM2 key with the SESeal from a base64 binding: its documents are sealed SES", async () => {
    const { seal, settings } = await sesWorkerSettings(NOW);
    const key = settings.materials.agencies.find((a) => a.id === "510000")!.seal;
    expect(key.sesSeal).toEqual(seal);
    const signature = createSealer(key).seal(new TextEncoder().encode("{}"), NOW);
    expect(detectSealFormat(signature)).toBe("ses");
  });
});
