import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createDevPki } from "../../src/dev/pki.ts";
import { devWorkerVars } from "../../src/dev/worker-vars.ts";
import { createSealer, rfc6962Hasher } from "../../src/pki/index.ts";
import { silentLogger, systemClock } from "../../src/runtime/basics.ts";
import { buildGateway } from "../../src/runtime/compose.ts";
import { materialsFromDevPki } from "../../src/runtime/materials.ts";
import worker, { type WorkerEnv } from "../../src/runtime/worker.ts";
import { createD1Store } from "../../src/storage/d1-store.ts";
import { canonicalBytes, sealedDocumentBytes, shanghaiTimestamp } from "../../src/usecases/canonical.ts";
import { readInbox, registerApplication, submitDocument } from "../../src/usecases/index.ts";
import letter from "../../schemas/examples/contact-letter.json";
import { emptyD1 } from "../storage/d1-fixtures.ts";

const ZJ_TOKEN = "jx_worker-entry-test-330000";

/** What the Worker handed to waitUntil, awaited before a test looks at the rows. */
function testContext() {
  const work: Promise<unknown>[] = [];
  return { waitUntil: (p: Promise<unknown>) => void work.push(p), settled: () => Promise.all(work) };
}

/**
 * The Worker entry (issue 14 items 1 and 3): its default export, with an env built as wrangler would —
 * the D1 binding, and the config var and secrets of a development PKI (src/dev/worker-vars.ts).
 */
// In order, also under `--sequence.shuffle`: the case list is empty before the exchanges that fill it.
describe("the Worker entry (src/runtime/worker.ts) inside workerd", { shuffle: false }, () => {
  let workerEnv: WorkerEnv;
  let pki: Awaited<ReturnType<typeof createDevPki>>;
  const call = async (path: string, init?: RequestInit) => {
    const ctx = testContext();
    const res = await worker.fetch(new Request(`http://gateway.test${path}`, init), workerEnv, ctx);
    await ctx.settled();
    return res;
  };
  /** A contact letter 浙江 → 广东 sealed by 浙江's seal key, as `/v1/exchange` bytes. */
  const sealedLetter = (id: string, caseId: string) => {
    const canonical = canonicalBytes({ ...letter, id, caseId, issuedAt: shanghaiTimestamp(new Date()) });
    const sealer = createSealer(materialsFromDevPki(pki).agencies.find((a) => a.id === "330000")!.seal);
    return sealedDocumentBytes(canonical, sealer.seal(canonical, new Date()));
  };

  beforeAll(async () => {
    await emptyD1();
    // The Worker's clock is the system clock: certificates valid now.
    pki = await createDevPki({ algorithm: "ecdsa-p256", now: new Date(Date.now() - 3_600_000) });
    const tokens = [{ token: ZJ_TOKEN, tokenId: "tok-zj", role: "agency" as const, agencyId: "330000" }];
    workerEnv = { DB: env.DB, ...devWorkerVars(pki, tokens) };
  });

  it("answers /healthz with its hosted agencies, and a bearer-authenticated route only with a token", async () => {
    const health = await call("/healthz");
    expect(health.status).toBe(200);
    expect(JSON.stringify(await health.json())).toContain("330000");
    const listed = await call("/v1/cases", { headers: { authorization: `Bearer ${ZJ_TOKEN}` } });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({ cases: [] });
    expect((await call("/v1/cases")).status).toBe(401);
  });

  it("answers a sealed document POSTed to /v1/exchange with a sealed receipt, and the same receipt on replay", async () => {
    const bytes = sealedLetter("ZJ-LXH-W-1", "CASE-W-1");
    const first = await call("/v1/exchange", { method: "POST", body: new Uint8Array(bytes) });
    expect(first.status).toBe(201);
    const receipt = await first.json();
    expect(receipt.document).toMatchObject({ type: "receipt", from: "440000", to: "330000" });
    expect(typeof receipt.seal).toBe("string");
    const again = await call("/v1/exchange", { method: "POST", body: new Uint8Array(bytes) });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(receipt);
  });

  it("refuses a document altered after sealing with 422 SEAL_INVALID", async () => {
    const sealed = JSON.parse(new TextDecoder().decode(sealedLetter("ZJ-LXH-W-2", "CASE-W-2")));
    sealed.document.body.letterNumber = "浙社保联〔2024〕0001号";
    const res = await call("/v1/exchange", { method: "POST", body: JSON.stringify(sealed) });
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe("SEAL_INVALID");
  });

  it("dispatches a queued outbox delivery on its cron trigger, and cuts a checkpoint", async () => {
    // Queue a delivery in D1 through a second composition that never dispatches: only `scheduled` can send it.
    const store = createD1Store(env.DB, { archiveHasher: rfc6962Hasher });
    const queuer = buildGateway(materialsFromDevPki(pki), {
      store,
      clock: systemClock,
      ids: { newId: (prefix) => `${prefix}-queued-${crypto.randomUUID()}` },
      random: () => 0.5,
      logger: silentLogger,
      metrics: { count() {}, observe() {} },
    });
    queuer.deps.onQueued = () => {};
    const zj = { tokenId: "tok-zj", role: "agency" as const, agencyId: "330000" };
    const caseId = "CASE-330000-2026-000901";
    await registerApplication(queuer.deps, zj, { caseId, transferOutAgency: "440000" });
    await submitDocument(queuer.deps, zj, caseId, { type: "contact-letter", body: letter.body, id: "ZJ-LXH-W-3" });
    expect(await store.outboxDepth()).toBe(1);

    const ctx = testContext();
    await worker.scheduled({}, workerEnv, ctx);
    await ctx.settled();
    expect(await store.outboxDepth()).toBe(0);
    const gd = { tokenId: "tok-gd", role: "agency" as const, agencyId: "440000" };
    const inbox = await readInbox(queuer.deps, gd, undefined);
    expect(inbox.entries.map((e) => e.documentId)).toContain("ZJ-LXH-W-3");
    const checkpoints = await store.archive.checkpoints();
    expect(checkpoints.at(-1)?.size).toBe(await store.archive.size());
  });
});
