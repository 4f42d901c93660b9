import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { api, expectStatus, type Api } from "../../src/cli/demo/api.ts";
import { createCluster, DEMO_SETTINGS, type Cluster } from "../../src/cli/demo/cluster.ts";
import { COMPLETED, completedTransferDocuments } from "../../src/cli/demo/documents.ts";
import { buildDirectory, publishDirectory } from "../../src/cli/demo/workspace.ts";
import type { PackReport } from "../../src/usecases/index.ts";
import { query } from "./support/multi-gateway.ts";
import { runJiexu, transferWalk } from "./support/transfer-walk.ts";
import { startWranglerDev, type WorkerGateway } from "./support/wrangler-dev.ts";

/**
 * Issue 14 acceptance: one province on its own server, the other at the edge. 广东 runs `jiexu serve`
 * (Node, SQLite); 浙江 runs the Worker under `wrangler dev` (workerd, local D1) on the port the directory
 * lists for it. They walk a transfer through each other's /v1/exchange, and each side's evidence pack
 * verifies offline with `jiexu archive verify`. The Worker's cron is driven through GET /__scheduled.
 * Run time: ≈ 70–110 s on the shared two-core machine, most of it wrangler bundling and starting workerd.
 */
const GD = "440000"; // 广东, transfer-out: Node
const ZJ = "330000"; // 浙江, transfer-in: Worker
const CASE = COMPLETED.caseId;
const { submit, caseStatus, acknowledge, outboxSettled } = transferWalk(CASE);

type Row = { type: string; document_id: string; state: string; receipt: string | null };

describe("a transfer between a Node gateway (广东) and a Worker under wrangler dev (浙江)", () => {
  let cluster: Cluster;
  let worker: WorkerGateway;
  const gd = () => api(cluster.gateways[GD]!.url, cluster.gateways[GD]!.tokens[GD]);
  const zj = (who: string = ZJ) => api(worker.url, worker.tokens[who]);

  beforeAll(async () => {
    cluster = await createCluster([GD, ZJ], { prefix: "jiexu-e2e-cross-" });
    await publishDirectory(cluster.ws, buildDirectory(cluster.ws, { sequence: 1, routes: cluster.routes() }));
    // 广东's process starts while wrangler bundles and workerd starts (neither needs the other up yet).
    const [started, node] = await Promise.allSettled([
      startWranglerDev(cluster.ws, {
        agencyId: ZJ,
        port: cluster.files[ZJ]!.port,
        settings: { retry: DEMO_SETTINGS.retry },
      }),
      cluster.start(GD),
    ]);
    if (started.status === "fulfilled") worker = started.value; // set first: afterAll stops it either way
    if (started.status === "rejected") throw started.reason;
    if (node.status === "rejected") throw node.reason;
  }, 300_000);
  afterAll(async () => {
    await worker?.stop();
    await cluster?.close();
  });

  it("completes the transfer on both sides, and both evidence packs verify offline", async () => {
    onTestFailed(() => {
      console.log(`--- wrangler log (浙江) ---\n${worker.log().slice(-15_000)}`);
      console.log(`--- 广东 stderr ---\n${cluster.gateways[GD]?.stderr().slice(-10_000)}`);
    });
    const docs = completedTransferDocuments();
    // 浙江 registers the application naming 广东 as transfer-out and sends its contact letter
    expectStatus(await zj().post("/v1/cases", { transferOutAgency: GD, caseId: CASE }), 201, "register");
    await submit(zj(), docs.letter);
    // 广东 receives and acknowledges it, then sends the insurance record and the fund transfer
    await caseStatus(gd(), "contact-letter-received");
    await acknowledge(gd(), ZJ, ["contact-letter"]);
    await submit(gd(), docs.record);
    await submit(gd(), docs.funds);
    // 浙江 receives and acknowledges both and sends the completion, which 广东 acknowledges
    await caseStatus(zj(), "awaiting-completion");
    await acknowledge(zj(), GD, ["insurance-record", "fund-transfer"]);
    await submit(zj(), docs.completion);
    await caseStatus(gd(), "completed");
    await acknowledge(gd(), ZJ, ["completion"]);
    // Each side's outbox drains; the Worker's retries, if any, go out on its cron passes.
    await outboxSettled(api(cluster.gateways[GD]!.url, cluster.gateways[GD]!.tokens.admin));
    await outboxSettled(zj("admin"), () => worker.scheduled());

    // Then both sides hold the case as completed
    await caseStatus(gd(), "completed");
    await caseStatus(zj(), "completed");
    // and every document each side sent is delivered with the receipt the other side sealed for it
    const gdDb = cluster.files[GD]!.databasePath;
    const zjDb = worker.databasePath();
    const gdOut = outbound(gdDb, GD);
    const zjOut = outbound(zjDb, ZJ);
    expect(gdOut.map((r) => r.type)).toEqual([
      "business-receipt",
      "insurance-record",
      "fund-transfer",
      "business-receipt",
    ]);
    expect(zjOut.map((r) => r.type)).toEqual(["contact-letter", "business-receipt", "business-receipt", "completion"]);
    for (const r of [...gdOut, ...zjOut])
      expect([r.document_id, r.state, r.receipt !== null]).toEqual([r.document_id, "delivered", true]);
    // (each once, with the sender's receipt; documents sent one after the other may arrive in either order)
    expect(inbound(zjDb, ZJ).sort(byId)).toEqual(gdOut.map((r) => ({ ...r, state: expect.any(String) })).sort(byId));
    expect(inbound(gdDb, GD).sort(byId)).toEqual(zjOut.map((r) => ({ ...r, state: expect.any(String) })).sort(byId));
    for (const [db, owner, sent] of [
      [gdDb, GD, gdOut],
      [zjDb, ZJ, zjOut],
    ] as const) {
      const deliveries = query<{ document_id: string; state: string }>(
        db,
        "SELECT document_id, state FROM deliveries WHERE owner_agency = ? AND kind = 'document' ORDER BY document_id",
        owner,
      );
      expect(deliveries.sort(byId)).toEqual(
        sent.map((r) => ({ document_id: r.document_id, state: "delivered" })).sort(byId),
      );
    }
    // and each inbox lists what the other side sent, acknowledged where a business receipt was due
    expect(await inboxOf(gd())).toEqual([
      "business-receipt received",
      "business-receipt received",
      "completion acknowledged",
      "contact-letter acknowledged",
    ]);
    expect(await inboxOf(zj())).toEqual([
      "business-receipt received",
      "business-receipt received",
      "fund-transfer acknowledged",
      "insurance-record acknowledged",
    ]);

    // When each side exports its evidence pack (the Worker's cron pass cuts its checkpoint first)
    await worker.scheduled();
    // Then each verifies offline against the workspace root and the checkpoint key the directory pins
    for (const [agencyId, url, token] of [
      [GD, cluster.gateways[GD]!.url, cluster.gateways[GD]!.tokens[GD]!],
      [ZJ, worker.url, worker.tokens[ZJ]!],
    ] as const) {
      const report = await verifyPack(cluster, agencyId, url, token);
      expect(report.ok, JSON.stringify(report.checks.filter((c) => c.status === "fail"))).toBe(true);
      expect([report.caseId, report.agencyId, report.trust, report.key]).toEqual([
        CASE,
        agencyId,
        "supplied",
        "supplied",
      ]);
      expect(report.checkpoint?.origin).toBe(`jiexu/gateway-${agencyId}`);
      expect(report.items).toBeGreaterThanOrEqual(8); // the eight documents, at least
    }
    // The Worker shares no promise across events (src/runtime/worker.ts dispatchPass): workerd never has to
    // cancel one of them as hung.
    expect(worker.log()).not.toMatch(/detected that your Worker's code had hung/);
  });
});

/** "type state" of each inbox entry, sorted (arrival order is not the walk's order). */
async function inboxOf(agency: Api): Promise<string[]> {
  const entries = expectStatus(await agency.get("/v1/inbox?limit=200"), 200, "inbox").entries as any[];
  return entries.map((e) => `${e.type} ${e.state}`).sort();
}

function outbound(db: string, owner: string): Row[] {
  return query<Row>(
    db,
    "SELECT type, document_id, state, receipt FROM documents WHERE owner_agency = ? AND direction = 'out' ORDER BY seq",
    owner,
  );
}

function inbound(db: string, owner: string): Row[] {
  return query<Row>(
    db,
    "SELECT type, document_id, state, receipt FROM documents WHERE owner_agency = ? AND direction = 'in' ORDER BY seq",
    owner,
  );
}

/** By document id, in code-unit order (as SQLite compares text). */
const byId = (a: { document_id: string }, b: { document_id: string }) =>
  a.document_id < b.document_id ? -1 : a.document_id > b.document_id ? 1 : 0;

/** GET the case's evidence pack and run `jiexu archive verify --json` on it as a separate process. */
async function verifyPack(cluster: Cluster, agencyId: string, url: string, token: string): Promise<PackReport> {
  const get = () =>
    fetch(`${url}/v1/cases/${CASE}/evidence`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    });
  const res = await get();
  expect(res.status, `evidence pack of ${agencyId}`).toBe(200);
  const zip = join(cluster.ws.root, `evidence-${agencyId}.zip`);
  writeFileSync(zip, new Uint8Array(await res.arrayBuffer()));
  const vkey = readFileSync(cluster.files[agencyId]!.checkpointVkeyPath, "utf8").trim();
  const trust = join(cluster.ws.pkiDir, "root.cert.pem");
  const p = await runJiexu(["archive", "verify", zip, "--trust", trust, "--key", vkey, "--json"]);
  expect(p.status, `jiexu archive verify (${agencyId}): ${p.stderr}\n${p.stdout.slice(0, 4000)}`).toBe(0);
  return JSON.parse(p.stdout) as PackReport;
}
