import { describe, expect, it } from "vitest";
import {
  DIRECTORY_SCHEMA,
  DirectoryError,
  checkDirectoryUpdate,
  directoryStatus,
  validateDirectory,
} from "../../../src/domain/directory/index.ts";
import { DURING, EXPIRES, ISSUED, agency, directory, fp, vkey } from "./fixtures.ts";

function refusal(update: ReturnType<typeof checkDirectoryUpdate>): DirectoryError {
  if (update.ok) throw new Error(`expected a refusal, got ${update.change}`);
  return update.error;
}

describe("schemas/directory.schema.json", () => {
  it("is 2020-12 and gives every property a zh-CN title and description", () => {
    expect(DIRECTORY_SCHEMA.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    const untitled: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== "object" || node === null) return;
      for (const [name, prop] of Object.entries(
        ((node as { properties?: object }).properties ?? {}) as Record<
          string,
          { title?: string; description?: string }
        >,
      )) {
        if (!/[\u4e00-\u9fff]/.test(prop.title ?? "") || !/[\u4e00-\u9fff]/.test(prop.description ?? ""))
          untitled.push(`${path}/${name}`);
      }
      for (const [key, child] of Object.entries(node)) walk(child, `${path}/${key}`);
    };
    walk(DIRECTORY_SCHEMA, "#");
    expect(untitled).toEqual([]);
  });
});

describe("validateDirectory", () => {
  it("accepts the fixture", () => {
    expect(validateDirectory(directory())).toMatchObject({ ok: true });
  });

  it.each([
    ["a wrong format version", { jiexuDirectory: 2 }, "/jiexuDirectory"],
    ["sequence 0", { sequence: 0 }, "/sequence"],
    ["a fractional sequence", { sequence: 1.5 }, "/sequence"],
    ["a time without zone", { expiresAt: "2026-03-09T00:00:00" }, "/expiresAt"],
    ["a bad agency id", { agencies: [agency("44", 1)] }, "/agencies/0/id"],
    ["an ftp gateway", { agencies: [agency("440000", 1, { gatewayUrl: "ftp://x.cn/" })] }, "/agencies/0/gatewayUrl"],
    [
      "an upper-case fingerprint",
      {
        agencies: [
          agency("440000", 1, {
            sealCertificates: [
              { sha256: "AB".repeat(32), notBefore: "2026-01-01T00:00:00Z", notAfter: "2027-01-01T00:00:00Z" },
            ],
          }),
        ],
      },
      "/agencies/0/sealCertificates/0/sha256",
    ],
    ["expiry before issue", { expiresAt: "2026-03-01T00:00:00Z" }, "/expiresAt"],
    ["a duplicate agency", { agencies: [agency("440000", 1), agency("440000", 3)] }, "/agencies/1/id"],
    [
      "a certificate period backwards",
      {
        agencies: [
          agency("440000", 1, {
            receiptCertificates: [
              { sha256: fp(9), notBefore: "2027-01-01T00:00:00Z", notAfter: "2026-01-01T00:00:00Z" },
            ],
          }),
        ],
      },
      "/agencies/0/receiptCertificates/0/notAfter",
    ],
  ])("refuses %s", (_name, patch, path) => {
    const result = validateDirectory({ ...directory(), ...patch });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.path)).toContain(path);
  });

  describe("gateway checkpoint logs (issue 9 item 2)", () => {
    const period = { notBefore: "2026-01-01T00:00:00Z", notAfter: "2027-01-01T00:00:00Z" };
    const log = (origin: string, ...keys: string[]) => ({ origin, keys: keys.map((k) => ({ vkey: k, ...period })) });
    const withLog = (...agencies: ReturnType<typeof agency>[]) => ({ ...directory(), agencies });

    it("accepts each gateway's origin and keys, old and new side by side, and agencies of one gateway sharing its log", () => {
      const shared = log("jiexu/gw-a", vkey("jiexu/gw-a", 1), vkey("jiexu/gw-a", 2));
      const url = { gatewayUrl: "https://hub.example.cn/jiexu" };
      expect(
        validateDirectory(
          withLog(
            agency("440000", 1, { ...url, checkpoint: shared }),
            agency("330000", 3, { ...url, checkpoint: shared }),
          ),
        ).ok,
      ).toBe(true);
    });

    it.each([
      [
        "a key named after another origin",
        agency("440000", 1, { checkpoint: log("jiexu/gw-a", vkey("jiexu/gw-b", 1)) }),
        "/agencies/0/checkpoint/keys/0/vkey",
      ],
      [
        "a key that is no Ed25519 vkey",
        agency("440000", 1, { checkpoint: log("jiexu/gw-a", "jiexu/gw-a+0000000a+Bxyz") }),
        "/agencies/0/checkpoint/keys/0/vkey",
      ],
      [
        "an origin with a space",
        agency("440000", 1, { checkpoint: log("jiexu gw", vkey("jiexu", 1)) }),
        "/agencies/0/checkpoint/origin",
      ],
      [
        "no key at all",
        agency("440000", 1, { checkpoint: { origin: "jiexu/gw-a", keys: [] } }),
        "/agencies/0/checkpoint/keys",
      ],
      [
        "a key listed twice",
        agency("440000", 1, { checkpoint: log("jiexu/gw-a", vkey("jiexu/gw-a", 1), vkey("jiexu/gw-a", 1)) }),
        "/agencies/0/checkpoint/keys/1/vkey",
      ],
      [
        "a key period backwards",
        agency("440000", 1, {
          checkpoint: {
            origin: "jiexu/gw-a",
            keys: [{ vkey: vkey("jiexu/gw-a", 1), notBefore: period.notAfter, notAfter: period.notBefore }],
          },
        }),
        "/agencies/0/checkpoint/keys/0/notAfter",
      ],
    ])("refuses %s", (_name, listing, path) => {
      const result = validateDirectory(withLog(listing));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems.map((p) => p.path)).toContain(path);
    });

    it("refuses one origin claimed by two gateways, or listed with other keys (one log, one gateway)", () => {
      const a = log("jiexu/gw-a", vkey("jiexu/gw-a", 1));
      const other = withLog(agency("440000", 1, { checkpoint: a }), agency("330000", 3, { checkpoint: a }));
      expect(validateDirectory(other)).toMatchObject({ ok: false, problems: [{ path: "/agencies/1/checkpoint" }] });
      const url = { gatewayUrl: "https://hub.example.cn/jiexu" };
      const rekeyed = withLog(
        agency("440000", 1, { ...url, checkpoint: a }),
        agency("330000", 3, { ...url, checkpoint: log("jiexu/gw-a", vkey("jiexu/gw-a", 2)) }),
      );
      expect(validateDirectory(rekeyed)).toMatchObject({ ok: false, problems: [{ path: "/agencies/1/checkpoint" }] });
    });
  });

  it("refuses unknown fields and non-objects without throwing", () => {
    expect(validateDirectory({ ...directory(), extra: true }).ok).toBe(false);
    expect(validateDirectory(null).ok).toBe(false);
    expect(validateDirectory("directory").ok).toBe(false);
  });
});

describe("checkDirectoryUpdate", () => {
  it("installs a first directory and replaces it with a higher sequence", () => {
    expect(checkDirectoryUpdate(undefined, directory(), DURING)).toMatchObject({ ok: true, change: "installed" });
    expect(checkDirectoryUpdate(directory(), directory({ sequence: 8 }), DURING)).toMatchObject({
      ok: true,
      change: "replaced",
    });
  });

  it("treats the same sequence with the same content as unchanged, whatever the key order", () => {
    const current = directory();
    const reordered = Object.fromEntries(Object.entries(directory()).reverse());
    const update = checkDirectoryUpdate(current, reordered, DURING);
    expect(update).toMatchObject({ ok: true, change: "unchanged" });
    if (update.ok) expect(update.directory).toBe(current);
  });

  it("refuses an older sequence, and the same sequence with other content (DIRECTORY_SEQUENCE_STALE)", () => {
    expect(refusal(checkDirectoryUpdate(directory(), directory({ sequence: 6 }), DURING)).code).toBe(
      "DIRECTORY_SEQUENCE_STALE",
    );
    const other = directory({ agencies: [agency("440000", 0x10)] });
    expect(refusal(checkDirectoryUpdate(directory(), other, DURING)).code).toBe("DIRECTORY_SEQUENCE_STALE");
  });

  it("refuses an expired directory, expiry included (DIRECTORY_EXPIRED)", () => {
    expect(refusal(checkDirectoryUpdate(undefined, directory(), EXPIRES)).code).toBe("DIRECTORY_EXPIRED");
    expect(
      refusal(checkDirectoryUpdate(directory({ sequence: 1 }), directory(), new Date(EXPIRES.getTime() + 1))).code,
    ).toBe("DIRECTORY_EXPIRED");
    expect(checkDirectoryUpdate(undefined, directory(), new Date(EXPIRES.getTime() - 1)).ok).toBe(true);
  });

  it("tolerates a small clock skew on issuedAt, not more (DIRECTORY_NOT_YET_VALID)", () => {
    expect(checkDirectoryUpdate(undefined, directory(), new Date(ISSUED.getTime() - 4 * 60_000)).ok).toBe(true);
    expect(refusal(checkDirectoryUpdate(undefined, directory(), new Date(ISSUED.getTime() - 6 * 60_000))).code).toBe(
      "DIRECTORY_NOT_YET_VALID",
    );
    expect(
      checkDirectoryUpdate(undefined, directory(), new Date(ISSUED.getTime() - 6 * 60_000), { skewMs: 10 * 60_000 }).ok,
    ).toBe(true);
  });

  it("reports schema problems with their paths (DIRECTORY_SCHEMA)", () => {
    const error = refusal(checkDirectoryUpdate(directory(), { ...directory({ sequence: 9 }), operator: "" }, DURING));
    expect(error).toBeInstanceOf(DirectoryError);
    expect(error.code).toBe("DIRECTORY_SCHEMA");
    expect(error.problems?.map((p) => p.path)).toEqual(["/operator"]);
  });
});

describe("directoryStatus", () => {
  it("is none, valid, then expired", () => {
    expect(directoryStatus(undefined, DURING)).toBe("none");
    expect(directoryStatus(directory(), DURING)).toBe("valid");
    expect(directoryStatus(directory(), EXPIRES)).toBe("expired");
  });
});
