import { beforeAll, describe, expect, it } from "vitest";
import {
  DIRECTORY_OPERATOR_URI,
  bytesToBase64,
  createRevocationStore,
  createTrustStore,
  detectSealFormat,
  openSealedDirectory,
} from "../../src/pki/index.ts";
import { directoryBytes } from "../../src/pki/directory-seal.ts";
import { devPkiFixture } from "../fixtures/dev-pki.ts";
import { directoryOf, directoryRefusal } from "../fixtures/directory.ts";
import { createSm2Pki, type Sm2Pki } from "../fixtures/sm2-pki.ts";
import { sesSealerOf } from "../support/ses-sealer.ts";

/** The directory is sealed CAdES only (docs/national-seal.md "Limits"): an SES seal over it is DIRECTORY_SEAL_INVALID. */
describe("openSealedDirectory with an SES seal", () => {
  let sm2: Sm2Pki;
  let text: string;
  const AT = new Date("2026-06-01T00:00:00Z");

  beforeAll(async () => {
    const [dev, pki] = await Promise.all([devPkiFixture(), createSm2Pki()]);
    sm2 = pki;
    const operator = await sm2.issueSeal({ agencyId: null, uris: [DIRECTORY_OPERATOR_URI] });
    const directory = directoryOf(dev, { sequence: 1, issuedAt: AT });
    const content = directoryBytes(directory);
    const seal = (await sesSealerOf(sm2, operator)).seal(content, AT);
    expect(detectSealFormat(seal)).toBe("ses");
    text = `{"directory":${new TextDecoder().decode(content)},"seal":"${bytesToBase64(seal)}"}`;
  });

  it("refuses it with DIRECTORY_SEAL_INVALID even from an operator certificate the trust anchors accept", () => {
    const options = {
      trust: createTrustStore([sm2.root.der], [sm2.ca.der]),
      crls: createRevocationStore([sm2.crls.root, sm2.crls.ca]),
      at: AT,
    };
    expect(directoryRefusal(() => openSealedDirectory(text, options)).code).toBe("DIRECTORY_SEAL_INVALID");
  });
});
