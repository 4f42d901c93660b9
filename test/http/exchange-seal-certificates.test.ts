import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSignedData } from "../../src/pki/cms-parse.ts";
import { base64ToBytes } from "../../src/pki/seal-file.ts";
import { contactLetter, createTestApp, type TestApp } from "./app-harness.ts";

/**
 * Issue 9 item 6 at the door: a seal is archived exactly as received, so one whose embedded CA
 * certificate is corrupted must be refused before anything is stored, even though the receiving
 * gateway knows that CA from the directory and never needs the embedded copy.
 */
const post = (t: TestApp, body: string | Uint8Array) => t.call("POST", "/v1/exchange", { raw: body });

/** The sealed-document JSON with BER booleans (0x01 for TRUE) written into the seal's embedded CA certificate. */
function withCorruptedCa(bytes: Uint8Array): string {
  const sealed = JSON.parse(new TextDecoder().decode(bytes)) as { document: unknown; seal: string };
  const der = base64ToBytes(sealed.seal);
  const ca = parseSignedData(der).certificates.find(
    (c) => indexOf(c, [0x01, 0x01, 0xff]) >= 0 && indexOf(der, [...c]) >= 0,
  );
  expect(ca, "the seal embeds a CA certificate").toBeDefined();
  const at = indexOf(der, [...ca!]);
  for (let n = 0; n < 2; n++) der[at + indexOf(ca!, [0x01, 0x01, 0xff], n) + 2] = 0x01;
  return JSON.stringify({ ...sealed, seal: Buffer.from(der).toString("base64") });
}

/** Offset of the `nth` occurrence of `needle` in `hay`, or -1. */
function indexOf(hay: Uint8Array, needle: number[], nth = 0): number {
  for (let i = 0, seen = 0; i + needle.length <= hay.length; i++) {
    if (needle.every((b, j) => hay[i + j] === b) && seen++ === nth) return i;
  }
  return -1;
}

describe("POST /v1/exchange with a corrupted certificate in the seal", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.gw.close();
  });

  it("answers 422 SEAL_INVALID (FORMAT_FAILURE) for a seal whose embedded CA certificate has two corrupted bytes, and stores nothing (issue 9 item 6)", async () => {
    const bytes = t.sealed(contactLetter(t.gw, { id: "ZJ-LXH-C-1", caseId: "CASE-C-1" }));
    const res = await post(t, withCorruptedCa(bytes));
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body).toMatchObject({
      code: "SEAL_INVALID",
      report: { indication: "TOTAL_FAILED", subIndication: "FORMAT_FAILURE" },
    });
    // Nothing was recorded under (from, id): the intact seal is a first arrival, not a replay or a conflict.
    expect((await post(t, bytes)).status).toBe(201);
  });
});
