import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatCheckpoint } from "../../src/domain/archive/index.ts";
import { createApp } from "../../src/http/app.ts";
import { formatVerifierKey, noteKeyFromSeed, signNote } from "../../src/pki/note-signer.ts";
import { silentLogger } from "../../src/runtime/basics.ts";
import { DEFAULT_WITNESS_LIMITS } from "../../src/usecases/index.ts";
import { createTestApp, type TestApp } from "./app-harness.ts";

const PEER = "jiexu.test/peer";
const PEER_KEY = noteKeyFromSeed(new Uint8Array(32).fill(11));
const ATTACKER = noteKeyFromSeed(new Uint8Array(32).fill(66));
const note = (origin: string, key: typeof PEER_KEY, size: number, fill = size) =>
  signNote(formatCheckpoint({ origin, size, root: new Uint8Array(32).fill(fill) }), { name: origin, privateKey: key });

describe("POST /v1/archive/witness (issue 9 item 2)", () => {
  let t: TestApp;
  let app: ReturnType<typeof createApp>;
  const post = (body: unknown) =>
    app.request("/v1/archive/witness", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  // A fresh gateway per test: the witness's rows and the rate limiter's buckets start empty.
  beforeEach(async () => {
    t = await createTestApp();
    // The directory pins PEER_KEY for the peer's origin, nothing else.
    const peerLogs = {
      pinnedKeys: (origin: string) => (origin === PEER ? [formatVerifierKey(PEER, PEER_KEY)] : undefined),
    };
    const gateway = { ...t.gw.deps, peerLogs };
    app = createApp({
      gateway,
      metrics: t.metrics,
      logger: silentLogger,
      info: { version: "test", hostedAgencies: gateway.agencies.hostedIds() },
    });
  });
  afterEach(async () => t.gw.close());

  it("refuses a fake tree head under a peer's origin with the attacker's own vkey (403 WITNESS_KEY_UNPINNED); the genuine one is then accepted, not 409", async () => {
    const fake = await post({ note: note(PEER, ATTACKER, 7, 0xee), vkey: formatVerifierKey(PEER, ATTACKER) });
    expect(fake.status).toBe(403);
    expect(await fake.json()).toMatchObject({ code: "WITNESS_KEY_UNPINNED" });
    const genuine = await post({ note: note(PEER, PEER_KEY, 7), vkey: formatVerifierKey(PEER, PEER_KEY) });
    expect(genuine.status).toBe(200);
    expect(await genuine.json()).toMatchObject({ witnessKey: t.gw.deps.archiveSigner!.verifierKey });
    expect(await t.gw.deps.store.auditEvents({ kind: "security.checkpoint-equivocation", limit: 5 })).toHaveLength(0);
  });

  it("answers an unknown origin with 403 WITNESS_ORIGIN_UNKNOWN and keeps no row", async () => {
    const res = await post({
      note: note("jiexu.test/stranger", ATTACKER, 1),
      vkey: formatVerifierKey("jiexu.test/stranger", ATTACKER),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: "WITNESS_ORIGIN_UNKNOWN" });
    expect(await t.gw.deps.store.archive.peerCheckpoints("jiexu.test/stranger")).toEqual([]);
  });

  it("accepts an offer without vkey (the directory's key decides)", async () => {
    expect((await post({ note: note(PEER, PEER_KEY, 8) })).status).toBe(200);
  });

  it("answers 429 RATE_LIMITED with Retry-After once a peer exceeds its burst", async () => {
    // Two offers are taken first; the clock does not move, so nothing refills.
    for (const size of [7, 8]) expect((await post({ note: note(PEER, PEER_KEY, size) })).status).toBe(200);
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < DEFAULT_WITNESS_LIMITS.perPeer.burst; i++) {
      last = await post({ note: note(PEER, PEER_KEY, 20 + i) });
      statuses.push(last.status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(DEFAULT_WITNESS_LIMITS.perPeer.burst - 2);
    expect(last!.status).toBe(429);
    expect(await last!.json()).toMatchObject({ code: "RATE_LIMITED" });
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});
