import { afterEach, describe, expect, it, vi } from "vitest";
import { contactLetter } from "../../../src/cli/demo/documents.ts";
import { createOutboxDispatcher } from "../../../src/usecases/delivery/outbox-dispatcher.ts";
import {
  registerApplication,
  submitDocument,
  type DeliveryRecord,
  type PeerTransport,
  type Principal,
  type TransportOutcome,
} from "../../../src/usecases/index.ts";
import { createRemoteSender, type RemoteSender } from "../../e2e/support/remote-gateways.ts";
import { createTestGateway, noMetrics, type TestGateway } from "../../support/gateway-harness.ts";

/**
 * Issue 9 item 8: each peer's deliveries keep their own schedule. 浙江 (330000) sends through a fake
 * transport to three peers: 广东 (440000) accepts and never answers, 四川 (510000) refuses at once,
 * 新疆 (650000) is healthy (a real receiving gateway in this process). Time is the injected clock;
 * the hung peer's attempt stays pending for the whole test, then is released as `uncertain`.
 */

const HUNG = "440000";
const REFUSING = "510000";
const HEALTHY = "650000";
const ZJ: Principal = { tokenId: "tok-330000", role: "agency", agencyId: "330000" };
const RETRY = { baseSeconds: 2, capSeconds: 20, maxAgeSeconds: 24 * 3600 };
const settled = { timeout: 10_000, interval: 5 };

interface Call {
  to: string;
  at: string;
  documentId: string;
}

/** The three peers; `release()` answers every pending hung attempt (uncertain, as a timeout would). */
function fakePeers(receiver: TestGateway, sender: () => RemoteSender) {
  const calls: Call[] = [];
  const hung: ((o: TransportOutcome) => void)[] = [];
  const transport: PeerTransport = {
    deliver(to, bytes) {
      const documentId = (JSON.parse(new TextDecoder().decode(bytes)) as { document: { id: string } }).document.id;
      calls.push({ to, at: sender().clock.now().toISOString(), documentId });
      if (to === HUNG) return new Promise((resolve) => hung.push(resolve));
      if (to === REFUSING)
        return Promise.resolve({ kind: "unreachable", message: "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9" });
      return receiver.deps.transport.deliver(to, bytes);
    },
  };
  return {
    calls,
    transport,
    pending: () => hung.length,
    release: () =>
      hung.splice(0).forEach((answer) => {
        answer({ kind: "uncertain", message: "TIMEOUT: no complete answer within 15000 ms" });
      }),
  };
}

async function setUp() {
  const receiver = await createTestGateway();
  let sender: RemoteSender | undefined;
  const peers = fakePeers(receiver, () => sender!);
  const receipt = (id: string) => [receiver.deps.agencies.hosted(id)!.receiptKey.certificateSha256];
  sender = await createRemoteSender({
    hosted: ["330000"],
    transport: peers.transport,
    retry: RETRY,
    random: () => 0.5,
    metrics: noMetrics,
    receiptCertificates: { [HUNG]: receipt(HUNG), [REFUSING]: receipt(REFUSING), [HEALTHY]: receipt(HEALTHY) },
  });
  receiver.clock.set(sender.clock.now());
  const s = sender;
  let n = 0;
  /** Open a case with `peer` and submit its contact letter; returns the letter's delivery. */
  const send = async (peer: string): Promise<DeliveryRecord> => {
    n += 1;
    const caseId = `CASE-330000-2024-0009${String(n).padStart(2, "0")}`;
    const letter = contactLetter(
      { transferIn: "330000", transferOut: peer },
      `ZJ-LXH-2024-0009${String(n).padStart(2, "0")}`,
    );
    await registerApplication(s.deps, ZJ, { caseId, transferOutAgency: peer });
    await submitDocument(s.deps, ZJ, caseId, { type: "contact-letter", body: letter.body, id: letter.id! });
    return (await s.deps.store.listDeliveries({ ownerAgency: "330000", limit: 500 })).find(
      (d) => d.documentId === letter.id,
    )!;
  };
  const delivery = async (id: string) => (await s.deps.store.getDelivery(id))!;
  const cleanUp = async () => {
    peers.release();
    await s.close();
    await receiver.close();
  };
  return { receiver, sender: s, peers, send, delivery, cleanUp };
}

let cleanUp: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanUp?.();
  cleanUp = undefined;
});

describe("the outbox dispatcher: one lane per peer", () => {
  it("a hung peer does not delay a refusing peer's first attempt (issue 9 item 8)", async () => {
    const t = await setUp();
    cleanUp = t.cleanUp;
    // Given an attempt to the hung peer is in flight
    const hung = await t.send(HUNG);
    await vi.waitFor(() => expect(t.peers.pending()).toBe(1), settled);
    const submittedAt = t.sender.clock.now().toISOString();

    // When a letter to the refusing peer is submitted, its first attempt goes out at once
    const refused = await t.send(REFUSING);
    await vi.waitFor(async () => expect((await t.delivery(refused.id)).state).toBe("retrying"), settled);
    expect(t.peers.calls.filter((c) => c.to === REFUSING)).toEqual([
      { to: REFUSING, at: submittedAt, documentId: refused.documentId },
    ]);

    // and new work for a healthy peer is delivered while the hung attempt is still pending
    const healthy = await t.send(HEALTHY);
    await vi.waitFor(async () => expect((await t.delivery(healthy.id)).state).toBe("delivered"), settled);

    // and every later attempt of the refusing peer happens when it is due, each on the dispatch timer's kick
    for (let attempt = 2; attempt <= 4; attempt++) {
      const before = await t.delivery(refused.id);
      t.sender.clock.set(before.nextAttemptAt);
      t.sender.dispatcher.kick();
      await vi.waitFor(async () => expect((await t.delivery(refused.id)).attempts).toBe(attempt), settled);
      await vi.waitFor(async () => expect((await t.delivery(refused.id)).state).toBe("retrying"), settled);
      expect(t.peers.calls.filter((c) => c.to === REFUSING).at(-1)!.at).toBe(before.nextAttemptAt);
    }

    // Then the hung peer was asked exactly once, and its delivery is still `sending`
    expect(t.peers.pending()).toBe(1);
    expect(t.peers.calls.filter((c) => c.to === HUNG)).toHaveLength(1);
    expect(await t.delivery(hung.id)).toMatchObject({ state: "sending", attempts: 1 });

    // and once the hung attempt times out, its outcome is committed like any other
    t.peers.release();
    await t.sender.dispatcher.idle();
    expect(await t.delivery(hung.id)).toMatchObject({
      state: "uncertain",
      attempts: 1,
      lastError: expect.stringMatching(/^TIMEOUT/),
    });
  });

  it("bounds attempts in flight per peer and overall, and never sends one delivery twice at once (issue 9 item 8)", async () => {
    const t = await setUp();
    cleanUp = t.cleanUp;
    const dispatcher = createOutboxDispatcher(t.sender.deps, { perPeer: 2, total: 3 });
    t.sender.deps.onQueued = () => dispatcher.kick();
    const hung = [];
    for (let i = 0; i < 5; i++) hung.push(await t.send(HUNG));
    await vi.waitFor(() => expect(t.peers.pending()).toBe(2), settled);
    // An operator's retry of a letter whose attempt is in flight makes it due again: still not sent twice
    const inFlight = (await Promise.all(hung.map((d) => t.delivery(d.id)))).find((d) => d.state === "sending")!;
    const now = t.sender.clock.now().toISOString();
    await t.sender.deps.store.commit({
      deliveryUpdates: [{ id: inFlight.id, state: "retrying", nextAttemptAt: now, updatedAt: now }],
    });
    for (let i = 0; i < 10; i++) dispatcher.kick();
    const healthy = [await t.send(HEALTHY), await t.send(HEALTHY)];

    // The healthy peer gets the one overall slot left, one letter after the other
    await vi.waitFor(
      async () =>
        expect((await Promise.all(healthy.map((d) => t.delivery(d.id)))).map((d) => d.state)).toEqual([
          "delivered",
          "delivered",
        ]),
      settled,
    );
    expect(t.peers.pending()).toBe(2);
    expect(dispatcher.load()).toMatchObject({ active: 2, lanes: { [`document:${HUNG}`]: { active: 2 } } });
    const hungCalls = t.peers.calls.filter((c) => c.to === HUNG).map((c) => c.documentId);
    expect(new Set(hungCalls).size).toBe(hungCalls.length);
    expect((await Promise.all(hung.map((d) => t.delivery(d.id)))).map((d) => d.state).sort()).toEqual([
      "queued",
      "queued",
      "queued",
      "retrying",
      "sending",
    ]);

    // When the two time out, the next two queued letters go, and still no letter is in flight twice
    t.peers.release();
    await vi.waitFor(() => expect(t.peers.pending()).toBe(2), settled);
    const again = t.peers.calls.filter((c) => c.to === HUNG).map((c) => c.documentId);
    expect(again).toHaveLength(4);
    expect(new Set(again).size).toBe(4);
    t.peers.release();
    await vi.waitFor(() => expect(t.peers.pending()).toBe(1), settled);
    t.peers.release();
    await dispatcher.stop();
  });

  it("a hung peer's backlog longer than a scan page does not hide a healthy peer's new work (issue 9 item 8)", async () => {
    const t = await setUp();
    cleanUp = t.cleanUp;
    const dispatcher = createOutboxDispatcher(t.sender.deps, {
      perPeer: 1,
      total: 4,
      scanBatch: 2,
      queuePerPeer: 1,
      maxScan: 64,
    });
    t.sender.deps.onQueued = () => dispatcher.kick();
    for (let i = 0; i < 8; i++) {
      await t.send(HUNG);
      t.sender.clock.advance(1); // older work sorts first: the healthy letter comes after the whole backlog
    }
    await vi.waitFor(() => expect(t.peers.pending()).toBe(1), settled);
    const healthy = await t.send(HEALTHY);
    await vi.waitFor(async () => expect((await t.delivery(healthy.id)).state).toBe("delivered"), settled);
    expect(t.peers.pending()).toBe(1);
    expect(dispatcher.load()).toMatchObject({ active: 1, queued: 1 });
    t.peers.release();
    await dispatcher.stop();
  });

  it("a hung webhook endpoint holds only its own lane, not document deliveries nor other webhooks (issue 9 item 8)", async () => {
    const gw = await createTestGateway();
    const pending: (() => void)[] = [];
    cleanUp = async () => {
      for (const answer of pending.splice(0)) answer();
      await gw.close();
    };
    for (const [id, url] of [
      [HUNG, "https://hung.example/hooks"],
      [REFUSING, "https://ok.example/hooks"],
    ] as const) {
      (gw.deps.agencies.hosted(id) as { webhook?: unknown }).webhook = { url, secret: "s3cret-s3cret-s3cret" };
    }
    const posted: string[] = [];
    gw.deps.webhooks = {
      post: (url) => {
        posted.push(url);
        return url.includes("hung")
          ? new Promise((resolve) => pending.push(() => resolve({ ok: false, message: "timeout" })))
          : Promise.resolve({ ok: true, status: 204 });
      },
    };
    const zj = gw.principal("330000");
    const sendTo = async (peer: string, n: number) => {
      const caseId = `CASE-330000-2024-0008${n}0`;
      const letter = contactLetter({ transferIn: "330000", transferOut: peer }, `ZJ-LXH-2024-0008${n}0`);
      await registerApplication(gw.deps, zj, { caseId, transferOutAgency: peer });
      await submitDocument(gw.deps, zj, caseId, { type: "contact-letter", body: letter.body, id: letter.id! });
    };
    const states = async (owner: string, kind: string) =>
      (await gw.deps.store.listDeliveries({ ownerAgency: owner, limit: 50 }))
        .filter((d) => d.kind === kind)
        .map((d) => d.state);

    await sendTo(HUNG, 1);
    await vi.waitFor(() => expect(pending).toHaveLength(1), settled);
    await sendTo(REFUSING, 2);
    await sendTo(HUNG, 3);
    await vi.waitFor(async () => expect(await states(REFUSING, "webhook")).toEqual(["delivered"]), settled);
    await vi.waitFor(
      async () => expect(await states("330000", "document")).toEqual(["delivered", "delivered", "delivered"]),
      settled,
    );
    expect(posted.filter((u) => u.includes("hung"))).toHaveLength(2);
    expect(pending).toHaveLength(2);
  });
});
