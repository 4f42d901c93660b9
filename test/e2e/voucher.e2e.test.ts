import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, waitFor, type Api } from "../../src/cli/demo/api.ts";
import { createCluster, type Cluster } from "../../src/cli/demo/cluster.ts";
import { contactLetter, example } from "../../src/cli/demo/documents.ts";
import { buildDirectory, publishDirectory } from "../../src/cli/demo/workspace.ts";
import { shanghaiTimestamp } from "../../src/usecases/canonical.ts";
import { PERSON, voucherBody } from "../usecases/vouchers/support.ts";
import { devCredential, sealWith } from "./support/multi-gateway.ts";

/**
 * Issue 11 acceptance, with 广东 and 浙江 each a `jiexu serve` process of its own: 广东 issues the
 * electronic 参保缴费凭证, the person presents it to 浙江 at registration, the contact letter carries
 * its digest, 广东 recognises it as its own and the transfer completes. A voucher issued by another
 * agency and a tampered one are refused at registration, each with its code.
 */
const GD = "440000"; // 广东, transfer-out: issues the voucher
const ZJ = "330000"; // 浙江, transfer-in: the person presents it here
const SC = "510000"; // 四川: in the directory, its gateway never started
const CASE = "CASE-330000-2026-E11001";
const LETTER = "ZJ-LXH-2026-E11001";

describe("the electronic contribution voucher between two gateway processes", () => {
  let cluster: Cluster;
  let gd: Api;
  let zj: Api;
  beforeAll(async () => {
    cluster = await createCluster([GD, ZJ, SC], { prefix: "jiexu-e2e-voucher-" });
    await publishDirectory(cluster.ws, buildDirectory(cluster.ws, { sequence: 1, routes: cluster.routes() }));
    await Promise.all([cluster.start(GD), cluster.start(ZJ)]);
    gd = api(cluster.gateways[GD]!.url, cluster.gateways[GD]!.tokens[GD]);
    zj = api(cluster.gateways[ZJ]!.url, cluster.gateways[ZJ]!.tokens[ZJ]);
  });
  afterAll(() => cluster?.close());

  const statusAt = (who: Api, status: string) =>
    waitFor(async () => {
      const res = await who.get(`/v1/cases/${CASE}`);
      return res.status === 200 && res.body.status === status ? res.body : undefined;
    }, `case ${status}`);
  const submit = async (who: Api, type: string, body: unknown, id: string) => {
    const res = await who.post(`/v1/cases/${CASE}/documents`, { type, body, id });
    expect(res.status, res.text).toBe(201);
  };

  it("issues, presents, names and recognises the voucher, and the transfer completes", async () => {
    // Given 广东 issues the voucher, and the person takes away what 广东 reads back
    const issued = await gd.post("/v1/vouchers", { body: voucherBody(), id: "GD-PZ-2026-E11001" });
    expect(issued.status, issued.text).toBe(201);
    const carried = await gd.get("/v1/vouchers/GD-PZ-2026-E11001");
    expect(carried.status).toBe(200);
    expect(carried.body).toEqual(issued.body);

    // When the person presents it to 浙江 with the application
    const registered = await zj.post("/v1/cases", {
      caseId: CASE,
      transferOutAgency: GD,
      person: PERSON,
      voucher: carried.body.sealed,
    });
    expect(registered.status, registered.text).toBe(201);
    expect(registered.body.documents).toEqual([
      expect.objectContaining({
        type: "contribution-voucher",
        direction: "in",
        from: GD,
        verification: { indication: "TOTAL_PASSED" },
      }),
    ]);

    // and 浙江 sends the contact letter without naming the voucher: the gateway fills in the case's
    const { voucher: _example, ...letter } = contactLetter({ transferIn: ZJ, transferOut: GD }, LETTER).body;
    await submit(zj, "contact-letter", letter, LETTER);

    // Then 广东 receives the letter with the voucher's digest and recognises the voucher as its own
    const atGd = await statusAt(gd, "contact-letter-received");
    expect(atGd.voucher).toEqual({
      id: "GD-PZ-2026-E11001",
      sha256: issued.body.documentSha256,
      check: "issued-here",
    });
    const inbox = await gd.get("/v1/inbox");
    const received = inbox.body.entries.find((e: { documentId: string }) => e.documentId === LETTER);
    expect(received.sealed.document.body.voucher).toEqual({
      id: "GD-PZ-2026-E11001",
      sha256: issued.body.documentSha256,
    });

    // and the transfer runs to completion on both sides
    for (const type of ["insurance-record", "fund-transfer"]) {
      const doc = example(type);
      await submit(gd, type, doc.body, doc.id);
    }
    await statusAt(zj, "awaiting-completion");
    const completion = example("completion");
    await submit(zj, "completion", completion.body, completion.id);
    const [doneAtGd, doneAtZj] = await Promise.all([statusAt(gd, "completed"), statusAt(zj, "completed")]);
    expect(doneAtGd.voucher.check).toBe("issued-here");
    expect(doneAtZj.voucher).toMatchObject({ id: "GD-PZ-2026-E11001", sha256: issued.body.documentSha256 });
  });

  it("refuses at registration a voucher issued by another agency (VOUCHER_WRONG_ISSUER)", async () => {
    // 四川's own signing system seals a genuine voucher of its own for the same person
    const document = {
      jiexu: 1,
      id: "SC-PZ-2026-E11002",
      type: "contribution-voucher",
      caseId: "SC-PZ-2026-E11002",
      from: SC,
      to: SC,
      issuedAt: shanghaiTimestamp(new Date()),
      body: voucherBody(SC),
    };
    const sealed = JSON.parse(
      new TextDecoder().decode(sealWith(cluster.ws, devCredential(cluster.ws, SC, "seal"), document)),
    );
    const res = await zj.post("/v1/cases", {
      caseId: "CASE-330000-2026-E11002",
      transferOutAgency: GD,
      person: PERSON,
      voucher: sealed,
    });
    expect(res.status, res.text).toBe(422);
    expect(res.body.code).toBe("VOUCHER_WRONG_ISSUER");
    expect((await zj.get("/v1/cases/CASE-330000-2026-E11002")).status).toBe(404);
  });

  it("refuses at registration a voucher changed after sealing (SEAL_INVALID)", async () => {
    const issued = await gd.post("/v1/vouchers", { body: voucherBody(), id: "GD-PZ-2026-E11003" });
    expect(issued.status, issued.text).toBe(201);
    const sealed = structuredClone(issued.body.sealed);
    sealed.document.body.handler = `${sealed.document.body.handler}乙`;
    const res = await zj.post("/v1/cases", {
      caseId: "CASE-330000-2026-E11003",
      transferOutAgency: GD,
      person: PERSON,
      voucher: sealed,
    });
    expect(res.status, res.text).toBe(422);
    expect(res.body.code).toBe("SEAL_INVALID");
  });
});
