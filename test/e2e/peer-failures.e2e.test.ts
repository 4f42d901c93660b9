import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, waitFor, type Api } from "../../src/cli/demo/api.ts";
import { createCluster, type Cluster } from "../../src/cli/demo/cluster.ts";
import { contactLetter } from "../../src/cli/demo/documents.ts";
import type { DeliveryView } from "../../src/cli/demo/scenario.ts";
import { buildDirectory, freePort, publishDirectory } from "../../src/cli/demo/workspace.ts";
import { ceilingMs } from "../../src/domain/delivery/backoff.ts";
import { DEFAULT_BREAKER } from "../../src/domain/delivery/breaker.ts";
import { createHttpTransport, type HttpTransport } from "../../src/runtime/http-transport.ts";
import { registerApplication, submitDocument, type Metrics, type Principal } from "../../src/usecases/index.ts";
import { createTestGateway, type TestGateway } from "../support/gateway-harness.ts";
import { eventually } from "./support/http.ts";
import { spawnHungPeer, type HungPeer } from "./support/hung-peer.ts";
import {
  createRemoteSender,
  serveGateway,
  spawnFlakyPeer,
  type FlakyPeer,
  type RemoteSender,
} from "./support/remote-gateways.ts";

/**
 * Issue 5 acceptance: "a peer answering 500/502/timeouts → backoff observed with jitter and the
 * breaker opening and closing". 浙江 (330000, the sender, in this process) sends a contact letter
 * to 广东 (440000) through the HTTP transport. 广东's gateway is reached only through a separate
 * flaky-peer process that answers 500, 502, hangs, swallows one answer after the document arrived,
 * and then forwards to the real receiving gateway. Time is the injected clock; randomness is injected.
 */

const CASE = "CASE-330000-2024-000815";
const TO = "440000";
const RETRY = { baseSeconds: 2, capSeconds: 20, maxAgeSeconds: 24 * 3600 };
const BREAKER = { failureThreshold: 3, cooldownMs: 30_000, cooldownGrowth: 2, maxCooldownMs: 120_000 };
const TIMEOUT_MS = 500;
const SCRIPT = ["500", "502", "hang", "swallow"];
const DRAWS = [0.9, 0.35, 0.7, 0.55, 0.2, 0.8, 0.45, 0.65, 0.3, 0.75, 0.5, 0.6, 0.4, 0.85];

interface Attempt {
  attempt: number;
  atS: number;
  state: string;
  error?: string;
  delayMs?: number;
  peerRequests: number;
  breaker: string;
}

describe("a peer answering 500, 502 and timeouts (separate process)", () => {
  let receiver: TestGateway;
  let served: { url: string; close(): Promise<void> };
  let peer: FlakyPeer;
  let sender: RemoteSender;
  let transport: HttpTransport;
  const draws: number[] = [];
  const transitions: string[] = [];

  beforeAll(async () => {
    receiver = await createTestGateway();
    served = await serveGateway(receiver);
    peer = await spawnFlakyPeer(served.url, SCRIPT);
    const metrics: Metrics = {
      count: (name, labels) => void (name === "jiexu_peer_breaker_transitions_total" && transitions.push(labels.to!)),
      observe() {},
    };
    let clock: { now(): Date } = { now: () => new Date() };
    transport = createHttpTransport({
      routeFor: (agency) =>
        agency === TO ? { url: peer.url } : { error: { code: "AGENCY_NOT_LISTED", message: agency } },
      clock: { now: () => clock.now() },
      breaker: BREAKER,
      timeoutMs: TIMEOUT_MS,
      maxConcurrentPerPeer: 2,
      metrics,
    });
    sender = await createRemoteSender({
      hosted: ["330000"],
      transport,
      retry: RETRY,
      metrics: { count() {}, observe() {} },
      receiptCertificates: { [TO]: [receiver.deps.agencies.hosted(TO)!.receiptKey.certificateSha256] },
      random: () => {
        const r = DRAWS[draws.length] ?? 0.5;
        draws.push(r);
        return r;
      },
    });
    clock = sender.clock;
  });

  afterAll(async () => {
    await peer?.stop();
    await served?.close();
    await sender?.close();
    await receiver?.close();
  });

  it("backs off with full jitter, opens and closes the breaker, and delivers exactly once", async () => {
    const zj: Principal = { tokenId: "tok-330000", role: "agency", agencyId: "330000" };
    const letter = JSON.parse(
      readFileSync(new URL("../../schemas/examples/contact-letter.json", import.meta.url), "utf8"),
    );
    const start = sender.clock.now().getTime();
    await registerApplication(sender.deps, zj, { caseId: CASE, transferOutAgency: TO });
    await submitDocument(sender.deps, zj, CASE, { type: "contact-letter", body: letter.body, id: letter.id });
    const [delivery] = await sender.deps.store.listDeliveries({ ownerAgency: "330000", limit: 10 });
    expect(delivery).toMatchObject({ kind: "document", target: TO });

    // Attempt 1 goes out at once (the submission kicks the dispatcher); then follow the schedule.
    const attempts: Attempt[] = [];
    let at = start;
    await sender.dispatcher.idle();
    for (let i = 0; i < 30; i++) {
      const d = (await sender.deps.store.getDelivery(delivery!.id))!;
      const stats = await peer.stats();
      const delayMs = d.state === "delivered" ? undefined : Date.parse(d.nextAttemptAt) - at;
      attempts.push({
        attempt: d.attempts,
        atS: (at - start) / 1000,
        state: d.state,
        peerRequests: stats.requests,
        breaker: transport.breakerState(TO),
        ...(d.lastError ? { error: d.lastError.split(":")[0]! } : {}),
        ...(delayMs === undefined ? {} : { delayMs }),
      });
      if (d.state === "delivered" || d.state === "failed") break;
      // The swallowed request must have reached the real gateway before its replay can be judged.
      if (stats.actions.includes("swallow"))
        await eventually(
          async () => ((await peer.stats()).inFlightForwards === 0 ? true : undefined),
          "swallowed forward",
          10_000,
          20,
        );
      at = Date.parse(d.nextAttemptAt);
      sender.clock.set(new Date(at));
      receiver.clock.set(new Date(at));
      await sender.dispatcher.runOnce();
    }

    // Full jitter: each delay is the injected draw times min(cap, base·2^attempt), and they vary.
    const retries = attempts.filter((a) => a.delayMs !== undefined);
    expect(retries.map((a) => a.attempt)).toEqual(retries.map((_, i) => i + 1));
    retries.forEach((a, i) => {
      expect(a.delayMs).toBe(Math.round(draws[i]! * ceilingMs(a.attempt, RETRY)));
      expect(a.delayMs).toBeLessThanOrEqual(
        Math.min(RETRY.capSeconds * 1000, RETRY.baseSeconds * 1000 * 2 ** a.attempt),
      );
    });
    expect(retries.slice(0, 5).map((a) => ceilingMs(a.attempt, RETRY))).toEqual([4_000, 8_000, 16_000, 20_000, 20_000]);
    expect(new Set(retries.map((a) => a.delayMs! / ceilingMs(a.attempt, RETRY))).size).toBeGreaterThan(5);

    // What the peer saw and what the breaker did, attempt by attempt.
    expect(attempts.map((a) => [a.attempt, a.state, a.error ?? "-", a.peerRequests, a.breaker])).toEqual([
      [1, "retrying", "INTERNAL", 1, "closed"], //        t=0      500
      [2, "retrying", "HTTP_502", 2, "closed"], //        t=3.6    502
      [3, "uncertain", "TIMEOUT", 3, "open"], //        t=6.4    hang: third failure opens (probe at 36.4)
      [4, "retrying", "circuit open", 3, "open"], //      t=17.6   short-circuit, no request
      [5, "retrying", "circuit open", 3, "open"], //      t=28.6
      [6, "retrying", "circuit open", 3, "open"], //      t=32.6
      [7, "uncertain", "TIMEOUT", 4, "open"], //        t=48.6   half-open probe: swallowed → re-open for 60 s
      [8, "retrying", "circuit open", 4, "open"], //      t=57.6
      [9, "retrying", "circuit open", 4, "open"], //      t=70.6
      [10, "retrying", "circuit open", 4, "open"], //     t=76.6
      [11, "retrying", "circuit open", 4, "open"], //     t=91.6
      [12, "retrying", "circuit open", 4, "open"], //     t=101.6
      [13, "delivered", "-", 5, "closed"], //             t=113.6  half-open probe: forwarded, original receipt
    ]);
    expect(transitions).toEqual(["open", "open", "closed"]);

    // Exactly once: the swallowed copy arrived (201); the final send got the original receipt back (200).
    const stats = await peer.stats();
    expect(stats.actions).toEqual([...SCRIPT, "forward"]);
    expect(stats.targetStatuses).toEqual([201, 200]);
    const inbound = await receiver.deps.store.inboundDocuments("440000", letter.id);
    expect(inbound).toHaveLength(1);
    const outbound = await sender.deps.store.getDocument({
      ownerAgency: "330000",
      direction: "out",
      from: "330000",
      documentId: letter.id,
    });
    expect(outbound).toMatchObject({ state: "delivered" });
    expect(outbound!.receipt).toBe(inbound[0]!.receipt);
    const deliveries = await sender.deps.store.listDeliveries({ ownerAgency: "330000", limit: 10 });
    expect(deliveries.map((d) => [d.state, d.attempts])).toEqual([["delivered", 13]]);
    expect(await sender.deps.store.outboxDepth()).toBe(0);
  });
});

/**
 * Issue 9 item 8, every party its own process: 浙江's gateway (`jiexu serve`, the default breaker threshold)
 * sends to 广东, whose listed gateway is a TCP server that accepts and never answers, and to 四川, whose listed
 * gateway is a closed port. Before the fix the dispatcher awaited whole passes: 四川's first attempt waited a
 * whole request timeout (~15.7 s with the default 15 s) for 广东's timeouts. The gateway runs with a 6 s
 * `peerTimeoutMs` to keep the test short: still well above the ~1.5 s a refusing peer's first attempt may take,
 * and the hung peer's round must end before a second one could (< 2 × timeout).
 */
describe("a hung peer next to a refusing peer (separate processes)", () => {
  const ZJ = "330000";
  const GD = "440000";
  const SC = "510000";
  /** Letters to the hung peer: one breaker threshold's worth, all in flight at once (≤ 4 per peer). */
  const ROUND = DEFAULT_BREAKER.failureThreshold;
  const PEER_TIMEOUT_MS = 6_000;
  let cluster: Cluster;
  let hung: HungPeer;
  let zj: Api;
  let admin: Api;
  let n = 0;
  let submittedAt = 0;

  beforeAll(async () => {
    hung = await spawnHungPeer();
    const refused = `http://127.0.0.1:${await freePort()}`;
    cluster = await createCluster([ZJ, GD, SC], {
      prefix: "jiexu-e2e-hung-",
      // Long backoff: each letter's first attempt stays the one observed. Long cooldown: no probe during the test.
      settings: {
        retry: { baseSeconds: 30, capSeconds: 60, maxAgeSeconds: 3600 },
        breaker: { cooldownMs: 600_000, maxCooldownMs: 600_000 },
        peerTimeoutMs: PEER_TIMEOUT_MS,
      },
    });
    await publishDirectory(
      cluster.ws,
      buildDirectory(cluster.ws, {
        sequence: 1,
        routes: { [ZJ]: cluster.files[ZJ]!.url, [GD]: hung.url, [SC]: refused },
      }),
    );
    const gw = await cluster.start(ZJ);
    zj = api(gw.url, gw.tokens[ZJ]);
    admin = api(gw.url, gw.tokens.admin);
  }, 60_000);

  afterAll(async () => {
    await cluster?.close();
    await hung?.stop();
  });

  /** Open a case with `peer` and submit its contact letter; returns the letter's id (`submittedAt`: just before the submission). */
  async function send(peer: string): Promise<string> {
    n += 1;
    const caseId = `CASE-330000-2025-2000${String(n).padStart(2, "0")}`;
    const letter = contactLetter({ transferIn: ZJ, transferOut: peer }, `ZJ-LXH-HUNG-${n}`);
    expect((await zj.post("/v1/cases", { transferOutAgency: peer, caseId })).status).toBe(201);
    submittedAt = Date.now();
    const sent = await zj.post(`/v1/cases/${caseId}/documents`, {
      type: "contact-letter",
      id: letter.id,
      body: letter.body,
    });
    expect(sent.status, sent.text).toBe(201);
    return letter.id!;
  }
  const deliveries = async (): Promise<DeliveryView[]> => (await admin.get("/v1/deliveries?limit=500")).body.deliveries;
  const opened = async (peer: string): Promise<number> => {
    const text = (await admin.get("/metrics")).text;
    const line = text
      .split("\n")
      .find(
        (l) =>
          l.startsWith("jiexu_peer_breaker_transitions_total{") &&
          l.includes(`peer="${peer}"`) &&
          l.includes('to="open"'),
      );
    return line ? Number(line.split(" ").at(-1)) : 0;
  };

  it("a hung peer does not delay a refusing peer's first attempt (issue 9 item 8), and its breaker opens on one round of timeouts", async () => {
    // Given a breaker threshold's worth of letters to the hung peer are in flight
    const toGd: string[] = [];
    for (let i = 0; i < ROUND; i++) toGd.push(await send(GD));
    await waitFor(
      async () => (hung.exchanges === ROUND ? true : undefined),
      "the letters at the hung peer",
      10_000,
      20,
    );
    const hungSince = Date.now();

    // When as many letters go to the refusing peer, each one's first attempt comes within ~1 s of its submission
    const firstAttemptMs: number[] = [];
    for (let i = 0; i < ROUND; i++) {
      const id = await send(SC);
      const d = await waitFor(
        async () => (await deliveries()).find((x) => x.documentId === id && x.attempts >= 1 && x.state !== "sending"),
        `first attempt of ${id}`,
        20_000,
        20,
      );
      firstAttemptMs.push(Date.now() - submittedAt);
      expect(d.lastError).toMatch(/^(ECONNREFUSED|circuit open)/);
      // while every attempt to the hung peer is still pending
      expect((await deliveries()).filter((x) => x.target === GD).map((x) => x.state)).toEqual(
        Array(ROUND).fill("sending"),
      );
    }
    expect(Math.max(...firstAttemptMs)).toBeLessThan(1_500);
    expect(await opened(SC)).toBe(1);

    // Then the hung peer's breaker opens when its timeouts fire (one round of timeouts, not two)
    await waitFor(
      async () => ((await opened(GD)) === 1 ? true : undefined),
      "the hung peer's breaker to open",
      3 * PEER_TIMEOUT_MS,
      100,
    );
    expect(Date.now() - hungSince).toBeLessThan(2 * PEER_TIMEOUT_MS - 2_000);
    // The breaker opens in memory as the last timeout is recorded; that attempt's row is committed through
    // the writer thread a moment later, so the rows are read once none is left "sending".
    const gd = await waitFor(
      async () => {
        const rows = (await deliveries()).filter((x) => x.target === GD);
        return rows.every((x) => x.state !== "sending") ? rows : undefined;
      },
      "the hung peer's attempts to be recorded",
      5_000,
      20,
    );
    expect(gd.map((x) => x.documentId).sort()).toEqual([...toGd].sort());
    for (const x of gd) {
      expect(x.state).not.toBe("sending");
      expect(x.lastError).toMatch(/^(TIMEOUT|circuit open)/);
    }
    // and a new letter to it is short-circuited without touching the network
    const late = await send(GD);
    const d = await waitFor(
      async () => (await deliveries()).find((x) => x.documentId === late && x.attempts >= 1 && x.state !== "sending"),
      "the late letter's attempt",
      10_000,
      20,
    );
    expect(d.lastError).toMatch(/^circuit open/);
    expect(hung.exchanges).toBe(ROUND);
  }, 90_000);
});
