import { beforeAll, describe, expect, it } from "vitest";
import { toBase64 } from "../../../src/domain/bytes.ts";
import { validateDirectory, type Directory } from "../../../src/domain/directory/index.ts";
import type { DevPki } from "../../../src/dev/pki.ts";
import { checkDirectoryCandidate } from "../../../src/usecases/oversight/directory.ts";
import { decodeSealMaker, sealProfiles } from "../../../src/usecases/oversight/seal-makers.ts";
import { agency, directory, DURING } from "../../domain/directory/fixtures.ts";
import { devPkiFixture } from "../../fixtures/dev-pki.ts";

/**
 * The directory's seal profile of an agency (issue 16 item 4): the formats it seals in (CAdES unless it
 * says otherwise) and the trust anchors of its seal makers, PEM or base64 DER, refused when unreadable.
 */
describe("sealFormats and sealMakers in the directory", () => {
  let pki: DevPki;
  beforeAll(async () => {
    pki = await devPkiFixture();
  });

  it("reads an entry without sealFormats as CAdES only, and one listing both as both", () => {
    const d = directory({
      agencies: [agency("440000", 0x10), agency("510000", 0x30, { sealFormats: ["ses", "cades"] })],
    });
    const profiles = sealProfiles(d);
    expect(profiles.get("440000")).toEqual({ formats: ["cades"] });
    expect(profiles.get("510000")).toEqual({ formats: ["ses", "cades"] });
  });

  it("decodes seal makers given as PEM or as base64 DER to the same certificate", () => {
    const root = pki.root.certificateDer;
    expect(decodeSealMaker(pki.root.certificatePem)).toEqual(root);
    expect(decodeSealMaker(toBase64(root))).toEqual(root);
    const d = directory({
      agencies: [
        agency("510000", 0x30, { sealFormats: ["ses"], sealMakers: [pki.root.certificatePem, toBase64(root)] }),
      ],
    });
    expect(sealProfiles(d).get("510000")!.makers).toEqual([root, root]);
  });

  it.each([
    ["an unknown format", { sealFormats: ["xades"] }, "/agencies/0/sealFormats/0"],
    ["no format at all", { sealFormats: [] }, "/agencies/0/sealFormats"],
    ["a format listed twice", { sealFormats: ["ses", "ses"] }, "/agencies/0/sealFormats"],
    ["a seal maker that is not base64", { sealMakers: ["not a certificate!"] }, "/agencies/0/sealMakers/0"],
  ])("refuses a directory naming %s (DIRECTORY_SCHEMA)", (_, fields, path) => {
    const d = directory({ agencies: [{ ...agency("510000", 0x30), ...(fields as object) }] });
    const v = validateDirectory(d);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.problems.map((p) => p.path)).toContain(path);
  });

  it("refuses a directory whose seal maker is base64 of something that is not a certificate", () => {
    const d: Directory = directory({
      agencies: [
        agency("510000", 0x30, { sealFormats: ["ses"], sealMakers: [toBase64(new Uint8Array([48, 3, 2, 1, 1]))] }),
      ],
    });
    const update = checkDirectoryCandidate(undefined, d, DURING);
    expect(update.ok).toBe(false);
    expect(!update.ok && [update.error.code, update.error.problems?.[0]?.path]).toEqual([
      "DIRECTORY_SCHEMA",
      "/agencies/0/sealMakers/0",
    ]);
  });
});
