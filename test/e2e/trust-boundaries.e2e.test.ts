import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, waitFor, type Api } from "../../src/cli/demo/api.ts";
import { createCluster, type Cluster } from "../../src/cli/demo/cluster.ts";
import { contactLetter } from "../../src/cli/demo/documents.ts";
import { buildDirectory, listingOf, publishDirectory } from "../../src/cli/demo/workspace.ts";
import { shanghaiTimestamp } from "../../src/usecases/canonical.ts";
import { auditCount, exchange, rowCounts } from "./support/http.ts";
import { devCredential, issueSealCertificate, letterDocument, sealWith } from "./support/multi-gateway.ts";

/**
 * Issue 9 items 1 and 7 across processes: three gateways (广东 440000, 浙江 330000, 北京 110000), each a
 * separate `jiexu serve` process with its own database, one signed directory listing all three.
 */
const GD = "440000";
const ZJ = "330000";
const BJ = "110000";
const example = (type: string) =>
  JSON.parse(readFileSync(new URL(`../../schemas/examples/${type}.json`, import.meta.url), "utf8"));
const as = (cluster: Cluster, agencyId: string, who: string = agencyId): Api =>
  api(cluster.gateways[agencyId]!.url, cluster.gateways[agencyId]!.tokens[who]);

/**
 * One started cluster for the whole file (three gateway processes and a PKI are most of its time): each
 * test opens its own case and documents, and the replay test's directory 2 lists all three agencies as
 * directory 1 did, only with 浙江's extra seal certificate beside its usual one. A 1 s directory refresh
 * lets that directory load quickly.
 */
let cluster: Cluster;
beforeAll(async () => {
  cluster = await createCluster([GD, ZJ, BJ], { prefix: "jiexu-e2e-trust-", settings: { directoryRefreshSeconds: 1 } });
  await publishDirectory(cluster.ws, buildDirectory(cluster.ws, { sequence: 1, routes: cluster.routes() }));
  await cluster.startAll();
});
afterAll(() => cluster?.close());

describe("a third-party agency cannot write into a case between two others (issue 9 item 1)", () => {
  /** 浙江 registers the case and sends its contact letter, which 广东 receives. */
  const openCase = async (caseId: string, letterId: string) => {
    const zj = as(cluster, ZJ);
    expect((await zj.post("/v1/cases", { transferOutAgency: GD, caseId })).status).toBe(201);
    const letter = contactLetter({ transferIn: ZJ, transferOut: GD }, letterId);
    expect(
      (await zj.post(`/v1/cases/${caseId}/documents`, { type: "contact-letter", id: letterId, body: letter.body }))
        .status,
    ).toBe(201);
    const received = async () =>
      (await as(cluster, GD).get("/v1/inbox?limit=200")).body.entries as { documentId: string }[];
    await waitFor(
      async () => ((await received()).some((e) => e.documentId === letterId) ? true : undefined),
      "letter delivered to 广东",
    );
  };
  const sealedBy = (
    caseId: string,
    agencyId: string,
    type: string,
    id: string,
    to: string,
    extra: Record<string, unknown> = {},
  ) =>
    sealWith(cluster.ws, devCredential(cluster.ws, agencyId, "seal"), {
      ...example(type),
      id,
      caseId,
      from: agencyId,
      to,
      issuedAt: shanghaiTimestamp(new Date()),
      ...extra,
    });

  it("refuses 北京's sealed return and insurance record at 浙江 over real HTTP: 403 WRONG_PARTY, no row, an audit event", async () => {
    const caseId = "CASE-330000-2026-TB0001";
    await openCase(caseId, "ZJ-LXH-TB-1");
    const db = cluster.files[ZJ]!.databasePath;
    const before = rowCounts(db);
    const ret = await exchange(
      cluster.files[ZJ]!.url,
      sealedBy(caseId, BJ, "return", "BJ-TH-TB-1", ZJ, { replyTo: "ZJ-LXH-TB-1" }),
    );
    expect(ret.status, ret.text).toBe(403);
    expect(ret.body.code).toBe("WRONG_PARTY");
    // Valid in itself, so only the party check can refuse it: 北京 paid none of the example's 广东 months.
    const body = { ...example("insurance-record").body, paidMonths: 0 };
    const record = await exchange(
      cluster.files[ZJ]!.url,
      sealedBy(caseId, BJ, "insurance-record", "BJ-CB-TB-1", ZJ, { body }),
    );
    expect(record.status, record.text).toBe(403);
    expect(rowCounts(db)).toEqual(before);
    expect(auditCount(db, "security.wrong-party")).toBe(2);
    const view = (await as(cluster, ZJ).get(`/v1/cases/${caseId}`)).body;
    expect(view.status).toBe("contact-letter-sent");
  });

  it("lets the real counterpart go on: 广东's insurance record is delivered and lands in 浙江's case", async () => {
    const caseId = "CASE-330000-2026-TB0002";
    await openCase(caseId, "ZJ-LXH-TB-2");
    const record = example("insurance-record");
    const sent = await as(cluster, GD).post(`/v1/cases/${caseId}/documents`, {
      type: "insurance-record",
      id: "GD-CB-TB-1",
      body: record.body,
    });
    expect(sent.status, sent.text).toBe(201);
    await waitFor(async () => {
      const docs = (await as(cluster, ZJ).get(`/v1/cases/${caseId}`)).body.documents as { documentId: string }[];
      return docs.some((d) => d.documentId === "GD-CB-TB-1") ? true : undefined;
    }, "insurance record in 浙江's case");
  });
});

describe("a byte-identical replay after the sender's certificate expired (issue 9 item 7)", () => {
  it("answers 200 with the original receipt, not 422", async () => {
    const ws = cluster.ws;
    // A seal certificate of 浙江 that expires 12 s from now, listed in the directory beside the usual one.
    const shortLived = await issueSealCertificate(ws, ZJ, "short", new Date(), 12_000);
    await publishDirectory(
      ws,
      buildDirectory(ws, {
        sequence: 2,
        routes: cluster.routes(),
        sealCertificates: { [ZJ]: [listingOf(devCredential(ws, ZJ, "seal")), listingOf(shortLived)] },
      }),
    );
    await cluster.gateways[GD]!.waitForLog((e) => e.event === "directory.loaded" && e.sequence === 2, "directory 2");
    const bytes = sealWith(ws, shortLived, letterDocument("ZJ-LXH-REPLAY-1", "CASE-330000-2026-RP0001"));
    const first = await exchange(cluster.files[GD]!.url, bytes);
    expect(first.status, first.text).toBe(201);

    // The certificate's notAfter passes (the gateway's clock is the real one: wait for it).
    await new Promise((r) => setTimeout(r, Math.max(0, shortLived.notAfter.getTime() + 1_500 - Date.now())));
    const fresh = await exchange(
      cluster.files[GD]!.url,
      sealWith(
        ws,
        shortLived,
        letterDocument("ZJ-LXH-REPLAY-2", "CASE-330000-2026-RP0002"),
        new Date(shortLived.notAfter.getTime() - 1_000),
      ),
    );
    expect(fresh.status).toBe(422);
    const again = await exchange(cluster.files[GD]!.url, bytes);
    expect(again.status, again.text).toBe(200);
    expect(again.text).toBe(first.text);
  });
});
