import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, waitFor, type Api } from "../../src/cli/demo/api.ts";
import { createCluster, type Cluster } from "../../src/cli/demo/cluster.ts";
import { contactLetter } from "../../src/cli/demo/documents.ts";
import { outboxSettled, type DeliveryView } from "../../src/cli/demo/scenario.ts";
import { buildDirectory, listingOf, publishDirectory } from "../../src/cli/demo/workspace.ts";
import { exchange } from "./support/http.ts";
import {
  devCredential,
  issueSealCertificate,
  letterDocument,
  query,
  sealWith,
  startWrongKeyPeer,
  type FakePeer,
} from "./support/multi-gateway.ts";

/**
 * Issue 5 acceptance, with every gateway a separate `jiexu serve --config …` process on loopback,
 * each hosting one agency with its own database, keys and tokens, all loading one sealed directory:
 * a peer down for a stretch then back, a receipt sealed by the wrong key, an expired directory,
 * a seal certificate rollover, and `jiexu demo` itself. Every wait is bounded by a deadline.
 */
const GD = "440000"; // 广东, transfer-out
const ZJ = "330000"; // 浙江, transfer-in
const SC = "510000"; // 四川

const as = (cluster: Cluster, agencyId: string, who: string = agencyId): Api =>
  api(cluster.gateways[agencyId]!.url, cluster.gateways[agencyId]!.tokens[who]);

async function deliveriesOf(cluster: Cluster, agencyId: string): Promise<DeliveryView[]> {
  return (await as(cluster, agencyId, "admin").get("/v1/deliveries?limit=500")).body.deliveries;
}

/** 浙江 registers a case naming 广东 as transfer-out and sends its contact letter. */
async function openCase(cluster: Cluster, caseId: string, letterId: string): Promise<void> {
  const zj = as(cluster, ZJ);
  const registered = await zj.post("/v1/cases", { transferOutAgency: GD, caseId });
  expect(registered.status, registered.text).toBe(201);
  const letter = contactLetter({ transferIn: ZJ, transferOut: GD }, letterId);
  const sent = await zj.post(`/v1/cases/${caseId}/documents`, {
    type: "contact-letter",
    id: letterId,
    body: letter.body,
  });
  expect(sent.status, sent.text).toBe(201);
}

async function delivered(cluster: Cluster, agencyId: string, documentId: string): Promise<DeliveryView> {
  return waitFor(
    async () =>
      (await deliveriesOf(cluster, agencyId)).find((d) => d.documentId === documentId && d.state === "delivered"),
    `${documentId} delivered`,
  );
}

describe("a receiving gateway down for a stretch, then back", () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await createCluster([GD, ZJ], { prefix: "jiexu-e2e-down-" });
    await publishDirectory(cluster.ws, buildDirectory(cluster.ws, { sequence: 1, routes: cluster.routes() }));
    await cluster.startAll();
  });
  afterAll(() => cluster?.close());

  it("delivers every document exactly once: one delivered outbound row with a receipt, one inbound row", async () => {
    const ids = [1, 2, 3, 4, 5].map((n) => ({ caseId: `CASE-330000-2025-10000${n}`, letterId: `ZJ-LXH-E2E-${n}` }));
    // Given 广东's gateway is stopped (SIGTERM) while 浙江 sends five contact letters to it
    expect((await cluster.gateways[GD]!.stop("SIGTERM")).code).toBe(0);
    for (const { caseId, letterId } of ids) await openCase(cluster, caseId, letterId);
    // and every one of them has failed at least twice
    await waitFor(
      async () => {
        const ds = (await deliveriesOf(cluster, ZJ)).filter((d) => d.target === GD);
        return ds.length === ids.length && ds.every((d) => d.attempts >= 2 && d.state !== "delivered")
          ? true
          : undefined;
      },
      "two failed attempts per letter",
      20_000,
    );
    // and 浙江's breaker for 广东 has opened (the outage lasted past the failure threshold)
    await cluster.gateways[ZJ]!.waitForLog(
      (e) => e.event === "peer.breaker-open" && e.peer === GD,
      "breaker open for 广东",
    );

    // When 广东's gateway starts again on the same port with the same data
    await cluster.start(GD);
    await outboxSettled(cluster, ZJ);

    // Then the sender has each letter once, delivered with a receipt, after more than one attempt
    const sender = query<{ document_id: string; state: string; receipt: string | null }>(
      cluster.files[ZJ]!.databasePath,
      "SELECT document_id, state, receipt FROM documents WHERE owner_agency = ? AND direction = 'out' AND type = 'contact-letter' ORDER BY document_id",
      ZJ,
    );
    expect(sender.map((r) => [r.document_id, r.state, r.receipt !== null])).toEqual(
      ids.map((i) => [i.letterId, "delivered", true]),
    );
    const rows = query<{ document_id: string; state: string; attempts: number }>(
      cluster.files[ZJ]!.databasePath,
      "SELECT document_id, state, attempts FROM deliveries WHERE owner_agency = ? AND kind = 'document' ORDER BY document_id",
      ZJ,
    );
    expect(rows.map((r) => [r.document_id, r.state])).toEqual(ids.map((i) => [i.letterId, "delivered"]));
    expect(rows.every((r) => r.attempts > 2)).toBe(true);
    // and the receiver recorded each letter exactly once, with the very receipt the sender holds
    const receiver = query<{ document_id: string; n: number; receipt: string }>(
      cluster.files[GD]!.databasePath,
      "SELECT document_id, count(*) AS n, max(receipt) AS receipt FROM documents WHERE owner_agency = ? AND direction = 'in' GROUP BY from_agency, document_id ORDER BY document_id",
      GD,
    );
    expect(receiver.map((r) => [r.document_id, r.n])).toEqual(ids.map((i) => [i.letterId, 1]));
    expect(receiver.map((r) => r.receipt)).toEqual(sender.map((r) => r.receipt));
    expect(
      query<{ n: number }>(
        cluster.files[GD]!.databasePath,
        "SELECT count(*) AS n FROM cases WHERE agency_id = ?",
        GD,
      )[0]!.n,
    ).toBe(ids.length);
    const received = await as(cluster, GD).get("/v1/inbox?limit=200");
    expect(received.body.entries.map((e: { documentId: string }) => e.documentId).sort()).toEqual(
      ids.map((i) => i.letterId),
    );
  });
});

describe("a peer answering with a receipt sealed by the wrong key", () => {
  let cluster: Cluster;
  let peer: FakePeer;
  beforeAll(async () => {
    cluster = await createCluster([GD, ZJ, SC], { prefix: "jiexu-e2e-wrongkey-" });
    // 广东's seal key, then 四川's receipt key: valid seals of the same PKI, never 广东's listed receipt key.
    peer = await startWrongKeyPeer(cluster.ws, GD, [
      devCredential(cluster.ws, GD, "seal"),
      devCredential(cluster.ws, SC, "receipt"),
    ]);
    await publishDirectory(
      cluster.ws,
      buildDirectory(cluster.ws, { sequence: 1, routes: { ...cluster.routes(), [GD]: peer.url } }),
    );
    await cluster.start(ZJ);
  });
  afterAll(async () => {
    await peer?.close();
    await cluster?.close();
  });

  it("does not count the document as delivered and raises an alert.receipt-invalid audit event", async () => {
    // When 浙江 sends a contact letter to 广东, whose listed gateway answers with wrongly sealed receipts
    await openCase(cluster, "CASE-330000-2025-200001", "ZJ-LXH-WRONGKEY-1");
    const alerts = await waitFor(
      async () => {
        const res = await as(cluster, ZJ, "admin").get("/v1/audit?kind=alert.receipt-invalid");
        return res.body.events.length >= 2 ? res.body.events : undefined;
      },
      "two receipt-invalid alerts",
      20_000,
    );

    // Then each receipt was refused with an alert naming the document
    expect(peer.requests).toBeGreaterThanOrEqual(2);
    for (const alert of alerts) {
      expect(alert).toMatchObject({
        documentId: "ZJ-LXH-WRONGKEY-1",
        agencyId: ZJ,
        detail: { reason: expect.stringMatching(/not listed for the receiving agency/) },
      });
    }
    // and the delivery is still being retried, not delivered
    const [delivery] = (await deliveriesOf(cluster, ZJ)).filter((d) => d.documentId === "ZJ-LXH-WRONGKEY-1");
    expect(["retrying", "sending", "uncertain"]).toContain(delivery!.state);
    const view = await as(cluster, ZJ).get("/v1/cases/CASE-330000-2025-200001");
    const letter = view.body.documents.find((d: any) => d.documentId === "ZJ-LXH-WRONGKEY-1");
    expect(letter.state).not.toBe("delivered");
    expect(letter.receipted).toBe(false);
    const stored = query<{ receipt: string | null }>(
      cluster.files[ZJ]!.databasePath,
      "SELECT receipt FROM documents WHERE document_id = ?",
      "ZJ-LXH-WRONGKEY-1",
    );
    expect(stored).toEqual([{ receipt: null }]);
  });
});

describe("an expired directory", () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await createCluster([GD, ZJ], { prefix: "jiexu-e2e-expired-", settings: { directoryRefreshSeconds: 1 } });
    await publishDirectory(cluster.ws, buildDirectory(cluster.ws, { sequence: 1, routes: cluster.routes() }));
    await cluster.startAll();
  });
  afterAll(() => cluster?.close());

  it("refuses sends with 503 DIRECTORY_EXPIRED while stored receipts still verify", async () => {
    // Given a letter delivered while the directory was valid, and a second case registered
    await openCase(cluster, "CASE-330000-2025-300001", "ZJ-LXH-EXPIRED-1");
    await delivered(cluster, ZJ, "ZJ-LXH-EXPIRED-1");
    expect(
      (await as(cluster, ZJ).post("/v1/cases", { transferOutAgency: GD, caseId: "CASE-330000-2025-300002" })).status,
    ).toBe(201);
    // and the operator's next directory, which expires in a few seconds, loaded by both gateways
    const expiresAt = new Date(Date.now() + 4_000);
    await publishDirectory(
      cluster.ws,
      buildDirectory(cluster.ws, {
        sequence: 2,
        routes: cluster.routes(),
        issuedAt: new Date(Date.now() - 60_000),
        expiresAt,
      }),
    );
    await Promise.all(
      [GD, ZJ].map((id) =>
        cluster.gateways[id]!.waitForLog((e) => e.event === "directory.loaded" && e.sequence === 2, "directory 2"),
      ),
    );
    // When it expires (and no newer one comes)
    await waitFor(
      async () => (Date.now() > expiresAt.getTime() + 200 ? true : undefined),
      "the directory's expiry",
      10_000,
      50,
    );

    // Then sending to a remote agency is refused at submission with a coded error
    const letter = contactLetter({ transferIn: ZJ, transferOut: GD }, "ZJ-LXH-EXPIRED-2");
    const refused = await as(cluster, ZJ).post("/v1/cases/CASE-330000-2025-300002/documents", {
      type: "contact-letter",
      id: letter.id,
      body: letter.body,
    });
    expect(refused.status, refused.text).toBe(503);
    expect(refused.body.code).toBe("DIRECTORY_EXPIRED");
    const opened = await as(cluster, ZJ).post("/v1/cases", {
      transferOutAgency: GD,
      caseId: "CASE-330000-2025-300003",
    });
    expect([opened.status, opened.body.code]).toEqual([503, "DIRECTORY_EXPIRED"]);
    expect(
      query(cluster.files[ZJ]!.databasePath, "SELECT 1 FROM documents WHERE document_id = 'ZJ-LXH-EXPIRED-2'"),
    ).toEqual([]);

    // and the receipt already stored still verifies (compliance), sealed by 广东's listed receipt certificate
    const inbox = await as(cluster, GD).get("/v1/inbox");
    const receipt = inbox.body.entries.find((e: any) => e.documentId === "ZJ-LXH-EXPIRED-1").receipt as string;
    const stored = query<{ receipt: string }>(
      cluster.files[ZJ]!.databasePath,
      "SELECT receipt FROM documents WHERE owner_agency = ? AND document_id = 'ZJ-LXH-EXPIRED-1'",
      ZJ,
    );
    expect(stored).toEqual([{ receipt }]);
    const verified = await as(cluster, ZJ, "compliance").post("/v1/verify", JSON.parse(receipt));
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body.report.indication).toBe("TOTAL_PASSED");
    expect(verified.body.report.signer.certificateSha256).toBe(devCredential(cluster.ws, GD, "receipt").fingerprint);
    const view = await as(cluster, ZJ).get("/v1/cases/CASE-330000-2025-300001");
    expect(view.body.documents.find((d: any) => d.documentId === "ZJ-LXH-EXPIRED-1")).toMatchObject({
      state: "delivered",
      receipted: true,
    });
  });
});

describe("a seal certificate rollover", () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await createCluster([GD, ZJ], {
      prefix: "jiexu-e2e-rollover-",
      settings: { directoryRefreshSeconds: 1 },
    });
  });
  afterAll(() => cluster?.close());

  it("accepts the old and the new seal during the overlap, and only the new one after the old listing ends", async () => {
    const ws = cluster.ws;
    const old = devCredential(ws, ZJ, "seal");
    const next = await issueSealCertificate(ws, ZJ, "2");
    // Given a directory listing 浙江's old and new seal certificates side by side
    await publishDirectory(
      ws,
      buildDirectory(ws, {
        sequence: 1,
        routes: cluster.routes(),
        sealCertificates: { [ZJ]: [listingOf(old), listingOf(next)] },
      }),
    );
    await cluster.startAll();

    // When 浙江 sends with the old key, then re-configures its gateway with the new key and sends again
    await openCase(cluster, "CASE-330000-2025-400001", "ZJ-LXH-ROLL-OLD");
    await delivered(cluster, ZJ, "ZJ-LXH-ROLL-OLD");
    await cluster.gateways[ZJ]!.stop("SIGTERM");
    cluster.reconfigure(ZJ, { seal: { key: next.key, cert: next.cert } });
    await cluster.start(ZJ);
    await openCase(cluster, "CASE-330000-2025-400002", "ZJ-LXH-ROLL-NEW");
    await delivered(cluster, ZJ, "ZJ-LXH-ROLL-NEW");

    // Then 广东 accepted both, each verified against the certificate it was sealed with
    const inbox = (await as(cluster, GD).get("/v1/inbox")).body.entries as any[];
    const signer = (id: string) => inbox.find((e) => e.documentId === id)?.report;
    expect(signer("ZJ-LXH-ROLL-OLD")).toMatchObject({
      indication: "TOTAL_PASSED",
      signer: { certificateSha256: old.fingerprint },
    });
    expect(signer("ZJ-LXH-ROLL-NEW")).toMatchObject({
      indication: "TOTAL_PASSED",
      signer: { certificateSha256: next.fingerprint },
    });
    // and a pre-sealed document with the old key is still accepted during the overlap
    const overlap = await exchange(
      cluster.files[GD]!.url,
      sealWith(ws, old, letterDocument("ZJ-LXH-ROLL-OVERLAP", "CASE-330000-2025-400003")),
    );
    expect(overlap.status, overlap.text).toBe(201);

    // When the operator publishes a directory in which the old listing ended a minute ago
    const ended = listingOf(old, { notAfter: new Date(Date.now() - 60_000) });
    await publishDirectory(
      ws,
      buildDirectory(ws, {
        sequence: 2,
        routes: cluster.routes(),
        sealCertificates: { [ZJ]: [ended, listingOf(next)] },
      }),
    );
    await cluster.gateways[GD]!.waitForLog((e) => e.event === "directory.loaded" && e.sequence === 2, "directory 2");

    // Then a document sealed with the old key is refused, and one sealed with the new key is accepted
    const late = await exchange(
      cluster.files[GD]!.url,
      sealWith(ws, old, letterDocument("ZJ-LXH-ROLL-LATE", "CASE-330000-2025-400004")),
    );
    expect([late.status, late.body.code]).toEqual([422, "SEAL_NOT_LISTED"]);
    const fresh = await exchange(
      cluster.files[GD]!.url,
      sealWith(ws, next, letterDocument("ZJ-LXH-ROLL-FRESH", "CASE-330000-2025-400005")),
    );
    expect(fresh.status, fresh.text).toBe(201);
    expect(
      query(cluster.files[GD]!.databasePath, "SELECT 1 FROM documents WHERE document_id = 'ZJ-LXH-ROLL-LATE'"),
    ).toEqual([]);
  });
});

describe("jiexu demo", () => {
  it("exits 0 within 60 s and shows both transfers' final states", async () => {
    const started = performance.now();
    const child = spawn(process.execPath, ["bin/jiexu.js", "demo"], {
      cwd: new URL("../..", import.meta.url).pathname,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => void (out += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => void (err += c));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill("SIGINT"), 75_000);
      child.once("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    const seconds = (performance.now() - started) / 1000;
    expect(code, `${out}\n${err}`).toBe(0);
    expect(seconds).toBeLessThan(60);
    expect(out).toMatch(
      /\(a\) 广东 440000 → 浙江 330000[\s\S]*浙江 330000 .*final state: completed[\s\S]*广东 440000 .*final state: completed/,
    );
    expect(out).toMatch(
      /\(b\) 四川 510000 → 广东 440000[\s\S]*广东 440000 .*final state: returned[\s\S]*四川 510000 .*final state: returned/,
    );
    expect(out).toMatch(/return reason: ARREARS/);
    expect(out).not.toMatch(/✗/);
    expect(out).toMatch(/✓ all \d+ checks held/);
    const workspace = /^workspace (\S+)$/m.exec(out)?.[1];
    expect(workspace).toBeDefined();
    expect(existsSync(workspace!)).toBe(false);
  }, 90_000);
});
