import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatCheckpoint, parseNote, signNoteText } from "../../../src/domain/archive/index.ts";
import { pinnedCheckpointKeys, type CheckpointLogListing } from "../../../src/domain/directory/index.ts";
import {
  createNoteSigner,
  formatVerifierKey,
  noteKeyFromSeed,
  signNote,
  verifyNote,
} from "../../../src/pki/note-signer.ts";
import { cutCheckpoint } from "../../../src/usecases/archive/log.ts";
import {
  registerApplication,
  submitDocument,
  type GatewayDeps,
  type PeerLogKeys,
} from "../../../src/usecases/index.ts";
import {
  RateLimitedError,
  createWitnessGuard,
  type WitnessLimits,
} from "../../../src/usecases/archive/witness-guard.ts";
import { exchangeCheckpoints, witnessCheckpoint, type WitnessResult } from "../../../src/usecases/archive/witness.ts";
import { directoryOf } from "../../fixtures/directory.ts";
import { FIXTURE_NOW } from "../../fixtures/dev-pki.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";

const example = (type: string) =>
  JSON.parse(readFileSync(new URL(`../../../schemas/examples/${type}.json`, import.meta.url), "utf8"));
const DAY = 86_400_000;
const seed = (n: number) => noteKeyFromSeed(new Uint8Array(32).fill(n));
const [GD, ZJ, SC] = ["jiexu.test/gd", "jiexu.test/zj", "jiexu.test/sc"];
const GD_KEY = seed(1);
const ZJ_KEY = seed(2);
const ATTACKER = seed(66);
const [SC_OLD, SC_NEW] = [seed(5), seed(6)];

/** A checkpoint note for `origin`, signed by `key` under that name. */
const checkpointNote = (origin: string, key: ReturnType<typeof seed>, size: number, fill = 1) =>
  signNote(formatCheckpoint({ origin, size, root: new Uint8Array(32).fill(fill) }), { name: origin, privateKey: key });
const vkeyOf = (origin: string, key: ReturnType<typeof seed>) => formatVerifierKey(origin, key);
const generous: WitnessLimits = {
  perPeer: { burst: 1000, perSecond: 1 },
  refused: { burst: 1000, perSecond: 1 },
  audit: { burst: 1000, perSecond: 1 },
};

describe("cross-witnessing checkpoints", () => {
  let origin: TestGateway;
  let witness: TestGateway;
  let gd: GatewayDeps;
  let zj: GatewayDeps;
  // Rollover of 四川's log key: the old key counts until T2, the new one from T1 < T2.
  const start = new Date(FIXTURE_NOW.getTime() + 3600_000);
  const [T1, T2] = [new Date(start.getTime() + DAY), new Date(start.getTime() + 2 * DAY)];

  // A fresh pair of gateways per test (a letter archived at the origin): no test sees another's rows,
  // buckets or clock.
  beforeEach(async () => {
    origin = await createTestGateway({ materials: { archiveKey: { privateKey: GD_KEY, origin: GD } } });
    witness = await createTestGateway({ materials: { archiveKey: { privateKey: ZJ_KEY, origin: ZJ } } });
    const window = {
      notBefore: FIXTURE_NOW.toISOString(),
      notAfter: new Date(FIXTURE_NOW.getTime() + 30 * DAY).toISOString(),
    };
    const logs: Record<string, CheckpointLogListing> = {
      "440000": { origin: GD, keys: [{ vkey: vkeyOf(GD, GD_KEY), ...window }] },
      "330000": { origin: ZJ, keys: [{ vkey: vkeyOf(ZJ, ZJ_KEY), ...window }] },
      "510000": {
        origin: SC,
        keys: [
          { vkey: vkeyOf(SC, SC_OLD), notBefore: window.notBefore, notAfter: T2.toISOString() },
          { vkey: vkeyOf(SC, SC_NEW), notBefore: T1.toISOString(), notAfter: window.notAfter },
        ],
      },
    };
    const directory = directoryOf(origin.pki, { sequence: 1, issuedAt: FIXTURE_NOW, validDays: 30, checkpoints: logs });
    const peerLogs: PeerLogKeys = { pinnedKeys: (o, at) => pinnedCheckpointKeys(directory, o, at) };
    gd = { ...origin.deps, peerLogs };
    zj = { ...witness.deps, peerLogs };
    const letter = example("contact-letter");
    await registerApplication(gd, origin.principal("330000"), { caseId: letter.caseId, transferOutAgency: "440000" });
    await submitDocument(gd, origin.principal("330000"), letter.caseId, {
      type: "contact-letter",
      body: letter.body,
      id: letter.id,
    });
  });
  afterEach(async () => Promise.all([origin.close(), witness.close()]));

  const peers = {
    urls: () => ["http://zj.example"],
    offer: (_url: string, note: string, vkey: string) => witnessCheckpoint(zj, { note, vkey }),
  };
  const refusedEvents = async () =>
    (await zj.store.auditEvents({ kind: "security.witness-refused", limit: 1000 })).length;

  describe("when someone co-signs a fake tree head under a peer's origin", () => {
    it("refuses a fake tree head signed with the attacker's own key (403 WITNESS_KEY_UNPINNED), and the genuine one is still accepted, not 409 (issue 9 item 2)", async () => {
      const genuine = await cutCheckpoint(gd);
      const fake = checkpointNote(GD, ATTACKER, genuine.size, 0xee);
      await expect(witnessCheckpoint(zj, { note: fake, vkey: vkeyOf(GD, ATTACKER) })).rejects.toMatchObject({
        code: "WITNESS_KEY_UNPINNED",
      });
      await expect(witnessCheckpoint(zj, { note: fake })).rejects.toMatchObject({ code: "WITNESS_KEY_UNPINNED" });
      await expect(witnessCheckpoint(zj, { note: fake, vkey: vkeyOf(GD, GD_KEY) })).rejects.toMatchObject({
        code: "WITNESS_KEY_UNPINNED",
      });
      expect(await zj.store.archive.peerCheckpoints(GD)).toEqual([]);
      expect(await zj.store.auditEvents({ kind: "security.checkpoint-equivocation", limit: 5 })).toHaveLength(0);

      expect(await exchangeCheckpoints(gd, peers)).toBe(1);
      const ours = (await gd.store.archive.latestCheckpoint())!;
      expect(verifyNote(ours.note, [vkeyOf(GD, GD_KEY), vkeyOf(ZJ, ZJ_KEY)]).verifiedBy.sort()).toEqual([GD, ZJ]);
      expect((await zj.store.archive.peerCheckpoints(GD)).map((c) => [c.size, c.rootHex])).toEqual([
        [ours.size, ours.rootHex],
      ]);
    });

    it("keeps and co-signs only the pinned key's signature when an offer carries other signature lines", async () => {
      const text = formatCheckpoint({ origin: SC, size: 50, root: new Uint8Array(32).fill(50) });
      const note = signNoteText(text, [
        createNoteSigner({ name: SC, privateKey: SC_OLD }),
        createNoteSigner({ name: SC, privateKey: ATTACKER }),
      ]);
      const answer = await witnessCheckpoint(zj, { note });
      expect(parseNote(answer.cosigned).signatures).toHaveLength(2);
      expect(verifyNote(answer.cosigned, [vkeyOf(SC, SC_OLD), vkeyOf(ZJ, ZJ_KEY)]).unverified).toEqual([]);
      const [kept] = (await zj.store.archive.peerCheckpoints(SC)).filter((c) => c.size === 50);
      expect(parseNote(kept!.note).signatures).toHaveLength(1);
    });

    it("still refuses a second root signed by the pinned key as a split view (409) and records it", async () => {
      expect(await exchangeCheckpoints(gd, peers)).toBe(1);
      const ours = (await gd.store.archive.latestCheckpoint())!;
      const forked = checkpointNote(GD, GD_KEY, ours.size, 9);
      await expect(witnessCheckpoint(zj, { note: forked, vkey: vkeyOf(GD, GD_KEY) })).rejects.toMatchObject({
        code: "DOCUMENT_CONFLICT",
      });
      expect(await zj.store.auditEvents({ kind: "security.checkpoint-equivocation", limit: 5 })).toHaveLength(1);
    });
  });

  describe("when the origin is not a peer gateway's log", () => {
    it("refuses an unknown origin with 403 WITNESS_ORIGIN_UNKNOWN, writes no row and audits the refusal (issue 9 item 2)", async () => {
      const before = await refusedEvents();
      const stranger = checkpointNote("jiexu.test/nowhere", ATTACKER, 3);
      await expect(
        witnessCheckpoint(zj, { note: stranger, vkey: vkeyOf("jiexu.test/nowhere", ATTACKER) }),
      ).rejects.toMatchObject({ code: "WITNESS_ORIGIN_UNKNOWN" });
      expect(await zj.store.archive.peerCheckpoints("jiexu.test/nowhere")).toEqual([]);
      expect(await refusedEvents()).toBe(before + 1);
      const [event] = await zj.store.auditEvents({ kind: "security.witness-refused", limit: 1 });
      expect(event?.detail).toMatchObject({ code: "WITNESS_ORIGIN_UNKNOWN", origin: "jiexu.test/nowhere" });
    });

    it("refuses our own origin (only peers are witnessed) and anything that is no checkpoint (REQUEST_INVALID)", async () => {
      await expect(witnessCheckpoint(zj, { note: checkpointNote(ZJ, ZJ_KEY, 2) })).rejects.toMatchObject({
        code: "WITNESS_ORIGIN_UNKNOWN",
      });
      await expect(witnessCheckpoint(zj, { note: "hello\n\n— x AAAA\n" })).rejects.toMatchObject({
        code: "REQUEST_INVALID",
      });
      expect(await zj.store.archive.peerCheckpoints(ZJ)).toEqual([]);
    });

    it("audits refusals at a bounded rate and counts the ones left out (issue 9 item 2)", async () => {
      const guard = createWitnessGuard(zj, { ...generous, audit: { burst: 3, perSecond: 1 / 60 } });
      const before = await refusedEvents();
      for (let i = 0; i < 50; i++) {
        const note = checkpointNote(`jiexu.test/fake-${i}`, ATTACKER, 1);
        await expect(witnessCheckpoint(zj, { note }, undefined, guard)).rejects.toMatchObject({
          code: "WITNESS_ORIGIN_UNKNOWN",
        });
      }
      expect(await refusedEvents()).toBe(before + 3);
      witness.clock.advance(60_000);
      await expect(
        witnessCheckpoint(zj, { note: checkpointNote("jiexu.test/fake-x", ATTACKER, 1) }, undefined, guard),
      ).rejects.toMatchObject({ code: "WITNESS_ORIGIN_UNKNOWN" });
      const [latest] = await zj.store.auditEvents({ kind: "security.witness-refused", limit: 1 });
      expect(latest?.detail).toMatchObject({ suppressedSinceLast: 47 });
      expect((await zj.store.archive.peerCheckpoints()).filter((c) => c.origin.startsWith("jiexu.test/fake"))).toEqual(
        [],
      );
    });
  });

  describe("when a peer rolls its checkpoint key over", () => {
    it("accepts the old and the new key during the overlap, and only the new one after the old key's notAfter (issue 9 item 2)", async () => {
      const guard = createWitnessGuard(zj, generous);
      const offer = (key: ReturnType<typeof seed>, size: number) =>
        witnessCheckpoint(zj, { note: checkpointNote(SC, key, size, size), vkey: vkeyOf(SC, key) }, undefined, guard);
      witness.clock.set(new Date(T1.getTime() - 1));
      await expect(offer(SC_NEW, 1)).rejects.toMatchObject({ code: "WITNESS_KEY_UNPINNED" });
      await expect(offer(SC_OLD, 1)).resolves.toMatchObject({ witnessKey: vkeyOf(ZJ, ZJ_KEY) });
      witness.clock.set(T1);
      await expect(offer(SC_OLD, 2)).resolves.toBeDefined();
      await expect(offer(SC_NEW, 3)).resolves.toBeDefined();
      witness.clock.set(new Date(T2.getTime() + 1));
      await expect(offer(SC_OLD, 4)).rejects.toMatchObject({ code: "WITNESS_KEY_UNPINNED" });
      await expect(offer(SC_NEW, 4)).resolves.toBeDefined();
      expect((await zj.store.archive.peerCheckpoints(SC)).map((c) => c.size).filter((s) => s < 50)).toEqual([
        1, 2, 3, 4,
      ]);
      witness.clock.set(start);
    });
  });

  describe("rate limits", () => {
    it("answers RATE_LIMITED past a peer's burst, with the seconds to wait, and admits it again after the refill (issue 9 item 2)", async () => {
      const guard = createWitnessGuard(zj, { ...generous, perPeer: { burst: 2, perSecond: 0.5 } });
      const note = checkpointNote(SC, SC_OLD, 1, 1);
      // Forged offers under the peer's origin do not drain the peer's own bucket.
      for (let i = 0; i < 5; i++)
        await expect(
          witnessCheckpoint(zj, { note: checkpointNote(SC, ATTACKER, 1) }, undefined, guard),
        ).rejects.toMatchObject({ code: "WITNESS_KEY_UNPINNED" });
      await witnessCheckpoint(zj, { note }, undefined, guard);
      await witnessCheckpoint(zj, { note }, undefined, guard);
      const limited = await witnessCheckpoint(zj, { note }, undefined, guard).catch((err: unknown) => err);
      expect(limited).toBeInstanceOf(RateLimitedError);
      expect(limited).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 2 });
      witness.clock.advance(2_000);
      await expect(witnessCheckpoint(zj, { note }, undefined, guard)).resolves.toBeDefined();
    });

    it("caps refused offers of all callers together: past the cap, RATE_LIMITED instead of 403", async () => {
      const guard = createWitnessGuard(zj, { ...generous, refused: { burst: 3, perSecond: 1 } });
      for (let i = 0; i < 3; i++)
        await expect(
          witnessCheckpoint(zj, { note: checkpointNote(`jiexu.test/x${i}`, ATTACKER, 1) }, undefined, guard),
        ).rejects.toMatchObject({ code: "WITNESS_ORIGIN_UNKNOWN" });
      await expect(
        witnessCheckpoint(zj, { note: checkpointNote("jiexu.test/x9", ATTACKER, 1) }, undefined, guard),
      ).rejects.toMatchObject({ code: "RATE_LIMITED" });
      // A pinned peer has its own bucket and is still served.
      await expect(
        witnessCheckpoint(zj, { note: checkpointNote(SC, SC_OLD, 1, 1) }, undefined, guard),
      ).resolves.toBeDefined();
    });
  });

  describe("the offering side", () => {
    it("keeps only a co-signature by a key the directory pins for the witness", async () => {
      const rogue = {
        urls: () => ["http://zj.example"],
        offer: async (_url: string, note: string): Promise<WitnessResult> => ({
          cosigned: signNote(parseNote(note).text, { name: ZJ, privateKey: ATTACKER }),
          witnessKey: vkeyOf(ZJ, ATTACKER),
        }),
      };
      expect(await exchangeCheckpoints(gd, rogue)).toBe(0);
    });

    it("does not offer when the directory pins no key of its own", async () => {
      let offered = 0;
      const counting = { urls: () => ["http://zj.example"], offer: async () => void offered++ };
      expect(await exchangeCheckpoints({ ...gd, peerLogs: { pinnedKeys: () => undefined } }, counting)).toBe(0);
      expect(offered).toBe(0);
    });
  });
});
