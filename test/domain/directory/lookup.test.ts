import { describe, expect, it } from "vitest";
import {
  agencyEntry,
  isListedCertificate,
  listedCertificates,
  pinnedCheckpointKeys,
} from "../../../src/domain/directory/index.ts";
import { agency, directory, fp, vkey } from "./fixtures.ts";

// Rollover: the old seal certificate counts until T2, the new one from T1 < T2.
const T0 = "2025-01-01T00:00:00Z";
const T1 = "2026-06-01T00:00:00Z";
const T2 = "2026-07-01T00:00:00Z";
const T3 = "2028-01-01T00:00:00Z";
const OLD = fp(0xa1);
const NEW = fp(0xb2);

const rolling = directory({
  agencies: [
    agency("440000", 0x10, {
      sealCertificates: [
        { sha256: OLD, notBefore: T0, notAfter: T2 },
        { sha256: NEW, notBefore: T1, notAfter: T3 },
      ],
    }),
    agency("330000", 0x20),
  ],
});

const at = (iso: string, deltaMs = 0) => new Date(Date.parse(iso) + deltaMs);

describe("agencyEntry", () => {
  it("finds a listed agency and nothing for others", () => {
    expect(agencyEntry(rolling, "330000")?.gatewayUrl).toBe("https://gw-330000.example.cn/jiexu");
    expect(agencyEntry(rolling, "510000")).toBeUndefined();
  });
});

describe("isListedCertificate: rollover by overlap", () => {
  it("before the overlap only the old certificate counts", () => {
    expect(isListedCertificate(rolling, "440000", "seal", OLD, at(T1, -1))).toBe(true);
    expect(isListedCertificate(rolling, "440000", "seal", NEW, at(T1, -1))).toBe(false);
  });

  it("during [T1, T2] both count, ends included", () => {
    for (const t of [at(T1), at("2026-06-15T00:00:00Z"), at(T2)]) {
      expect(isListedCertificate(rolling, "440000", "seal", OLD, t)).toBe(true);
      expect(isListedCertificate(rolling, "440000", "seal", NEW, t)).toBe(true);
      expect(listedCertificates(rolling, "440000", "seal", t).map((c) => c.sha256)).toEqual([OLD, NEW]);
    }
  });

  it("after T2 only the new certificate counts", () => {
    expect(isListedCertificate(rolling, "440000", "seal", OLD, at(T2, 1))).toBe(false);
    expect(isListedCertificate(rolling, "440000", "seal", NEW, at(T2, 1))).toBe(true);
    expect(isListedCertificate(rolling, "440000", "seal", NEW, at(T3, 1))).toBe(false);
  });

  it("keeps roles and agencies apart, and ignores the fingerprint's case", () => {
    const receipt = fp(0x11);
    expect(isListedCertificate(rolling, "440000", "receipt", receipt, at(T1))).toBe(true);
    expect(isListedCertificate(rolling, "440000", "seal", receipt, at(T1))).toBe(false);
    expect(isListedCertificate(rolling, "330000", "seal", NEW, at(T1))).toBe(false);
    expect(isListedCertificate(rolling, "510000", "seal", NEW, at(T1))).toBe(false);
    expect(isListedCertificate(rolling, "440000", "seal", NEW.toUpperCase(), at(T1))).toBe(true);
  });
});

describe("pinnedCheckpointKeys: checkpoint key rollover by overlap (issue 9 item 2)", () => {
  const [OLD_KEY, NEW_KEY] = [vkey("jiexu/gw-gd", 1), vkey("jiexu/gw-gd", 2)];
  const logs = directory({
    agencies: [
      agency("440000", 0x10, {
        checkpoint: {
          origin: "jiexu/gw-gd",
          keys: [
            { vkey: OLD_KEY, notBefore: T0, notAfter: T2 },
            { vkey: NEW_KEY, notBefore: T1, notAfter: T3 },
          ],
        },
      }),
      agency("330000", 0x20),
    ],
  });

  it("pins the old key before the overlap, both during [T1, T2], the new one after, none after T3", () => {
    expect(pinnedCheckpointKeys(logs, "jiexu/gw-gd", at(T1, -1))).toEqual([OLD_KEY]);
    for (const t of [at(T1), at(T2)]) expect(pinnedCheckpointKeys(logs, "jiexu/gw-gd", t)).toEqual([OLD_KEY, NEW_KEY]);
    expect(pinnedCheckpointKeys(logs, "jiexu/gw-gd", at(T2, 1))).toEqual([NEW_KEY]);
    expect(pinnedCheckpointKeys(logs, "jiexu/gw-gd", at(T3, 1))).toEqual([]);
  });

  it("knows no origin the directory does not list", () => {
    expect(pinnedCheckpointKeys(logs, "jiexu/gw-zj", at(T1))).toBeUndefined();
    expect(pinnedCheckpointKeys(logs, "", at(T1))).toBeUndefined();
  });
});
