import type { AgencyListing, Directory } from "../../../src/domain/directory/index.ts";

/** A small valid directory: issued at ISSUED, valid a week; 广东 and 浙江 with one seal and one receipt each. */
export const ISSUED = new Date("2026-03-02T00:00:00Z");
export const EXPIRES = new Date("2026-03-09T00:00:00Z");
export const DURING = new Date("2026-03-04T12:00:00Z");

export const fp = (n: number) => n.toString(16).padStart(2, "0").repeat(32);

export function agency(id: string, n: number, overrides: Partial<AgencyListing> = {}): AgencyListing {
  const period = { notBefore: "2026-01-01T00:00:00Z", notAfter: "2028-01-01T00:00:00Z" };
  return {
    id,
    name: `机构 ${id}`,
    gatewayUrl: `https://gw-${id}.example.cn/jiexu`,
    sealCertificates: [{ sha256: fp(n), ...period }],
    receiptCertificates: [{ sha256: fp(n + 1), ...period }],
    ...overrides,
  };
}

export function directory(overrides: Partial<Directory> = {}): Directory {
  return {
    jiexuDirectory: 1,
    operator: "接续全国根运营方",
    sequence: 7,
    issuedAt: ISSUED.toISOString(),
    expiresAt: EXPIRES.toISOString(),
    agencies: [agency("440000", 0x10), agency("330000", 0x20)],
    ...overrides,
  };
}

/** A syntactically valid C2SP Ed25519 vkey named `origin` (key ID and key are not checked by the domain). */
export const vkey = (origin: string, n: number) =>
  `${origin}+${n.toString(16).padStart(8, "0")}+A${String.fromCharCode(65 + n).repeat(43)}`;
