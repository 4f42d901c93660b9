import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { api, expectStatus, waitFor, type Api } from "../../src/cli/demo/api.ts";
import { createCluster, type Cluster } from "../../src/cli/demo/cluster.ts";
import { completedTransferDocuments, contactLetter } from "../../src/cli/demo/documents.ts";
import { buildDirectory, publishDirectory } from "../../src/cli/demo/workspace.ts";
import { detectSealFormat } from "../../src/pki/index.ts";
import type { PackReport } from "../../src/usecases/index.ts";
import { query } from "./support/multi-gateway.ts";
import { runJiexu, transferWalk } from "./support/transfer-walk.ts";

/**
 * Issue 16 acceptance: 四川 seals with the national electronic seal (GB/T 38540-2020 SES_Signature, SM2/SM3,
 * its seal made by a development seal maker) and 广东 with CAdES-B-B; a whole transfer completes between
 * them and each side's evidence pack verifies offline with `jiexu archive verify`. Each gateway is a
 * separate `jiexu serve` process on loopback (cluster.ts), both trusting the ECDSA and the SM2 development
 * roots, loading one sealed directory that lists 四川 with sealFormats ["ses"] and its seal maker's root.
 */
const GD = "440000"; // 广东, transfer-out, CAdES
const SC = "510000"; // 四川, transfer-in, SES
const CASE = "CASE-510000-2024-000816";
const { submit, caseStatus, acknowledge, outboxSettled } = transferWalk(CASE);

type Row = { type: string; document_id: string; state: string; receipt: string | null; seal: Uint8Array };

describe("a transfer between 四川 sealing SES and 广东 sealing CAdES", () => {
  let cluster: Cluster;
  const as = (agencyId: string, who: string = agencyId): Api =>
    api(cluster.gateways[agencyId]!.url, cluster.gateways[agencyId]!.tokens[who]);

  beforeAll(async () => {
    cluster = await createCluster([GD, SC], {
      prefix: "jiexu-e2e-ses-",
      sesAgencies: [SC],
      settings: { directoryRefreshSeconds: 1 },
    });
    await publishDirectory(cluster.ws, buildDirectory(cluster.ws, { sequence: 1, routes: cluster.routes() }));
    await cluster.startAll();
  }, 120_000);
  afterAll(() => cluster?.close());

  it("completes on both sides, each side sealing its own way, and both evidence packs verify offline", async () => {
    onTestFailed(() => {
      for (const id of [GD, SC]) console.log(`--- ${id} stderr ---\n${cluster.gateways[id]?.stderr().slice(-10_000)}`);
    });
    const docs = transferDocuments();
    // 四川 registers the application naming 广东 as transfer-out and sends its contact letter (SES)
    expectStatus(await as(SC).post("/v1/cases", { transferOutAgency: GD, caseId: CASE }), 201, "register");
    await submit(as(SC), docs.letter);
    // 广东 receives and acknowledges it, then sends the insurance record and the fund transfer (CAdES)
    await caseStatus(as(GD), "contact-letter-received");
    await acknowledge(as(GD), SC, ["contact-letter"]);
    await submit(as(GD), docs.record);
    await submit(as(GD), docs.funds);
    // 四川 acknowledges both and sends the completion, which 广东 acknowledges
    await caseStatus(as(SC), "awaiting-completion");
    await acknowledge(as(SC), GD, ["insurance-record", "fund-transfer"]);
    await submit(as(SC), docs.completion);
    await caseStatus(as(GD), "completed");
    await acknowledge(as(GD), SC, ["completion"]);
    await outboxSettled(as(GD, "admin"));
    await outboxSettled(as(SC, "admin"));

    // Then both sides hold the case as completed
    await caseStatus(as(GD), "completed");
    await caseStatus(as(SC), "completed");
    // and every document each side sent is delivered with a receipt, sealed in its sender's format,
    // and stored by the receiver with the very seal bytes the sender made
    const gdDb = cluster.files[GD]!.databasePath;
    const scDb = cluster.files[SC]!.databasePath;
    const gdOut = rows(gdDb, GD, "out");
    const scOut = rows(scDb, SC, "out");
    expect(gdOut.map((r) => r.type)).toEqual([
      "business-receipt",
      "insurance-record",
      "fund-transfer",
      "business-receipt",
    ]);
    expect(scOut.map((r) => r.type)).toEqual(["contact-letter", "business-receipt", "business-receipt", "completion"]);
    for (const r of [...gdOut, ...scOut])
      expect([r.document_id, r.state, r.receipt !== null]).toEqual([r.document_id, "delivered", true]);
    expect(gdOut.map((r) => detectSealFormat(r.seal))).toEqual(["cades", "cades", "cades", "cades"]);
    expect(scOut.map((r) => detectSealFormat(r.seal))).toEqual(["ses", "ses", "ses", "ses"]);
    expect(sealsById(rows(scDb, SC, "in"))).toEqual(sealsById(gdOut));
    expect(sealsById(rows(gdDb, GD, "in"))).toEqual(sealsById(scOut));

    // When each side exports its evidence pack, then it verifies offline against both development roots
    for (const agencyId of [GD, SC]) {
      const report = await verifyPack(cluster, agencyId);
      expect(report.ok, JSON.stringify(report.checks.filter((c) => c.status === "fail"))).toBe(true);
      expect([report.caseId, report.agencyId, report.trust, report.key]).toEqual([
        CASE,
        agencyId,
        "supplied",
        "supplied",
      ]);
      expect(report.items).toBeGreaterThanOrEqual(8);
    }
  });

  it("refuses at /v1/exchange a document in a format the directory does not list for its sender", async () => {
    // Given the directory says 四川 seals CAdES only (a new sequence, loaded by 广东's refresh)
    await publishDirectory(
      cluster.ws,
      buildDirectory(cluster.ws, { sequence: 2, routes: cluster.routes(), sealFormats: { [SC]: ["cades"] } }),
    );
    await cluster.gateways[GD]!.waitForLog((e) => e.event === "directory.loaded" && e.sequence === 2, "directory 2");
    // When 四川 sends a new contact letter sealed SES
    const letter = contactLetter({ transferIn: SC, transferOut: GD }, "SC-LXH-2024-000817");
    expectStatus(
      await as(SC).post("/v1/cases", { transferOutAgency: GD, caseId: "CASE-510000-2024-000817" }),
      201,
      "register",
    );
    await submit(as(SC), letter, "CASE-510000-2024-000817");
    // Then 广东 refuses it: the delivery fails for good with SEAL_FORMAT_NOT_LISTED
    const failed = await waitFor(async () => {
      const { deliveries } = expectStatus(await as(SC, "admin").get("/v1/deliveries?limit=500"), 200, "deliveries");
      return (deliveries as { documentId?: string; state: string; lastError?: string }[]).find(
        (d) => d.documentId === letter.id && d.state === "failed",
      );
    }, "the SES letter refused");
    expect(failed.lastError).toMatch(/SEAL_FORMAT_NOT_LISTED/);
  });
});

/** The examples' transfer re-addressed: 四川 (transfer-in) asks 广东 (transfer-out); the money goes to 四川. */
function transferDocuments() {
  const example = completedTransferDocuments();
  const letter = contactLetter({ transferIn: SC, transferOut: GD }, example.letter.id);
  const funds = structuredClone(example.funds);
  funds.body.payee = letter.body.receivingAccount;
  return { letter, record: example.record, funds, completion: example.completion };
}

function rows(db: string, owner: string, direction: "in" | "out"): Row[] {
  return query<Row>(
    db,
    "SELECT type, document_id, state, receipt, seal FROM documents WHERE owner_agency = ? AND direction = ? ORDER BY seq",
    owner,
    direction,
  );
}

const sealsById = (rs: Row[]) =>
  Object.fromEntries(rs.map((r) => [r.document_id, Buffer.from(r.seal).toString("hex")]));

/** GET the case's evidence pack and run `jiexu archive verify --json` on it as a separate process. */
async function verifyPack(cluster: Cluster, agencyId: string): Promise<PackReport> {
  const gw = cluster.gateways[agencyId]!;
  const res = await fetch(`${gw.url}/v1/cases/${CASE}/evidence`, {
    headers: { authorization: `Bearer ${gw.tokens[agencyId]}` },
    signal: AbortSignal.timeout(30_000),
  });
  expect(res.status, `evidence pack of ${agencyId}`).toBe(200);
  const zip = join(cluster.ws.root, `evidence-${agencyId}.zip`);
  writeFileSync(zip, new Uint8Array(await res.arrayBuffer()));
  const vkey = readFileSync(cluster.files[agencyId]!.checkpointVkeyPath, "utf8").trim();
  const roots = [join(cluster.ws.pkiDir, "root.cert.pem"), join(cluster.ws.ses!.pkiDir, "root.cert.pem")];
  const p = await runJiexu([
    "archive",
    "verify",
    zip,
    ...roots.flatMap((r) => ["--trust", r]),
    "--key",
    vkey,
    "--json",
  ]);
  expect(p.status, `jiexu archive verify (${agencyId}): ${p.stderr}\n${p.stdout.slice(0, 4000)}`).toBe(0);
  return JSON.parse(p.stdout) as PackReport;
}
