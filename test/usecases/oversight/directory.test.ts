import { beforeAll, describe, expect, it } from "vitest";
import type { Directory } from "../../../src/domain/directory/index.ts";
import type { DevPki } from "../../../src/dev/pki.ts";
import { formatVerifierKey, noteKeyFromSeed } from "../../../src/pki/note-signer.ts";
import {
  createDirectoryHolder,
  directoryOpener,
  type DirectoryHolder,
} from "../../../src/usecases/oversight/directory.ts";
import { directoryOf, directoryRefusal, sealWithOperator, trustOf } from "../../fixtures/directory.ts";
import { FIXTURE_NOW, devPkiFixture } from "../../fixtures/dev-pki.ts";

const DAY = 86_400_000;
const day = (n: number) => new Date(FIXTURE_NOW.getTime() + n * DAY);
const bytes = (text: string) => new TextEncoder().encode(text);

describe("DirectoryHolder", () => {
  let pki: DevPki;
  let holder: DirectoryHolder;
  const sealed = (sequence: number, issuedAt: Date, edit: (d: Directory) => void = () => {}, sealAt = issuedAt) => {
    const d = directoryOf(pki, { sequence, issuedAt });
    edit(d);
    return bytes(sealWithOperator(pki, d, sealAt));
  };

  /** A new holder, with the directories given loaded in turn (each at its issue time). */
  const holderWith = (...loaded: [sequence: number, issuedAt: Date, edit?: (d: Directory) => void][]) => {
    const h = createDirectoryHolder({
      open: directoryOpener({ trust: trustOf(pki).trust, crls: () => trustOf(pki).crls }),
    });
    for (const [sequence, issuedAt, change] of loaded)
      expect(h.load(sealed(sequence, issuedAt, change), issuedAt).ok).toBe(true);
    return h;
  };
  const dropLast = (d: Directory) => void d.agencies.pop();

  // The dev PKI is shared and only read; each test builds its own holder with the directories it needs.
  beforeAll(async () => {
    pki = await devPkiFixture();
  });

  it("starts with no directory: nothing routes, no receipt certificate counts", () => {
    holder = holderWith();
    expect(holder.status(day(0))).toBe("none");
    expect(directoryRefusal(() => holder.routeFor("440000", day(0))).code).toBe("DIRECTORY_MISSING");
    expect(holder.receiptCertificates("440000", day(0))).toEqual([]);
  });

  it("installs a sealed directory and routes listed agencies only", () => {
    holder = holderWith();
    expect(holder.load(sealed(1, day(0)), day(0))).toMatchObject({ ok: true, change: "installed" });
    expect(holder.status(day(1))).toBe("valid");
    expect(holder.routeFor("440000", day(1))).toBe("http://127.0.0.1:40044");
    expect(directoryRefusal(() => holder.routeFor("520000", day(1))).code).toBe("AGENCY_NOT_LISTED");
    const gd = pki.agencies.find((a) => a.spec.id === "440000")!;
    expect(holder.isListedSealCertificate("440000", gd.seal.fingerprint, day(1))).toBe(true);
    expect(holder.isListedSealCertificate("440000", gd.receipt.fingerprint, day(1))).toBe(false);
  });

  it("keeps the last good directory when a refresh is tampered with", () => {
    holder = holderWith([1, day(0)]);
    const tampered = JSON.parse(new TextDecoder().decode(sealed(2, day(1)))) as { directory: Directory };
    tampered.directory.agencies[0]!.gatewayUrl = "https://attacker.example";
    const result = holder.load(bytes(JSON.stringify(tampered)), day(1));
    expect(result).toMatchObject({ ok: false, error: { code: "DIRECTORY_SEAL_INVALID" } });
    expect(holder.current()?.sequence).toBe(1);
    expect(holder.lastRefusal()?.code).toBe("DIRECTORY_SEAL_INVALID");
    expect(holder.load(bytes("<html>502 Bad Gateway</html>"), day(1))).toMatchObject({
      ok: false,
      error: { code: "DIRECTORY_SCHEMA" },
    });
    expect(holder.current()?.sequence).toBe(1);
  });

  it("replaces with a higher sequence, treats a re-load as unchanged and refuses an older sequence", () => {
    holder = holderWith([1, day(0)]);
    const two = sealed(2, day(1), (d) => d.agencies.pop());
    expect(holder.load(two, day(1))).toMatchObject({ ok: true, change: "replaced" });
    expect(holder.lastRefusal()).toBeUndefined();
    expect(holder.load(two, day(1))).toMatchObject({ ok: true, change: "unchanged" });
    const stale = holder.load(sealed(1, day(0)), day(1));
    expect(stale).toMatchObject({ ok: false, error: { code: "DIRECTORY_SEQUENCE_STALE" } });
    expect(holder.current()?.sequence).toBe(2);
    expect(directoryRefusal(() => holder.routeFor("650000", day(1))).code).toBe("AGENCY_NOT_LISTED");
  });

  it("refuses a directory issued in the future", () => {
    holder = holderWith([1, day(0)], [2, day(1), dropLast]);
    // Sealed now, but claiming tomorrow as its issue time (the seal itself is fine).
    expect(holder.load(sealed(5, day(3), undefined, day(2)), day(2))).toMatchObject({
      ok: false,
      error: { code: "DIRECTORY_NOT_YET_VALID" },
    });
    expect(holder.current()?.sequence).toBe(2);
  });

  it("once expired: sending is refused (DIRECTORY_EXPIRED) but receipts stay verifiable from the last good listing", () => {
    holder = holderWith([1, day(0)], [2, day(1), dropLast]);
    const later = day(9); // sequence 2 was issued on day 1, valid 7 days
    expect(holder.status(later)).toBe("expired");
    expect(directoryRefusal(() => holder.routeFor("440000", later)).code).toBe("DIRECTORY_EXPIRED");
    const gd = pki.agencies.find((a) => a.spec.id === "440000")!;
    expect(holder.receiptCertificates("440000", later)).toEqual([gd.receipt.fingerprint]);
    expect(holder.isListedReceiptCertificate("440000", gd.receipt.fingerprint, later)).toBe(true);
    expect(holder.load(sealed(3, day(1)), later)).toMatchObject({
      ok: false,
      error: { code: "DIRECTORY_EXPIRED" },
      kept: { sequence: 2 },
    });
    expect(holder.load(sealed(4, day(9)), later)).toMatchObject({ ok: true, change: "replaced" });
    expect(holder.routeFor("440000", later)).toBe("http://127.0.0.1:40044");
  });

  it("lists old and new receipt certificates during a rollover overlap", () => {
    holder = holderWith([1, day(0)], [2, day(1), dropLast], [4, day(9)]);
    const gd = pki.agencies.find((a) => a.spec.id === "440000")!;
    const next = "ab".repeat(32);
    const rolled = sealed(6, day(10), (d) => {
      const entry = d.agencies.find((a) => a.id === "440000")!;
      entry.receiptCertificates[0]!.notAfter = day(20).toISOString();
      entry.receiptCertificates.push({
        sha256: next,
        notBefore: day(15).toISOString(),
        notAfter: day(400).toISOString(),
      });
    });
    expect(holder.load(rolled, day(10)).ok).toBe(true);
    expect(holder.receiptCertificates("440000", day(12))).toEqual([gd.receipt.fingerprint]);
    expect(holder.receiptCertificates("440000", day(16))).toEqual([gd.receipt.fingerprint, next]);
    expect(holder.receiptCertificates("440000", day(21))).toEqual([next]);
  });

  it("pins each gateway's checkpoint keys for its origin, and refuses a listed key whose key ID is wrong (issue 9 item 2)", () => {
    holder = holderWith([1, day(0)], [2, day(1), dropLast], [4, day(9)]);
    const vkey = formatVerifierKey("jiexu/gateway-440000", noteKeyFromSeed(new Uint8Array(32).fill(4)));
    const log = {
      origin: "jiexu/gateway-440000",
      keys: [{ vkey, notBefore: day(10).toISOString(), notAfter: day(40).toISOString() }],
    };
    const listing = (d: Directory, checkpoint: typeof log) =>
      void (d.agencies.find((a) => a.id === "440000")!.checkpoint = checkpoint);
    expect(
      holder.load(
        sealed(7, day(11), (d) => listing(d, log)),
        day(11),
      ).ok,
    ).toBe(true);
    expect(holder.pinnedCheckpointKeys("jiexu/gateway-440000", day(12))).toEqual([vkey]);
    expect(holder.pinnedCheckpointKeys("jiexu/gateway-440000", day(41))).toEqual([]);
    expect(holder.pinnedCheckpointKeys("jiexu/gateway-330000", day(12))).toBeUndefined();
    // Same name and key, another key ID: the pattern holds, the C2SP key ID does not.
    const forged = vkey.replace(/\+[0-9a-f]{8}\+/, "+00000000+");
    const refused = holder.load(
      sealed(8, day(12), (d) => listing(d, { ...log, keys: [{ ...log.keys[0]!, vkey: forged }] })),
      day(12),
    );
    expect(refused).toMatchObject({
      ok: false,
      error: { code: "DIRECTORY_SCHEMA", problems: [{ path: "/agencies/3/checkpoint/keys/0/vkey" }] },
    });
    expect(holder.pinnedCheckpointKeys("jiexu/gateway-440000", day(12))).toEqual([vkey]);
  });

  it("turns an unexpected failure of the opener into a coded refusal", () => {
    const broken = createDirectoryHolder({
      open: () => {
        throw new RangeError("boom");
      },
    });
    expect(broken.load(bytes("{}"), day(0))).toMatchObject({
      ok: false,
      error: { code: "DIRECTORY_SEAL_INVALID" },
      kept: undefined,
    });
    const trusting = createDirectoryHolder({
      open: (b) => ({ directory: JSON.parse(new TextDecoder().decode(b)) }),
      skewMs: 0,
    });
    const plain = directoryOf(pki, { sequence: 1, issuedAt: day(0) });
    expect(trusting.load(bytes(JSON.stringify(plain)), new Date(day(0).getTime() - 1))).toMatchObject({
      ok: false,
      error: { code: "DIRECTORY_NOT_YET_VALID" },
    });
  });
});
