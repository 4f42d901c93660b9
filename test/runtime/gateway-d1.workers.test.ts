import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createDevPki } from "../../src/dev/pki.ts";
import { createApp } from "../../src/http/app.ts";
import { tokenHash } from "../../src/http/auth.ts";
import { createMetricsRegistry } from "../../src/http/metrics.ts";
import { rfc6962Hasher } from "../../src/pki/merkle-hasher.ts";
import { silentLogger } from "../../src/runtime/basics.ts";
import { buildGateway } from "../../src/runtime/compose.ts";
import { materialsFromDevPki } from "../../src/runtime/materials.ts";
import { createD1Store } from "../../src/storage/d1-store.ts";
import {
  acknowledgeInbound,
  auditArchive,
  readInbox,
  registerApplication,
  submitDocument,
} from "../../src/usecases/index.ts";
import completion from "../../schemas/examples/completion.json";
import letter from "../../schemas/examples/contact-letter.json";
import fundTransfer from "../../schemas/examples/fund-transfer.json";
import insuranceRecord from "../../schemas/examples/insurance-record.json";
import { emptyD1 } from "../storage/d1-fixtures.ts";

const NOW = new Date("2026-03-02T08:00:00Z");

const TOKEN = "jx_workerd-test-token-330000";

/**
 * The next step towards the Worker entry (issue 14 item 1): the same composition as on Node — buildGateway
 * and createApp — over the D1 store, inside workerd, with a development PKI made there.
 */
// In order, also under `--sequence.shuffle`: the case list is empty before the walk fills it.
describe("the gateway over D1 inside workerd", { shuffle: false }, () => {
  let app: ReturnType<typeof createApp>;
  let gateway: ReturnType<typeof buildGateway>;
  let store: ReturnType<typeof createD1Store>;
  beforeAll(async () => {
    await emptyD1();
    const pki = await createDevPki({ algorithm: "ecdsa-p256", now: NOW });
    store = createD1Store(env.DB, { archiveHasher: rfc6962Hasher });
    let n = 0;
    gateway = buildGateway(materialsFromDevPki(pki), {
      store,
      clock: { now: () => new Date(NOW.getTime() + 3_600_000) },
      ids: { newId: (prefix) => `${prefix}-${++n}` },
      random: () => 0.5,
      logger: silentLogger,
      metrics: { count() {}, observe() {} },
    });
    await store.saveToken(await tokenHash(TOKEN), { tokenId: "tok-zj", role: "agency", agencyId: "330000" }, "zj");
    app = createApp({ gateway: gateway.deps, metrics: createMetricsRegistry(), logger: silentLogger });
  });

  it("answers /healthz and an agency's (empty) case list through the D1 store", async () => {
    expect((await app.request("/healthz")).status).toBe(200);
    const listed = await app.request("/v1/cases", { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({ cases: [] });
    expect((await app.request("/v1/cases")).status).toBe(401);
  });

  it("walks a whole transfer between two hosted agencies: sealed documents, sealed receipts, the archive", async () => {
    const caseId = "CASE-330000-2024-000815";
    const as = (agencyId: string) => ({ tokenId: `tok-${agencyId}`, role: "agency" as const, agencyId });
    const [zj, gd] = [as("330000"), as("440000")];
    const submit = (who: typeof zj, doc: { id: string; body: unknown }, type: string) =>
      submitDocument(gateway.deps, who, caseId, { type, body: doc.body, id: doc.id } as Parameters<
        typeof submitDocument
      >[3]);
    await registerApplication(gateway.deps, zj, { caseId, transferOutAgency: "440000" });
    await submit(zj, letter, "contact-letter");
    await gateway.dispatcher.runOnce();
    await submit(gd, insuranceRecord, "insurance-record");
    await submit(gd, fundTransfer, "fund-transfer");
    await gateway.dispatcher.runOnce();
    await submit(zj, completion, "completion");
    await gateway.dispatcher.runOnce();
    for (const e of (await readInbox(gateway.deps, gd, undefined)).entries)
      await acknowledgeInbound(gateway.deps, gd, { documentId: e.documentId });
    await gateway.dispatcher.runOnce();

    const received = await store.caseDocuments("330000", caseId);
    expect(received.filter((d) => d.direction === "in").map((d) => d.type)).toEqual(
      expect.arrayContaining(["insurance-record", "fund-transfer"]),
    );
    // Every inbound document got its sealed receipt, and the log holds documents, receipts and case indexes.
    for (const d of received.filter((d) => d.direction === "in" && d.type !== "receipt"))
      expect(d.receipt).toBeTruthy();
    const leaves = await store.archive.caseLeaves("330000", caseId);
    expect(new Set(leaves.map((l) => l.kind))).toEqual(new Set(["document", "receipt", "case-index"]));
    expect(await store.outboxDepth()).toBe(0);
    // The audit rebuilds every entry from its documents row and checks leaf hashes and stored subtrees.
    const audit = await auditArchive(gateway.deps, { tokenId: "tok-admin", role: "admin" });
    expect(audit).toMatchObject({ ok: true });
    expect(audit.treeSize).toBe(await store.archive.size());
  });
});
